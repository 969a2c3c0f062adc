"""The graph's state and the typed items that flow through it."""

from __future__ import annotations

import operator
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field
from vantage.tools.search import Passage

from .perspectives import Perspective
from .report import Disagreement, DraftCheck, Report
from .settings import Budgets

Verdict = Literal["supported", "contradicted", "unverified"]


class Evidence(Passage):
    """A kept passage. Its id is the passage id, so the same text gets the same id in every run."""

    query: str = ""
    round: int = 0


class CitedText(BaseModel):
    text: str
    evidence_ids: list[str] = Field(default_factory=list)


class Claim(BaseModel):
    id: str
    text: str
    evidence_ids: list[str] = Field(default_factory=list)
    verdict: Verdict = "unverified"
    score: float = 0.0
    reason: str = ""
    origin: Literal["model", "extracted"] = "model"


class StakeholderView(BaseModel):
    actor: str
    stated_position: CitedText
    interests: CitedText
    leverage: CitedText
    likely_next_move: CitedText
    position_supported: bool = False
    degraded: bool = False


class ResearchTask(BaseModel):
    query: str
    k: int = 4
    round: int = 0
    as_of: date | None = None


class StakeholderTask(BaseModel):
    actor: str
    question: str
    perspective: Perspective
    evidence: list[Evidence]
    max_tokens: int  # the run's stakeholders token budget


def merge_evidence(left: dict[str, Evidence], right: dict[str, Evidence]) -> dict[str, Evidence]:
    """Ledger reducer: first sighting wins, so ids and their round stay stable."""
    return {**right, **left}


class RunState(BaseModel):
    question: str
    perspective: Perspective
    as_of: date | None = None
    budgets: Budgets = Budgets()
    sub_queries: list[str] = Field(default_factory=list)
    stakeholders: list[str] = Field(default_factory=list)
    evidence: Annotated[dict[str, Evidence], merge_evidence] = Field(default_factory=dict)
    claims: list[Claim] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    fact_check_rounds: int = 0
    follow_up_queries: list[str] = Field(default_factory=list)
    views: Annotated[list[StakeholderView], operator.add] = Field(default_factory=list)
    degraded: Annotated[list[str], operator.add] = Field(default_factory=list)
    dropped_sentences: int = 0
    demoted_sentences: int = 0
    draft_checks: list[DraftCheck] = Field(default_factory=list)
    report: Report | None = None
