"""JSON-schema constrained generation with bounded retries.

Small local models loop, ramble and sometimes emit broken JSON. Every structured call therefore:
  * sends the JSON schema as a `response_format` constraint where the backend supports it
    (OpenAI and llama.cpp's server), and states it in the prompt for the rest;
  * caps the reply with `max_tokens`;
  * validates the reply with pydantic, and on failure retries with the validation error;
  * returns None after the last retry so the caller can degrade instead of crashing.
"""

from __future__ import annotations

import json
import re
from typing import Any, Generic, TypeVar

import httpx
import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.runnables import RunnableConfig
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, ValidationError

from .errors import ModelError
from .llm_cache import ReplayCache

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


class StructuredResult(BaseModel, Generic[T]):
    value: T | None
    attempts: int
    errors: list[str]


def extract_json(text: str) -> Any:
    """Parse the first JSON object in `text`, tolerating code fences and chatter around it."""
    cleaned = _FENCE.sub("", text.strip())
    try:
        return json.loads(cleaned)
    except json.JSONDecodeError:
        start = cleaned.find("{")
        if start < 0:
            raise
        obj, _ = json.JSONDecoder().raw_decode(cleaned[start:])
        return obj


def _supports_response_format(model: BaseChatModel) -> bool:
    return isinstance(model, ChatOpenAI)


def generate_structured(
    model: BaseChatModel,
    messages: list[BaseMessage],
    output: type[T],
    *,
    name: str,
    json_schema: dict[str, Any] | None = None,
    max_tokens: int = 512,
    retries: int = 2,
    config: RunnableConfig | None = None,
) -> StructuredResult[T]:
    """Ask for an `output` object; `json_schema` overrides the model's own (e.g. to add enums)."""
    schema = json_schema or output.model_json_schema()
    if _supports_response_format(model):
        runnable = model.bind(
            response_format={"type": "json_schema", "json_schema": {"name": name, "schema": schema}},
            max_tokens=max_tokens,
        )
    else:
        hint = HumanMessage(
            "Reply with one JSON object matching this JSON schema, and nothing else:\n" + json.dumps(schema)
        )
        messages = [*messages, hint]
        runnable = model
    errors: list[str] = []
    history = list(messages)
    replay = model.cache if isinstance(model.cache, ReplayCache) else None
    for attempt in range(1, retries + 2):
        # Only a replayed eval keys calls; a plain run skips serialising the whole prompt.
        call = (
            json.dumps([name, max_tokens, schema, [(m.type, m.content) for m in history]], default=str)
            if replay
            else ""
        )
        try:
            if replay and (recorded := replay.failure(call)):
                raise ReplayedFailure(recorded)
            reply = _invoke(runnable, history, config, name)
        except (openai.LengthFinishReasonError, openai.InternalServerError, ReplayedFailure) as exc:
            # A reply cut off at max_tokens is unparseable JSON (llama.cpp's server reports it as a
            # 500 from its output parser); asking again, shorter, usually fits.
            failure = exc.args[0] if isinstance(exc, ReplayedFailure) else _describe(exc)
            if replay and not isinstance(exc, ReplayedFailure):
                replay.record_failure(call, failure)
            errors.append(f"attempt {attempt}: {failure}")
            history = [
                *messages,
                HumanMessage(
                    f"Your reply was cut off at {max_tokens} tokens. Reply again, much shorter: "
                    "fewer items, one short sentence each, valid JSON only."
                ),
            ]
            continue
        text = reply.content if isinstance(reply.content, str) else str(reply.content)
        try:
            return StructuredResult[output](
                value=output.model_validate(extract_json(text)), attempts=attempt, errors=errors
            )
        except (ValueError, ValidationError) as exc:
            problem = str(exc).splitlines()[0][:300]
            errors.append(f"attempt {attempt}: {problem}")
            history = [
                *messages,
                AIMessage(text[:2000]),
                HumanMessage(f"That reply was not valid ({problem}). Reply again with valid JSON only."),
            ]
    return StructuredResult[output](value=None, attempts=retries + 1, errors=errors)


class ReplayedFailure(Exception):
    """A call that failed when it was first made, replayed from the cache instead of re-run."""


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"


def _invoke(runnable: Any, messages: list[BaseMessage], config: RunnableConfig | None, name: str) -> AIMessage:
    try:
        return runnable.invoke(messages, config=config)
    # A timeout first: openai's APITimeoutError is a kind of APIConnectionError, and "unreachable"
    # would send the user looking for a server that is merely busy.
    except (openai.APITimeoutError, httpx.TimeoutException) as exc:
        raise ModelError(f"model timed out during {name} (after the client's retries)") from exc
    except (openai.APIConnectionError, httpx.ConnectError) as exc:
        raise ModelError(f"model endpoint unreachable during {name}: {exc}") from exc
    except openai.AuthenticationError as exc:
        raise ModelError(f"model rejected the API key during {name}") from exc
    except openai.NotFoundError as exc:
        raise ModelError(f"model endpoint has no such model during {name}: {exc.message}") from exc
