"""stakeholders: one branch per actor (Send): stated position, interests, leverage, next move.

The stated position is reported speech, so it is taken from the sources: the evidence sentence
in which the actor is the subject of a speech verb. The model writes the analytical fields, each
constrained (JSON-schema `pattern`) to be a sentence about this actor, tied to evidence ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig
from pydantic import BaseModel
from vantage.tools.text import drifts_into_cjk, near_duplicate, split_sentences, tokenize

from ..actors import known_actors, mentions
from ..evidence import CitedSentence, constrain_ids, format_evidence, literal, rank
from ..llm import ask
from ..state import CitedText, Evidence, RunState, StakeholderTask, StakeholderView

NOT_ASSESSED = "Not assessed: the model gave no usable analysis for this actor."
_SPEECH = re.compile(
    r"\b(said|says|stated|demanded|insisted|rejected|proposed|called|urged|warned|accused|denied|"
    r"offered|agreed|refused|announced|declared|described|dismissed|welcomed|signalled|signaled)\b"
)
# The opening words each analytical field must start with ({actor} is filled in per branch).
OPENINGS = {
    "interests": "{actor} wants ",
    "leverage": "{actor}'s leverage ",
    "likely_next_move": "{actor} is likely to ",
}


class StakeholderOutput(BaseModel):
    interests: CitedSentence
    leverage: CitedSentence
    likely_next_move: CitedSentence


def output_schema(actor: str, ids: list[str]) -> dict[str, Any]:
    schema = constrain_ids(StakeholderOutput.model_json_schema(), ids)
    props = schema["$defs"]["CitedSentence"]
    per_field = {}
    for field, opening in OPENINGS.items():
        text = dict(props["properties"]["text"])
        text["pattern"] = "^" + literal(opening.format(actor=actor)) + r"[^\n]{8,170}[.!?]$"
        per_field[field] = {**props, "properties": {**props["properties"], "text": text}}
    schema["properties"] = per_field
    schema.pop("$defs")
    return schema


def evidence_for(actor: str, state: RunState) -> list[Evidence]:
    """Passages naming the actor first, then those most relevant to actor + question."""
    k = state.budgets.evidence_in_prompt // 2 + 1
    query = f"{actor} {state.question}"
    naming = [e for e in rank(state.evidence, query, 3 * k) if mentions(actor, e.text)]
    rest = [e for e in rank(state.evidence, query, k) if e not in naming]
    return (naming + rest)[:k]


def stated_position(actor: str, question: str, evidence: list[Evidence]) -> CitedText:
    """The sources' own sentence for the actor's position: the actor as subject, reporting speech,
    on the question's topic."""
    topic = set(tokenize(question))
    best: tuple[tuple[int, int, int], str, str] | None = None
    for e in evidence:
        for sentence in split_sentences(e.text):
            if not mentions(actor, sentence):
                continue
            subject = mentions(actor, " ".join(sentence.split()[:4])) > 0
            key = (int(subject), int(bool(_SPEECH.search(sentence))), len(topic & set(tokenize(sentence))))
            if best is None or key > best[0]:
                best = (key, sentence, e.id)
    if best is None:
        return CitedText(text=f"No stated position of {actor} was found in the gathered sources.")
    return CitedText(text=best[1], evidence_ids=[best[2]])


def _usable(text: str, actor: str, others: list[str]) -> bool:
    """Reject analysis about someone else, copied between fields, pasted from several sources, or
    drifting into another language."""
    rivals = [a for a in known_actors() if a != actor]
    about_other = any(mentions(a, " ".join(text.split()[:3])) for a in rivals)
    one_sentence = len(split_sentences(text)) == 1
    copied = any(near_duplicate(text, o) for o in others)
    return one_sentence and not about_other and not copied and not drifts_into_cjk(text)


def make_stakeholders(model: BaseChatModel) -> Callable[[StakeholderTask, RunnableConfig], dict[str, Any]]:
    def stakeholders(task: StakeholderTask, config: RunnableConfig) -> dict[str, Any]:
        ids = [e.id for e in task.evidence]
        result = ask(
            model,
            task.perspective,
            "stakeholder",
            StakeholderOutput,
            name=f"stakeholders:{task.actor}",
            json_schema=output_schema(task.actor, ids),
            max_tokens=task.max_tokens,
            config=config,
            question=task.question,
            actor=task.actor,
            evidence=format_evidence(task.evidence),
        )
        position = stated_position(task.actor, task.question, task.evidence)
        fields: dict[str, CitedText] = {}
        written = [position.text]
        for field in OPENINGS:
            drafted = getattr(result.value, field) if result.value else None
            if drafted and _usable(drafted.text, task.actor, written):
                written.append(drafted.text)
                fields[field] = CitedText(
                    text=drafted.text, evidence_ids=[i for i in drafted.evidence_ids if i in ids]
                )
            else:
                fields[field] = CitedText(text=NOT_ASSESSED)
        degraded = (
            []
            if result.value
            else [f"stakeholders[{task.actor}]: no usable analysis after {result.attempts} attempts"]
        )
        view = StakeholderView(
            actor=task.actor,
            stated_position=position,
            position_supported=bool(position.evidence_ids),
            degraded=not result.value,
            **fields,
        )
        return {"views": [view], "degraded": degraded}

    return stakeholders
