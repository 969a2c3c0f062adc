"""The LangGraph state machine.

plan -> research (Send per sub-query) -> fact_check --(too little support, bounded)--> research
                                          \\-> stakeholders (Send per actor) -> synthesis -> END
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.graph import END, START, StateGraph
from langgraph.types import Send
from vantage.evals.verifiers import Verifier
from vantage.tools.search import SearchBackend

from .nodes.fact_check import make_fact_check
from .nodes.plan import make_plan
from .nodes.research import make_research
from .nodes.stakeholders import evidence_for, make_stakeholders
from .nodes.synthesis import make_synthesis
from .registry import serde_allowlist
from .state import ResearchTask, RunState, StakeholderTask

NODES = ("plan", "research", "fact_check", "stakeholders", "synthesis")


def route_research(state: RunState) -> list[Send]:
    k = state.budgets.passages_per_query
    return [Send("research", ResearchTask(query=q, k=k, as_of=state.as_of)) for q in state.sub_queries]


def route_after_fact_check(state: RunState) -> list[Send] | str:
    b = state.budgets
    if state.follow_up_queries:
        return [
            Send(
                "research",
                ResearchTask(query=q, k=b.passages_per_query, round=state.fact_check_rounds, as_of=state.as_of),
            )
            for q in state.follow_up_queries
        ]
    if not state.stakeholders or not state.evidence:
        return "synthesis"
    return [
        Send(
            "stakeholders",
            StakeholderTask(
                actor=actor,
                question=state.question,
                perspective=state.perspective,
                evidence=evidence_for(actor, state),
                max_tokens=b.tokens.stakeholders,
            ),
        )
        for actor in state.stakeholders
    ]


def build_graph(model: BaseChatModel, search: SearchBackend, verifier: Verifier, checkpointer: Any = None) -> Any:
    builder = StateGraph(RunState)
    builder.add_node("plan", make_plan(model))
    builder.add_node("research", make_research(search))
    builder.add_node("fact_check", make_fact_check(model, verifier))
    builder.add_node("stakeholders", make_stakeholders(model))
    builder.add_node("synthesis", make_synthesis(model, verifier))
    builder.add_edge(START, "plan")
    builder.add_conditional_edges("plan", route_research, ["research"])
    builder.add_edge("research", "fact_check")
    builder.add_conditional_edges("fact_check", route_after_fact_check, ["research", "stakeholders", "synthesis"])
    builder.add_edge("stakeholders", "synthesis")
    builder.add_edge("synthesis", END)
    if checkpointer is not None:
        # Checkpoints hold our pydantic types (state and Send tasks): let exactly those be read back.
        types = [builder.state_schema, *(spec.input_schema for spec in builder.nodes.values())]
        checkpointer = checkpointer.with_allowlist(serde_allowlist(*types))
    return builder.compile(checkpointer=checkpointer)


def make_graph(config: dict[str, Any] | None = None) -> Any:
    """Factory for `langgraph dev` (langgraph.json): the graph on VANTAGE_* defaults."""
    from vantage.evals.verifiers import make_verifier
    from vantage.tools.models import make_chat_model, parse_spec
    from vantage.tools.search import make_search

    return build_graph(make_chat_model(parse_spec(None)), make_search(), make_verifier())
