"""Optional OpenTelemetry export of a finished run's trace (Phoenix, Langfuse, any OTLP/HTTP collector).

Off unless VANTAGE_OTEL_ENDPOINT is set. Spans are built after the run from the registry, with
the recorded start and end times, so export never slows a run and never touches its threads.
Attributes follow OpenInference (Phoenix) and the GenAI semantic conventions (Langfuse).
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from vantage.tools.errors import VantageError

from .registry import Registry
from .trace_view import RunTrace, load_trace

ENDPOINT_ENV = "VANTAGE_OTEL_ENDPOINT"
log = logging.getLogger("vantage.trace")


def _ns(seconds: float) -> int:
    return int(seconds * 1e9)


def _otlp_exporter(endpoint: str) -> Any:
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    except ImportError as exc:
        raise VantageError(
            f"{ENDPOINT_ENV} is set but the OTLP exporter is missing: pip install -e '.[otel]'"
        ) from exc
    return OTLPSpanExporter(endpoint=endpoint)  # headers (e.g. Langfuse auth): OTEL_EXPORTER_OTLP_HEADERS


def export_trace(trace: RunTrace, exporter: Any) -> int:
    """Send the run as a span tree (run -> node executions -> LLM calls); returns the span count."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.trace import Status, StatusCode, set_span_in_context

    provider = TracerProvider(resource=Resource.create({"service.name": "vantage"}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    tracer = provider.get_tracer("vantage.graph.trace")
    run = trace.run
    start = run.started.timestamp()
    ends = [v.execution.ended or v.execution.started for v in trace.executions]
    root = tracer.start_span(
        "vantage",
        start_time=_ns(start),
        attributes={
            "openinference.span.kind": "CHAIN",
            "session.id": run.id,
            "input.value": run.question,
            "vantage.run_id": run.id,
            "vantage.perspective": run.perspective,
            "vantage.prompt_hash": run.prompt_hash,
            "vantage.status": run.status,
            "llm.model_name": run.model_id,
            "llm.token_count.prompt": run.prompt_tokens,
            "llm.token_count.completion": run.completion_tokens,
        },
    )
    count = 1
    for v in trace.executions:
        e = v.execution
        node = tracer.start_span(
            e.node,
            context=set_span_in_context(root),
            start_time=_ns(e.started),
            attributes={
                "openinference.span.kind": "CHAIN",
                "vantage.node": e.node,
                "vantage.step": e.step,
                "vantage.branch": e.branch or "",
                "vantage.attempt": e.attempt,
                "vantage.retries": e.retries,
                "input.value": json.dumps(e.reads, ensure_ascii=False),
                "output.value": json.dumps(e.writes, ensure_ascii=False),
            },
        )
        for c in v.calls:
            attributes: dict[str, Any] = {
                "openinference.span.kind": "LLM",
                "llm.model_name": c.model_id,
                "gen_ai.request.model": c.model_id,
                "llm.token_count.prompt": c.prompt_tokens,
                "llm.token_count.completion": c.completion_tokens,
                "llm.token_count.total": c.prompt_tokens + c.completion_tokens,
                "gen_ai.usage.input_tokens": c.prompt_tokens,
                "gen_ai.usage.output_tokens": c.completion_tokens,
                "input.value": json.dumps([m.model_dump() for m in c.messages], ensure_ascii=False),
                "input.mime_type": "application/json",
                "output.value": c.reply,
                "llm.output_messages.0.message.role": "assistant",
                "llm.output_messages.0.message.content": c.reply,
                "vantage.retry": c.retry,
            }
            for i, m in enumerate(c.messages):
                attributes[f"llm.input_messages.{i}.message.role"] = m.role
                attributes[f"llm.input_messages.{i}.message.content"] = m.content
            call = tracer.start_span(
                "llm", context=set_span_in_context(node), start_time=_ns(c.started), attributes=attributes
            )
            if c.status != "done":
                call.set_status(Status(StatusCode.ERROR, c.error or c.status))
            call.end(end_time=_ns(c.ended or c.started))
            count += 1
        if e.status != "done":
            node.set_status(Status(StatusCode.ERROR, e.error or e.status))
        node.end(end_time=_ns(e.ended or e.started))
        count += 1
    if run.status != "done":
        root.set_status(Status(StatusCode.ERROR, run.error or run.status))
    root.end(end_time=_ns(max(ends, default=start)))
    provider.shutdown()  # flushes the batch
    return count


def export_if_configured(registry: Registry, run_id: str) -> None:
    """Export when VANTAGE_OTEL_ENDPOINT is set. A failed export is logged, never fails the run."""
    endpoint = os.environ.get(ENDPOINT_ENV)
    if not endpoint:
        return
    try:
        export_trace(load_trace(registry, run_id), _otlp_exporter(endpoint))
    except Exception as exc:
        log.warning("vantage: OpenTelemetry export to %s failed: %s", endpoint, exc)
