"""The LangGraph state machine.

plan -> research (Send per sub-query) -> dispatch -> fact_check --(too little support, bounded)--> research
                                                  |              \\-> synthesis -> END
                                                  \\-> stakeholders (Send per actor, first round only)

After the first research round, fact_check and the stakeholder branches run side by side: the
analysis needs the evidence, not the verdicts. synthesis follows fact_check alone and still sees
every view: the branches start in the same superstep as the first fact_check, and a superstep ends
only when all its tasks have. (Not `defer=True`: LangGraph releases a deferred node while the
follow-up research Sends are still pending, so synthesis would run mid-loop.)
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.graph import END, START, StateGraph
from langgraph.types import Send
from vantage.evals.verifiers import Verifier
from vantage.tools.search import SearchBackend

from .nodes.dispatch import dispatch
from .nodes.fact_check import make_fact_check
from .nodes.plan import make_plan
from .nodes.research import make_research
from .nodes.stakeholders import evidence_for, make_stakeholders
from .nodes.synthesis import make_synthesis
from .registry import serde_allowlist
from .state import ResearchTask, RunState, StakeholderTask

NODES = ("plan", "research", "dispatch", "fact_check", "stakeholders", "synthesis")


def route_research(state: RunState) -> list[Send]:
    k = state.budgets.passages_per_query
    return [Send("research", ResearchTask(query=q, k=k, as_of=state.as_of)) for q in state.sub_queries]


def route_after_dispatch(state: RunState) -> list[Send | str]:
    if state.fact_check_rounds > 0 or not state.evidence:
        return ["fact_check"]
    b = state.budgets
    return [
        "fact_check",
        *(
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
        ),
    ]


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
    return "synthesis"


def build_graph(model: BaseChatModel, search: SearchBackend, verifier: Verifier, checkpointer: Any = None) -> Any:
    builder = StateGraph(RunState)
    builder.add_node("plan", make_plan(model))
    builder.add_node("research", make_research(search))
    builder.add_node("dispatch", dispatch)
    builder.add_node("fact_check", make_fact_check(model, verifier))
    builder.add_node("stakeholders", make_stakeholders(model))
    builder.add_node("synthesis", make_synthesis(model, verifier))
    builder.add_edge(START, "plan")
    builder.add_conditional_edges("plan", route_research, ["research"])
    builder.add_edge("research", "dispatch")
    builder.add_conditional_edges("dispatch", route_after_dispatch, ["fact_check", "stakeholders"])
    builder.add_conditional_edges("fact_check", route_after_fact_check, ["research", "synthesis"])
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
