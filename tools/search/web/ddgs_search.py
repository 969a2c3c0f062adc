"""`ddgs` engine: DuckDuckGo and friends through the `ddgs` metasearch client; no key needed.

News search comes first because news results carry dates (so `--as-of` can filter them); when it finds
nothing the text search is tried.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .backend import EngineUnavailable
from .models import WebResult, web_result
from .packages import require
from .politeness import Deadline

DDGS_TIMEOUT_S = 8


class DdgsEngine:
    name = "ddgs"
    endpoint = "ddgs:news"

    def __init__(self, *, backend: str = "auto", region: str = "us-en") -> None:
        require("ddgs", "ddgs", self.name)
        self.backend = backend  # which ddgs engines to ask: "auto" lets ddgs rotate through them
        self.region = region

    def query(self, query: str, n: int, as_of: date | None, deadline: Deadline) -> list[WebResult]:
        from ddgs import DDGS
        from ddgs.exceptions import DDGSException

        client = DDGS(timeout=max(1, int(min(DDGS_TIMEOUT_S, deadline.remaining()))))
        errors = []
        for kind, convert in (("news", _from_news), ("text", _from_text)):
            try:
                hits = getattr(client, kind)(query, max_results=n, backend=self.backend, region=self.region)
            except DDGSException as exc:  # ddgs raises "No results found." too; either way try the next kind
                errors.append(f"{kind}: {exc}")
                continue
            results = [r for r in (convert(hit) for hit in hits) if r is not None]
            if results:
                return results
        if errors:
            raise EngineUnavailable(f"ddgs found nothing ({'; '.join(errors)})")
        return []


def _from_news(hit: dict[str, Any]) -> WebResult | None:
    return web_result(
        hit.get("url"), hit.get("title"), hit.get("body"), publisher=hit.get("source"), published=hit.get("date")
    )


def _from_text(hit: dict[str, Any]) -> WebResult | None:
    return web_result(hit.get("href"), hit.get("title"), hit.get("body"))
