"""dispatch: the join after a research round. Every branch's evidence is in the ledger here, so this
is where the first round picks the stakeholders (builder.route_after_dispatch then starts their
analysis side by side with fact_check: neither needs the other's output)."""

from __future__ import annotations

from typing import Any

from ..actors import known_actors, mentions
from ..state import RunState


def choose_stakeholders(state: RunState) -> list[str]:
    """The perspective's own actor first, then planned candidates and other known actors, ordered by
    how often the evidence names them; actors the evidence never names are dropped. A search for an
    actor always finds it named, so an actor's mentions count only in passages that a search naming
    it did not fetch: a plan that wrongly lists Russia for a Gaza question does not make Russia a
    stakeholder by searching for it. Actors the question names stay whatever the evidence says."""
    own = [state.perspective.actor] if state.perspective.is_party else []
    counts = {
        a: sum(mentions(a, e.text) for e in state.evidence.values() if not mentions(a, e.query))
        for a in known_actors()
    }
    asked = {a for a in known_actors() if mentions(a, state.question)}
    planned = [a for a in state.stakeholders if (counts[a] > 0 or a in asked) and a not in own]
    others = sorted(
        (a for a, n in counts.items() if n >= 2 and a not in planned and a not in own),
        key=lambda a: -counts[a],
    )
    ranked = sorted(planned, key=lambda a: -counts[a]) + others
    return (own + ranked)[: state.budgets.max_stakeholders]


def dispatch(state: RunState) -> dict[str, Any]:
    # Follow-up rounds only feed fact_check: the stakeholder analysis already started on round one.
    return {"stakeholders": choose_stakeholders(state)} if state.fact_check_rounds == 0 else {}
