"""Structured output: retries on invalid JSON, degrades to None, never crashes."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage
from pydantic import BaseModel, Field
from vantage.tools.structured import extract_json, generate_structured


class Pick(BaseModel):
    items: list[str] = Field(max_length=2)


def test_retries_after_invalid_json_then_succeeds() -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage("{oops"), AIMessage('{"items": ["a"]}')]))
    result = generate_structured(model, [HumanMessage("go")], Pick, name="t")
    assert result.value == Pick(items=["a"])
    assert result.attempts == 2 and len(result.errors) == 1


def test_schema_violation_counts_as_failure() -> None:
    too_many = '{"items": ["a", "b", "c"]}'
    model = GenericFakeChatModel(messages=iter([AIMessage(too_many)] * 3))
    result = generate_structured(model, [HumanMessage("go")], Pick, name="t", retries=2)
    assert result.value is None
    assert result.attempts == 3 and len(result.errors) == 3


def test_extract_json_tolerates_fences_and_chatter() -> None:
    assert extract_json('```json\n{"a": 1}\n```') == {"a": 1}
    assert extract_json('Sure! Here it is: {"a": [1, 2]} hope that helps') == {"a": [1, 2]}
