"""Structured output: retries on invalid JSON, degrades to None, never crashes."""

from __future__ import annotations

from pathlib import Path

import httpx
import openai
import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage
from pydantic import BaseModel, Field
from vantage.tools.errors import ModelError
from vantage.tools.llm_cache import ReplayCache, with_replay
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


class _CutOffOnce(GenericFakeChatModel):
    """The first reply is cut off (llama.cpp's server answers 500); counts the calls it serves."""

    calls: int = 0

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls == 1:
            response = httpx.Response(500, request=httpx.Request("POST", "http://127.0.0.1/v1/chat/completions"))
            raise openai.InternalServerError("output does not match the format", response=response, body=None)
        return super()._generate(messages, stop, run_manager, **kwargs)


def test_a_replay_takes_the_recorded_failure_path_without_calling_the_model(tmp_path: Path) -> None:
    def attempt() -> tuple[object, _CutOffOnce, ReplayCache]:
        model = _CutOffOnce(messages=iter([AIMessage('{"items": ["a"]}')]))
        cache = with_replay(model, tmp_path / "cache.sqlite", "m")
        return generate_structured(model, [HumanMessage("go")], Pick, name="t"), model, cache

    first, first_model, _ = attempt()
    assert first.value == Pick(items=["a"]) and first.attempts == 2 and first_model.calls == 2
    second, second_model, cache = attempt()
    assert second.value == first.value and second.errors == first.errors
    assert second_model.calls == 0 and cache.hits == 2 and cache.misses == 0


class _TimesOut(GenericFakeChatModel):
    def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[no-untyped-def]
        request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
        raise openai.APITimeoutError(request=request)


def test_a_timeout_reads_as_one_and_is_never_replayed(tmp_path: Path) -> None:
    """A busy server timing out is not an unreachable one, and a transient failure must not be
    recorded: replaying it would fail that call in every later run."""
    model = _TimesOut(messages=iter([]))
    cache = with_replay(model, tmp_path / "cache.sqlite", "m")
    with pytest.raises(ModelError, match="model timed out during t"):
        generate_structured(model, [HumanMessage("go")], Pick, name="t")
    assert cache._failures.execute("SELECT COUNT(*) FROM vantage_failures").fetchone()[0] == 0
