"""Run budgets: how much a run may search, loop and generate. Recorded in every run."""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationError
from vantage.tools.errors import InputError


class TokenBudgets(BaseModel):
    """Completion-token caps per node (the reply, not the prompt)."""

    plan: int = Field(default=220, ge=32)
    fact_check: int = Field(default=700, ge=32)
    stakeholders: int = Field(default=380, ge=32)
    synthesis: int = Field(default=1300, ge=64)


class Budgets(BaseModel):
    max_sub_queries: int = Field(default=5, ge=1, le=8)
    passages_per_query: int = Field(default=4, ge=1, le=20)
    max_fact_check_rounds: int = Field(default=2, ge=0, le=4, description="extra research rounds")
    unverified_threshold: float = Field(
        default=0.5, ge=0, le=1, description="loop back to research when this share is unverified"
    )
    max_claims: int = Field(default=6, ge=1, le=20)
    max_stakeholders: int = Field(default=4, ge=1, le=8)
    evidence_in_prompt: int = Field(default=10, ge=1, le=40, description="passages shown per prompt")
    max_quotations: int = Field(default=2, ge=0, le=5)
    min_known_facts: int = Field(default=4, ge=0, le=10)
    max_concurrency: int = Field(
        default=8, ge=1, le=32, description="graph branches (research, stakeholders) run at once; 1 is serial"
    )
    tokens: TokenBudgets = TokenBudgets()


def budget_keys() -> list[str]:
    return [k for k in Budgets.model_fields if k != "tokens"] + [f"tokens.{k}" for k in TokenBudgets.model_fields]


def parse_budgets(items: list[str] | None) -> Budgets:
    """Budgets from `KEY=VALUE` overrides (`--budget max_sub_queries=2 --budget tokens.synthesis=900`)."""
    values: dict[str, object] = {}
    tokens: dict[str, object] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in budget_keys():
            raise InputError(f"--budget {item!r}: expected KEY=VALUE with KEY one of {', '.join(budget_keys())}")
        if key.startswith("tokens."):
            tokens[key.removeprefix("tokens.")] = value.strip()
        else:
            values[key] = value.strip()
    try:
        return Budgets.model_validate({**values, "tokens": tokens})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"--budget {where}: {first['msg']}") from exc
