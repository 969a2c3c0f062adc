"""The one callback handler behind traces: node executions and LLM calls, written to the registry
as they happen (so a killed run keeps its trace up to the kill), and usage totals for the run's
stats line, counted from the same events (UsageTracker) so the two always agree."""

from __future__ import annotations

import threading
import time
from typing import Any
from uuid import UUID

from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult
from vantage.tools.usage import UsageTracker, token_counts

from .registry import LLMCall, Message, NodeExec, Registry, Status
from .trace_io import branch_label, summarise_fields

# Invocation parameters worth keeping with a call: they shape the reply (the rest is client plumbing).
_PARAMS = ("model", "model_name", "temperature", "max_tokens", "max_completion_tokens", "stop", "response_format")


def _messages(batch: list[list[BaseMessage]]) -> list[Message]:
    return [
        Message(role=m.type, content=m.content if isinstance(m.content, str) else str(m.content))
        for messages in batch
        for m in messages
    ]


def _reply(response: LLMResult) -> str:
    return "\n".join(g.text for generations in response.generations for g in generations)


class TraceRecorder(UsageTracker):
    """Thread-safe: fan-out branches report from worker threads.

    A node execution is LangGraph's node-level chain run (its name is the node's and it carries a
    `graph:step:N` tag); an LLM call belongs to the execution with the same task namespace.
    """

    def __init__(
        self,
        registry: Registry,
        run_id: str,
        *,
        model_id: str,
        reads: dict[str, list[str] | None],
        attempt: int = 1,
        wall_offset_s: float = 0.0,
    ) -> None:
        super().__init__()
        self.registry, self.run_id, self.model_id = registry, run_id, model_id
        self.reads, self.attempt = reads, attempt
        self._wall_offset, self._t0 = wall_offset_s, time.perf_counter()
        self._execs: dict[UUID, NodeExec] = {}
        self._exec_of_task: dict[str, NodeExec] = {}
        self._calls: dict[UUID, LLMCall] = {}
        self._sent: dict[str, list[list[Message]]] = {}  # per execution: messages of each call so far
        self._guard = threading.Lock()

    def wall_time(self) -> float:
        return self._wall_offset + time.perf_counter() - self._t0

    # node executions
    def on_chain_start(
        self,
        serialized: dict[str, Any] | None,
        inputs: Any,
        *,
        run_id: UUID,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        meta = metadata or {}
        node = meta.get("langgraph_node")
        if node is None or kwargs.get("name") != node or not any(t.startswith("graph:step:") for t in tags or []):
            return  # the graph itself, a router, or a runnable inside a node
        pushed = "__pregel_push" in meta.get("langgraph_triggers", ())
        execution = NodeExec(
            id=str(run_id),
            run_id=self.run_id,
            node=node,
            step=int(meta.get("langgraph_step", 0)),
            task=str(meta.get("langgraph_checkpoint_ns", node)),
            branch=branch_label(inputs) if pushed else None,
            attempt=self.attempt,
            started=time.time(),
            reads=summarise_fields(inputs, self.reads.get(node)),
        )
        with self._guard:
            self._execs[run_id] = execution
            self._exec_of_task[execution.task] = execution
        self.registry.node_started(execution)

    def _end_node(self, run_id: UUID, status: Status, outputs: Any = None, error: str | None = None) -> None:
        with self._guard:
            execution = self._execs.pop(run_id, None)
        if execution is None:
            return
        execution.ended, execution.status, execution.error = time.time(), status, error
        execution.writes = summarise_fields(outputs, None) if isinstance(outputs, dict) else {}
        self.registry.node_ended(execution)
        self.registry.set_wall_time(self.run_id, self.wall_time())

    def on_chain_end(self, outputs: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._end_node(run_id, "done", outputs)

    def on_chain_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        status: Status = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"
        self._end_node(run_id, status, error=f"{type(error).__name__}: {error}")

    # LLM calls
    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        metadata: dict[str, Any] | None = None,
        invocation_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().on_chat_model_start(serialized, messages, run_id=run_id, metadata=metadata, **kwargs)
        meta, params = metadata or {}, invocation_params or {}
        sent = _messages(messages)
        with self._guard:
            execution = self._exec_of_task.get(str(meta.get("langgraph_checkpoint_ns", "")))
            history = self._sent.setdefault(execution.id if execution else "-", [])
            # generate_structured retries by resending the original messages plus a correction,
            # so a call that extends an earlier call of the same execution is a retry.
            retry = any(len(prev) < len(sent) and sent[: len(prev)] == prev for prev in history)
            history.append(sent)
            if retry and execution is not None:
                execution.retries += 1
        call = LLMCall(
            id=str(run_id),
            run_id=self.run_id,
            exec_id=execution.id if execution else None,
            node=str(meta.get("langgraph_node", "-")),
            started=time.time(),
            model_id=str(
                meta.get("ls_model_name") or params.get("model") or params.get("model_name") or self.model_id
            ),
            messages=sent,
            params={k: params[k] for k in _PARAMS if params.get(k) is not None},
            retry=retry,
        )
        with self._guard:
            self._calls[run_id] = call
        self.registry.call_started(call)

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        super().on_llm_end(response, run_id=run_id, **kwargs)
        with self._guard:
            call = self._calls.pop(run_id, None)
        if call is None:
            return
        call.prompt_tokens, call.completion_tokens = token_counts(response)
        call.ended, call.status, call.reply = time.time(), "done", _reply(response)
        self.registry.call_ended(call)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        super().on_llm_error(error, run_id=run_id, **kwargs)
        with self._guard:
            call = self._calls.pop(run_id, None)
        if call is None:
            return
        call.ended, call.error = time.time(), f"{type(error).__name__}: {str(error)[:500]}"
        call.status = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"
        self.registry.call_ended(call)
