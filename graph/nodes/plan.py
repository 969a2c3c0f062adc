"""plan: sub-queries and the stakeholder list for the question and the perspective."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig
from pydantic import BaseModel, Field, StringConstraints
from vantage.tools.text import tokenize

from ..actors import canonical_actor, known_actors, mentions
from ..llm import ask
from ..state import RunState

Query = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=100)]
Actor = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]


class PlanOutput(BaseModel):
    sub_queries: list[Query] = Field(min_length=1, max_length=6)
    stakeholders: list[Actor] = Field(min_length=1, max_length=6)


def _dedupe(items: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.strip().lower(), item.strip())
    return [v for k, v in seen.items() if k]


# Words that frame a question rather than name its topic.
_FRAMING = frozenset(tokenize("assessment analysis up-to-date in-depth latest think view explain what why how"))


def _topic(question: str) -> list[str]:
    """The question's content words, in order, without the words that frame a request."""
    return [t for t in dict.fromkeys(tokenize(question)) if t not in _FRAMING]


def actor_query(actor: str, question: str, actors: list[str]) -> str:
    """A query for one actor's side: its name and aliases plus the question's topic words,
    minus every actor's name, so each side's own statements rank first."""
    names = {t for a in actors for t in tokenize(" ".join([a, *known_actors().get(a, ())]))}
    topic = [t for t in _topic(question) if t not in names]
    aliases = [a for a in known_actors().get(actor, ()) if " " not in a][:3]
    return " ".join([actor, *aliases, *topic[:4]])


# Words the sources use for friction. The report's key obstacles need those passages, and a search
# on the question's own words rarely ranks them first.
_FRICTION_WORDS = "rejected demands conditions blamed obstacles"


def obstacle_query(question: str) -> str:
    """The question's topic words plus words of friction: what stands in the way."""
    return " ".join([*_topic(question)[:6], _FRICTION_WORDS])


def make_plan(model: BaseChatModel) -> Callable[[RunState, RunnableConfig], dict[str, Any]]:
    def plan(state: RunState, config: RunnableConfig) -> dict[str, Any]:
        b, p = state.budgets, state.perspective
        result = ask(
            model,
            p,
            "plan",
            PlanOutput,
            name="plan",
            max_tokens=b.tokens.plan,
            config=config,
            question=state.question,
            actor=p.actor,
            as_of=state.as_of.isoformat() if state.as_of else "today",
            max_sub_queries=b.max_sub_queries,
            max_stakeholders=b.max_stakeholders,
        )
        degraded = []
        suggested_queries: list[str] = []
        suggested_actors: list[str] = []
        if result.value:
            suggested_queries, suggested_actors = result.value.sub_queries, result.value.stakeholders
        else:
            degraded.append(f"plan: no usable plan after {result.attempts} attempts; searched the question only")
        # Candidates only: fact_check picks the final stakeholders once it sees who the evidence names.
        own = [p.actor] if p.is_party else []
        named = [a for a in known_actors() if mentions(a, state.question)]
        known = [a for name in suggested_actors if (a := canonical_actor(name))]
        # A perspective's default stakeholders are its usual counterparts (eu-01's are Russia and
        # Ukraine): they join when the question names them, or when nothing else names anyone, so a
        # Gaza question asked from Brussels does not send searches after the Kremlin.
        defaults = [a for a in p.default_stakeholders if a in named or not (named or known)]
        actors = _dedupe([*own, *named, *known, *defaults])
        # The question itself is always searched (small models drop its key terms from
        # sub-queries); spare slots go to each leading actor's stated position, for balance, and to
        # what stands in the way, which the report's obstacles are drawn from.
        by_actor = [actor_query(a, state.question, actors) for a in actors[:2]]
        obstacles = obstacle_query(state.question)
        queries = _dedupe([state.question, *suggested_queries[:1], *by_actor, obstacles, *suggested_queries[1:]])
        return {"sub_queries": queries[: b.max_sub_queries], "stakeholders": actors, "degraded": degraded}

    return plan
