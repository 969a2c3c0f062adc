"""dispatch: the join after a research round. Every branch's evidence is in the ledger here, so this
is where the first round picks the stakeholders (builder.route_after_dispatch then starts their
analysis side by side with fact_check: neither needs the other's output)."""

from __future__ import annotations

from typing import Any

from ..actors import known_actors, mentions
from ..state import RunState


def choose_stakeholders(state: RunState) -> list[str]:
    """The perspective's own actor first, then planned candidates and other known actors,
    ordered by how often the evidence names them; actors the evidence never names are dropped."""
    corpus = " ".join(e.text for e in state.evidence.values())
    own = [state.perspective.actor] if state.perspective.is_party else []
    counts = {a: mentions(a, corpus) for a in known_actors()}
    planned = [a for a in state.stakeholders if counts.get(a, 0) > 0 and a not in own]
    others = sorted(
        (a for a, n in counts.items() if n >= 2 and a not in planned and a not in own),
        key=lambda a: -counts[a],
    )
    ranked = sorted(planned, key=lambda a: -counts[a]) + others
    return (own + ranked)[: state.budgets.max_stakeholders]


def dispatch(state: RunState) -> dict[str, Any]:
    # Follow-up rounds only feed fact_check: the stakeholder analysis already started on round one.
    return {"stakeholders": choose_stakeholders(state)} if state.fact_check_rounds == 0 else {}
