"""The result every metric returns, and the small text record metrics hand to a verifier."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, field_validator


class MetricResult(BaseModel):
    """One metric's verdict on one report: a score in [0, 1], a one-line reason, and a row per
    item judged (sentence, citation, quotation, stakeholder, key fact...) so a moved score can be
    traced to the items that moved it."""

    name: str
    score: float = Field(ge=0, le=1)
    reason: str
    details: list[dict[str, Any]] = Field(default_factory=list)
    higher_is_better: bool = True

    @field_validator("details", mode="before")
    @classmethod
    def _rows_as_dicts(cls, rows: list[Any]) -> list[Any]:
        # Metrics build typed rows; they are stored as plain dicts so results round-trip through JSON.
        return [r.model_dump(mode="json") if isinstance(r, BaseModel) else r for r in rows]

    @field_validator("reason")
    @classmethod
    def _one_line(cls, reason: str) -> str:
        return " ".join(reason.split())


@dataclass(frozen=True, slots=True)
class TextItem:
    """Anything a verifier can read: an id and a text (a report sentence, a passage)."""

    id: str
    text: str


def share(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0
