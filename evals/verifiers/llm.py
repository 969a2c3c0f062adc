"""`llm`: a judge prompt on any configured chat model, JSON-schema constrained.

The passage is quoted inside <source> as data, with angle brackets neutralised so it cannot close
the wrapper. A reply that never validates counts as `unverified`: an unreadable judge must not
let a claim through.
"""

from __future__ import annotations

from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from pydantic import BaseModel, Field
from vantage.tools.structured import generate_structured

from .base import EvidenceText, Verdict

MAX_SOURCE_CHARS = 1500


class Judgement(BaseModel):
    verdict: Literal["supported", "contradicted", "unverified"]
    reason: str = Field(max_length=120)


def _quoted(passages: list[EvidenceText]) -> str:
    text = "\n\n".join(f"[{p.id}] {p.text}" for p in passages)[:MAX_SOURCE_CHARS]
    return text.replace("<", "‹").replace(">", "›")


class LLMVerifier:
    name = "llm"

    def __init__(self, model: BaseChatModel, max_tokens: int = 80) -> None:
        self.model = model
        self.max_tokens = max_tokens

    def verify(self, claim: str, passages: list[EvidenceText]) -> Verdict:
        if not passages:
            return Verdict(label="unverified", score=0.0, reason="no passages")
        from vantage.graph.promptset import render  # the prompt lives with the others, in the prompt-set hash

        prompt = render("verify", passages=_quoted(passages), claim=claim.replace("<", "‹").replace(">", "›"))
        result = generate_structured(
            self.model, [HumanMessage(prompt)], Judgement, name="verify", max_tokens=self.max_tokens
        )
        ids = [p.id for p in passages]
        if result.value is None:
            return Verdict(label="unverified", score=0.0, evidence_ids=ids, reason="judge gave no valid verdict")
        label = result.value.verdict
        return Verdict(
            label=label, score=1.0 if label == "supported" else 0.0, evidence_ids=ids, reason=result.value.reason
        )
