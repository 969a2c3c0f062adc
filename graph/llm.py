"""One way for a node to ask the model for structured output: the perspective's system prompt,
a rendered prompt file, a bounded schema, and the node's token budget."""

from __future__ import annotations

from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from pydantic import BaseModel
from vantage.tools.structured import StructuredResult, generate_structured

from .perspectives import Perspective
from .promptset import render

T = TypeVar("T", bound=BaseModel)


def ask(
    model: BaseChatModel,
    perspective: Perspective,
    prompt: str,
    output: type[T],
    *,
    name: str,
    max_tokens: int,
    config: RunnableConfig | None,
    json_schema: dict[str, Any] | None = None,
    **values: object,
) -> StructuredResult[T]:
    """Render prompt file `prompt` with `values` and ask for an `output` object."""
    system = SystemMessage(
        render("system", agent=perspective.agent, organisation=perspective.organisation, actor=perspective.actor)
    )
    return generate_structured(
        model,
        [system, HumanMessage(render(prompt, **values))],
        output,
        name=name,
        json_schema=json_schema,
        max_tokens=max_tokens,
        config=config,
    )
