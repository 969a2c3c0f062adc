"""One interface for every verifier: does this evidence support this claim?"""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, Field

VerdictLabel = Literal["supported", "contradicted", "unverified"]


class EvidenceText(Protocol):
    id: str
    text: str


class Verdict(BaseModel):
    label: VerdictLabel
    score: float = Field(ge=0, le=1)
    evidence_ids: list[str] = Field(default_factory=list, description="passages behind the verdict")
    reason: str

    @property
    def supported(self) -> bool:
        return self.label == "supported"


class Verifier(Protocol):
    name: str

    def verify(self, claim: str, passages: list[EvidenceText]) -> Verdict: ...
