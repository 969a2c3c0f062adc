"""Optional OpenTelemetry export: off by default; when on, the run arrives as a span tree. No network:
spans go to the SDK's in-memory exporter."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from graph_fixtures import scripted_model
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from vantage.graph import trace_otel
from vantage.graph.registry import open_registry
from vantage.graph.runner import RunRequest, execute
from vantage.graph.trace_view import load_trace

QUESTION = "Russia says it is ready to resume talks with Ukraine in Istanbul. What is your assessment?"


@pytest.fixture(autouse=True)
def state_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VANTAGE_HOME", str(tmp_path / "home"))


def run(corpus: Path) -> str:
    report = execute(RunRequest(question=QUESTION, corpus=str(corpus)), chat_model=scripted_model())
    assert report.run is not None
    return report.run.run_id


def test_spans_form_the_run_node_call_tree_with_recorded_times(corpus_file: Path) -> None:
    run_id = run(corpus_file)
    with open_registry() as registry:
        trace = load_trace(registry, run_id)
    exporter = InMemorySpanExporter()
    count = trace_otel.export_trace(trace, exporter)
    spans = exporter.get_finished_spans()
    calls = [c for v in trace.executions for c in v.calls]
    assert count == len(spans) == 1 + len(trace.executions) + len(calls)

    (root,) = [s for s in spans if s.parent is None]
    nodes = [s for s in spans if s.parent is not None and s.parent.span_id == root.context.span_id]
    llm = [s for s in spans if s.name == "llm"]
    assert sorted(s.name for s in nodes) == sorted(v.execution.node for v in trace.executions)
    assert {s.parent.span_id for s in llm} <= {s.context.span_id for s in nodes}  # type: ignore[union-attr]
    assert root.attributes["vantage.run_id"] == run_id and root.attributes["input.value"] == QUESTION

    (synthesis,) = [s for s in llm if "Write an assessment" in str(s.attributes["input.value"])]
    (call,) = [c for c in calls if c.node == "synthesis"]
    assert synthesis.attributes["llm.token_count.prompt"] == call.prompt_tokens
    assert synthesis.attributes["output.value"] == call.reply
    assert synthesis.start_time == int(call.started * 1e9) and synthesis.end_time == int(call.ended * 1e9)  # type: ignore[operator]


def test_export_is_off_unless_the_endpoint_is_set(corpus_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(trace_otel.ENDPOINT_ENV, raising=False)
    exporters: list[InMemorySpanExporter] = []

    def exporter(endpoint: str) -> InMemorySpanExporter:
        exporters.append(InMemorySpanExporter())
        return exporters[-1]

    monkeypatch.setattr(trace_otel, "_otlp_exporter", exporter)
    run(corpus_file)
    assert exporters == []

    monkeypatch.setenv(trace_otel.ENDPOINT_ENV, "http://127.0.0.1:4318/v1/traces")
    run_id = run(corpus_file)
    (used,) = exporters
    assert any(s.attributes.get("vantage.run_id") == run_id for s in used.get_finished_spans())


def test_a_failed_export_is_logged_and_the_run_still_succeeds(
    corpus_file: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def missing(endpoint: str) -> None:
        raise trace_otel.VantageError("the OTLP exporter is missing")

    monkeypatch.setenv(trace_otel.ENDPOINT_ENV, "http://127.0.0.1:4318/v1/traces")
    monkeypatch.setattr(trace_otel, "_otlp_exporter", missing)
    with caplog.at_level(logging.WARNING, logger="vantage.trace"):
        run_id = run(corpus_file)
    with open_registry() as registry:
        assert registry.get_run(run_id).status == "done"
    assert "OpenTelemetry export to http://127.0.0.1:4318/v1/traces failed" in caplog.text
