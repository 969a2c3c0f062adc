"""Search backends behind one interface: `search(query, k, as_of) -> list[Passage]`."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Protocol

from ..errors import SearchError
from .corpus import CorpusDocument, Passage, load_corpus
from .local import BM25Index, LocalSearch, local_search

BACKENDS = ("local", "ddgs", "tavily", "searxng")


class SearchBackend(Protocol):
    name: str

    def search(self, query: str, k: int = 5, as_of: date | None = None) -> list[Passage]: ...


def make_search(name: str | None = None, corpus: str | Path | None = None) -> SearchBackend:
    """`name`, else VANTAGE_SEARCH, else "local". `corpus` applies to local search only."""
    name = (name or os.environ.get("VANTAGE_SEARCH") or "local").strip()
    if name == "local":
        return local_search(corpus)
    if name in BACKENDS:
        # Imported here so that local search never loads the web clients.
        from .web import make_web_search

        return make_web_search(name)
    raise SearchError(f"unknown search backend {name!r}; available: {', '.join(BACKENDS)}")


__all__ = [
    "BACKENDS",
    "BM25Index",
    "CorpusDocument",
    "LocalSearch",
    "Passage",
    "SearchBackend",
    "load_corpus",
    "local_search",
    "make_search",
]
