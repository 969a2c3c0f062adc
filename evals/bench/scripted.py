"""A scripted chat model with a fixed latency per call, for timing the graph without a model.

It answers any structured prompt from the JSON schema the prompt carries (tools/structured.py
appends it for models without a `response_format`): cited sentences are the lead sentences of the
evidence shown, so the run takes the same path as a real one (claims verify, views are kept). Its
latency is `time.sleep`, which, like waiting on a real model server, leaves the other threads free.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from vantage.tools.text import split_sentences

SCHEMA_HINT = "matching this JSON schema, and nothing else:\n"
_EVIDENCE_LINE = re.compile(r"^\[([^\]\s]+)\] \([^)]*\) (.+)$", re.MULTILINE)
_QUESTION = re.compile(r"^Question: (.+)$", re.MULTILINE)
_VANTAGE = re.compile(r"vantage point of ([^.\n]+)\.")
_OPENING = re.compile(r"^\^((?:[^\[\\]|\\.)+)\[\^\\n\]")  # a literal opening, then free text
FILLER = "The cited reporting sets out the relevant facts in some detail."


def _unescape(pattern: str) -> str:
    return re.sub(r"\\(.)", r"\1", pattern)


def _sentence(text: str, limit: int = 200) -> str:
    """A sentence that passes the report's sentence pattern: capital first, full stop last."""
    first = (split_sentences(text) or [text])[0].strip()
    if len(first) > limit:
        first = first[:limit].rsplit(" ", 1)[0] + "."
    if not first[:1].isupper() and not first[:1].isdigit():
        first = first[:1].upper() + first[1:]
    return first if first[-1:] in ".!?" else first + "."


class _Filler:
    """Fills one JSON schema from the prompt's evidence."""

    def __init__(self, prompt: str, schema: dict[str, Any]) -> None:
        self.defs = schema.get("$defs", {})
        self.evidence = itertools.cycle(_EVIDENCE_LINE.findall(prompt) or [("", FILLER)])
        question = _QUESTION.search(prompt)
        self.question = question.group(1).strip() if question else "the question"
        actor = _VANTAGE.search(prompt)
        self.actor = actor.group(1).strip() if actor else "the parties"

    def value(self, node: dict[str, Any], key: str = "") -> Any:
        if "$ref" in node:
            return self.value(self.defs[node["$ref"].rsplit("/", 1)[-1]], key)
        if node.get("type") == "object" or "properties" in node:
            props = node.get("properties", {})
            if {"text", "evidence_ids"} <= props.keys():
                return self.cited(props["text"], props["evidence_ids"])
            return {k: self.value(v, k) for k, v in props.items()}
        if node.get("type") == "array":
            count = max(node.get("minItems", 1), min(node.get("maxItems", 3), 3))
            if key == "sub_queries":
                return [self.question[:100]]
            if key == "stakeholders":
                return [self.actor[:40]]
            return [self.value(node["items"], key) for _ in range(count)]
        if "enum" in node:
            return node["enum"][0]
        return self.text(node)

    def text(self, node: dict[str, Any], body: str = FILLER) -> str:
        opening = _OPENING.match(node.get("pattern", ""))
        if opening:  # a fixed opening such as "Russia's interests are": keep the tail short
            return f"{_unescape(opening.group(1))} set out in the cited reporting."
        return _sentence(body, node.get("maxLength", 200))

    def cited(self, text_node: dict[str, Any], ids_node: dict[str, Any]) -> dict[str, Any]:
        eid, passage = next(self.evidence)
        allowed = ids_node.get("items", {}).get("enum")
        ids = [eid] if eid and (allowed is None or eid in allowed) else []
        return {"text": self.text(text_node, passage), "evidence_ids": ids}


class FixedLatencyModel(BaseChatModel):
    """Replies after exactly `latency_s`, whatever the prompt; token counts are word counts."""

    latency_s: float = 0.5
    model_id: str = "scripted-fixed-latency"

    @property
    def _llm_type(self) -> str:
        return "fixed-latency-scripted"

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        started = time.perf_counter()
        prompt = "\n".join(str(m.content) for m in messages)
        schema_at = prompt.rfind(SCHEMA_HINT)
        if schema_at < 0:
            reply = FILLER
        else:
            schema, _ = json.JSONDecoder().raw_decode(prompt[schema_at + len(SCHEMA_HINT) :])
            reply = json.dumps(_Filler(prompt[:schema_at], schema).value(schema))
        time.sleep(max(0.0, self.latency_s - (time.perf_counter() - started)))
        usage = {
            "input_tokens": len(prompt.split()),
            "output_tokens": len(reply.split()),
            "total_tokens": len(prompt.split()) + len(reply.split()),
        }
        return ChatResult(generations=[ChatGeneration(message=AIMessage(reply, usage_metadata=usage))])
