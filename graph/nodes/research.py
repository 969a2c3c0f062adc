"""research: one branch per sub-query (Send). Search, and keep each passage as Evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vantage.tools.search import SearchBackend

from ..state import Evidence, ResearchTask


def make_research(search: SearchBackend) -> Callable[[ResearchTask], dict[str, Any]]:
    def research(task: ResearchTask) -> dict[str, Any]:
        hits = search.search(task.query, k=task.k, as_of=task.as_of)
        found = {h.id: Evidence(**h.model_dump(), query=task.query, round=task.round) for h in hits}
        return {"evidence": found}

    return research
