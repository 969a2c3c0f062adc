"""`local` search: BM25 over corpus passages. The index is built once per corpus and reused."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from rank_bm25 import BM25Okapi

from ..text import tokenize
from .corpus import CorpusDocument, Passage, corpus_paths, load_corpus, passages_of


class BM25Index:
    """BM25 over a fixed list of passages (also used to rank a run's own evidence ledger)."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        tokens = [tokenize(f"{p.title} {p.text}") for p in passages]
        self._terms = [set(t) for t in tokens]
        self._bm25 = BM25Okapi(tokens) if passages else None

    def search(self, query: str, k: int, as_of: date | None = None) -> list[Passage]:
        terms = tokenize(query)
        if not self._bm25 or not terms:
            return []
        scores = self._bm25.get_scores(terms)
        query = set(terms)
        # Match on shared terms, not on score > 0: in a tiny index BM25's idf (and so the score)
        # can go negative for terms that most passages share.
        ranked = sorted(
            (i for i, t in enumerate(self._terms) if t & query),
            key=lambda i: (-scores[i], self.passages[i].id),
        )
        hits = []
        for i in ranked:
            passage = self.passages[i]
            if len(hits) >= k:
                break
            if as_of and passage.published and passage.published > as_of:
                continue
            hits.append(passage.model_copy(update={"score": round(float(scores[i]), 4)}))
        return hits


class LocalSearch:
    name = "local"

    def __init__(self, documents: list[CorpusDocument]) -> None:
        self.documents = {d.id: d for d in documents}
        self.index = BM25Index([p for d in documents for p in passages_of(d)])

    def search(self, query: str, k: int = 5, as_of: date | None = None) -> list[Passage]:
        return self.index.search(query, k, as_of)


_cache: dict[tuple[tuple[str, float], ...], LocalSearch] = {}
_lock = threading.Lock()


def local_search(corpus: str | Path | None = None) -> LocalSearch:
    """One index per (files, modification times): rebuilt only when the corpus changes."""
    paths = corpus_paths(corpus)
    key = tuple((str(p.resolve()), p.stat().st_mtime) for p in paths)
    with _lock:
        if key not in _cache:
            _cache[key] = LocalSearch(load_corpus(paths))
        return _cache[key]
