"""Count LLM calls and tokens per run and per graph node, from LangChain callbacks."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult
from pydantic import BaseModel


class Usage(BaseModel):
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class UsageTracker(BaseCallbackHandler):
    """Thread-safe: fan-out branches report from worker threads."""

    def __init__(self) -> None:
        self.total = Usage()
        self.by_node: dict[str, Usage] = {}
        self._node_of_run: dict[UUID, str] = {}
        self._lock = threading.Lock()

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[Any]],
        *,
        run_id: UUID,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        with self._lock:
            self._node_of_run[run_id] = (metadata or {}).get("langgraph_node", "-")

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        prompt, completion = token_counts(response)
        with self._lock:
            node = self._node_of_run.pop(run_id, "-")
            for usage in (self.total, self.by_node.setdefault(node, Usage())):
                usage.llm_calls += 1
                usage.prompt_tokens += prompt
                usage.completion_tokens += completion

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:  # a failed call used no tokens we can count
            self._node_of_run.pop(run_id, None)


def token_counts(response: LLMResult) -> tuple[int, int]:
    for generations in response.generations:
        for gen in generations:
            meta = getattr(getattr(gen, "message", None), "usage_metadata", None)
            if meta:
                return meta.get("input_tokens", 0), meta.get("output_tokens", 0)
    usage = (response.llm_output or {}).get("token_usage") or {}
    return usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
