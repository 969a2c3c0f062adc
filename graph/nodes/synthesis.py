"""synthesis: the model drafts the sections; code verifies, cites and renders (graph/assemble.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig
from pydantic import BaseModel, Field
from vantage.evals.verifiers import Verifier

from ..assemble import Draft, assemble_report
from ..evidence import CitedSentence, Sentence, constrain_ids, format_evidence, literal, rank
from ..llm import ask
from ..state import RunState


class DraftOutput(BaseModel):
    """What the model may write. Bounded so a looping model cannot run away."""

    what_we_know: list[CitedSentence] = Field(min_length=1, max_length=5)
    context: list[CitedSentence] = Field(min_length=1, max_length=3)
    obstacles: list[CitedSentence] = Field(min_length=1, max_length=3)
    watch_and_do: list[Sentence] = Field(min_length=1, max_length=4)
    bottom_line: list[Sentence] = Field(min_length=1, max_length=3)
    in_short: Sentence


def output_schema(actor: str, ids: list[str]) -> dict[str, Any]:
    """Evidence ids limited to the ledger; advice constrained to be advice for this actor."""
    schema = constrain_ids(DraftOutput.model_json_schema(), ids)
    schema["properties"]["watch_and_do"]["items"] = {
        "type": "string",
        "pattern": "^" + literal(actor) + r" (should|must) [^\n]{8,170}[.!?]$",
    }
    return schema


def _claims_block(state: RunState) -> str:
    lines = [
        f"- {c.evidence_ids[0]}: {c.text}" for c in state.claims if c.verdict == "supported" and c.evidence_ids
    ]
    return "\n".join(lines) or "- (none verified)"


def _stakeholders_block(state: RunState) -> str:
    return "\n".join(f"- {v.actor}: {v.stated_position.text}" for v in state.views) or "- (none)"


def make_synthesis(
    model: BaseChatModel, verifier: Verifier
) -> Callable[[RunState, RunnableConfig], dict[str, Any]]:
    def synthesis(state: RunState, config: RunnableConfig) -> dict[str, Any]:
        b, p = state.budgets, state.perspective
        shown = rank(state.evidence, state.question, b.evidence_in_prompt)
        result = ask(
            model,
            p,
            "synthesis",
            DraftOutput,
            name="synthesis",
            max_tokens=b.tokens.synthesis,
            config=config,
            json_schema=output_schema(p.actor, [e.id for e in shown]),
            question=state.question,
            actor=p.actor,
            as_of=state.as_of.isoformat() if state.as_of else "today",
            interests="; ".join(p.interests),
            red_lines="; ".join(p.red_lines),
            claims=_claims_block(state),
            stakeholders=_stakeholders_block(state),
            evidence=format_evidence(shown, max_chars=400),
        )
        degraded = []
        if result.value:
            draft = Draft.model_validate(result.value.model_dump())
        else:
            # An empty draft: assembly keeps the verified facts and fills judgement with its fallbacks.
            draft = Draft(what_we_know=[], context=[], obstacles=[], watch_and_do=[], bottom_line=[], in_short="")
            degraded.append(
                f"synthesis: no usable draft after {result.attempts} attempts; reported verified facts only"
            )
        report, stats = assemble_report(state, draft, verifier)
        return {
            "report": report,
            "degraded": degraded,
            "dropped_sentences": stats.dropped,
            "demoted_sentences": stats.demoted,
            "draft_checks": stats.checks,
        }

    return synthesis
