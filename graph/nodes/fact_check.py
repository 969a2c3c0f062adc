"""fact_check: atomic claims from the evidence, each with a verifier's verdict and evidence ids.

The first pass asks the model for claims; later passes (after targeted follow-up research)
re-verify the claims still unverified against the grown ledger, without asking the model again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig
from pydantic import BaseModel, Field
from vantage.evals.verifiers import Verdict, Verifier
from vantage.tools.text import near_duplicate, split_sentences, tokenize

from ..evidence import SENTENCE_PATTERN, CitedSentence, constrain_ids, format_evidence, rank, valid_ids
from ..llm import ask
from ..report import Disagreement
from ..state import Claim, Evidence, RunState


class ClaimsOutput(BaseModel):
    claims: list[CitedSentence] = Field(min_length=1, max_length=8)


def verify_against_ledger(
    text: str, cited: list[str], ledger: dict[str, Evidence], verifier: Verifier
) -> tuple[list[str], Verdict]:
    """Verify `text` against its cited passages; if they settle nothing, against the best ledger
    matches one at a time. Returns the ids behind the verdict (none when unverified).

    Re-attribution happens here, in code, so a sentence is only ever cited to passages the
    verifier judged to bear on it; a model's wrong id is corrected, not trusted.
    """
    verdict = verifier.verify(text, [ledger[i] for i in valid_ids(cited, ledger)])
    if verdict.label != "unverified":
        return verdict.evidence_ids, verdict
    for candidate in rank(ledger, text, 3):
        alt = verifier.verify(text, [candidate])
        if alt.label != "unverified":
            return alt.evidence_ids, alt.model_copy(update={"reason": f"re-attributed: {alt.reason}"})
    return [], verdict


def find_disagreements(
    claims: list[Claim], ledger: dict[str, Evidence], verifier: Verifier, limit: int = 3
) -> list[Disagreement]:
    """Supported claims that another outlet's passage contradicts. Kept side by side for the
    reader, not resolved: which outlet is right is not something code can know."""
    found: list[Disagreement] = []
    for claim in (c for c in claims if c.verdict == "supported" and c.evidence_ids):
        if any(near_duplicate(claim.text, d.claim) for d in found):
            continue  # the same claim drafted twice is one disagreement
        backers = [ledger[i] for i in claim.evidence_ids if i in ledger]
        outlets = {e.publisher for e in backers} | {e.doc_id for e in backers}
        for other in rank(ledger, claim.text, 4):
            if other.publisher in outlets or other.doc_id in outlets:
                continue
            verdict = verifier.verify(claim.text, [other])
            if verdict.label != "contradicted":
                continue
            terms = set(tokenize(claim.text))
            counter = max(split_sentences(other.text), key=lambda s: len(terms & set(tokenize(s))))
            found.append(
                Disagreement(
                    claim=claim.text,
                    evidence_ids=claim.evidence_ids,
                    counter=counter,
                    counter_evidence_id=other.id,
                    counter_publisher=other.publisher,
                    reason=verdict.reason,
                )
            )
            break
        if len(found) >= limit:
            break
    return found


def _extractive_claims(items: list[Evidence], limit: int) -> list[CitedSentence]:
    """Fallback when the model gives nothing usable: the lead sentence of each top passage, where
    it is a sentence the report can carry (a run-on lead would fail CitedSentence's pattern)."""
    out = []
    for e in items:
        lead = split_sentences(e.text)[:1]
        if lead and re.fullmatch(SENTENCE_PATTERN, lead[0].strip()):
            out.append(CitedSentence(text=lead[0], evidence_ids=[e.id]))
        if len(out) == limit:
            break
    return out


def make_fact_check(
    model: BaseChatModel, verifier: Verifier
) -> Callable[[RunState, RunnableConfig], dict[str, Any]]:
    def fact_check(state: RunState, config: RunnableConfig) -> dict[str, Any]:
        b, ledger = state.budgets, state.evidence
        degraded: list[str] = []
        if state.fact_check_rounds == 0:
            shown = rank(ledger, state.question, b.evidence_in_prompt)
            drafts: list[tuple[CitedSentence, str]] = []
            if shown:
                result = ask(
                    model,
                    state.perspective,
                    "fact_check",
                    ClaimsOutput,
                    name="fact_check",
                    json_schema=constrain_ids(ClaimsOutput.model_json_schema(), [e.id for e in shown]),
                    max_tokens=b.tokens.fact_check,
                    config=config,
                    question=state.question,
                    evidence=format_evidence(shown),
                    max_claims=b.max_claims,
                )
                if result.value:
                    drafts = [(c, "model") for c in result.value.claims[: b.max_claims]]
                else:
                    degraded.append(
                        f"fact_check: no usable claims after {result.attempts} attempts; "
                        "used lead sentences of the top passages"
                    )
                    drafts = [(c, "extracted") for c in _extractive_claims(shown, b.max_claims)]
            claims = [
                Claim(id=f"c{i}", text=c.text, evidence_ids=c.evidence_ids, origin=origin)
                for i, (c, origin) in enumerate(drafts, 1)
            ]
        else:
            claims = list(state.claims)

        checked = []
        for claim in claims:
            if claim.verdict == "supported":
                checked.append(claim)
                continue
            ids, verdict = verify_against_ledger(claim.text, claim.evidence_ids, ledger, verifier)
            checked.append(
                claim.model_copy(
                    update={
                        "evidence_ids": ids,
                        "verdict": verdict.label,
                        "score": verdict.score,
                        "reason": verdict.reason,
                    }
                )
            )

        unverified = [c for c in checked if c.verdict == "unverified"]
        share = len(unverified) / len(checked) if checked else 1.0
        loop = share > b.unverified_threshold and state.fact_check_rounds < b.max_fact_check_rounds
        follow_ups = [c.text for c in unverified][: b.max_sub_queries] if loop else []
        if loop and not follow_ups:  # nothing claimed at all: broaden around the question instead
            follow_ups = [f"{state.question} {actor}" for actor in state.stakeholders][: b.max_sub_queries]
        return {
            "claims": checked,
            "disagreements": find_disagreements(checked, ledger, verifier),
            "fact_check_rounds": state.fact_check_rounds + 1,
            "follow_up_queries": follow_ups,
            "degraded": degraded,
        }

    return fact_check
