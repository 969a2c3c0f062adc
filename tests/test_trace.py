"""Run registry and traces: what a scripted run records, and the `runs` and `trace` commands."""

from __future__ import annotations

import json
import re
import threading
from datetime import date
from pathlib import Path

import pytest
from cli_runner import vantage
from graph_fixtures import DRAFT, scripted_model
from scripted import RoutedFakeChatModel
from vantage.graph.builder import NODES
from vantage.graph.registry import open_registry
from vantage.graph.report import Report
from vantage.graph.runner import RunRequest, execute, resume
from vantage.graph.trace_html import render_html
from vantage.graph.trace_io import state_reads, summarise
from vantage.graph.trace_view import RunTrace, load_trace, render_node, render_timeline

QUESTION = "Russia says it is ready to resume talks with Ukraine in Istanbul. What is your assessment?"


@pytest.fixture(autouse=True)
def state_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VANTAGE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def run(corpus: Path, model: RoutedFakeChatModel | None = None, run_id: str | None = None):
    model = model or scripted_model()
    report = execute(RunRequest(question=QUESTION, corpus=str(corpus)), chat_model=model, run_id=run_id)
    assert report.run is not None
    with open_registry() as registry:
        trace = load_trace(registry, report.run.run_id)
    return report, trace, model


def test_registry_records_the_run(corpus_file: Path) -> None:
    report, trace, _ = run(corpus_file)
    info, record = report.run, trace.run
    assert info is not None
    assert (record.id, record.status, record.question, record.perspective) == (
        info.run_id,
        "done",
        QUESTION,
        "ua-01",
    )
    assert (record.model_id, record.prompt_hash) == (info.model_id, info.prompt_hash)
    assert record.request["corpus"] == str(corpus_file) and record.custom_model
    assert record.wall_time_s == info.wall_time_s > 0


def test_trace_usage_adds_up_to_the_stats_line(corpus_file: Path) -> None:
    report, trace, model = run(corpus_file)
    info = report.run
    assert info is not None
    per_exec = [v.usage for v in trace.executions]
    assert sum(u.llm_calls for u in per_exec) == info.llm_calls == len(model.prompts) == trace.run.llm_calls
    assert sum(u.prompt_tokens for u in per_exec) == info.prompt_tokens == trace.run.prompt_tokens
    assert sum(u.completion_tokens for u in per_exec) == info.completion_tokens == trace.run.completion_tokens
    assert set(trace.nodes()) == set(NODES)
    for v in trace.executions:
        assert v.execution.status == "done" and v.duration_s is not None and v.duration_s >= 0


def test_fan_out_branches_share_their_step_and_are_labelled(corpus_file: Path) -> None:
    report, trace, _ = run(corpus_file)
    stakeholders = [v for v in trace.executions if v.execution.node == "stakeholders"]
    assert len({v.execution.step for v in stakeholders}) == 1
    assert {v.execution.branch for v in stakeholders} == {s.actor for s in report.stakeholders}
    assert all(v.parallel == len(stakeholders) > 1 for v in stakeholders)
    timeline = render_timeline(trace)
    rows = [line for line in timeline.splitlines() if " stakeholders " in line]
    assert rows[0].split("stakeholders")[1].lstrip().startswith("┌")
    assert rows[-1].split("stakeholders")[1].lstrip().startswith("└")


def test_calls_hold_the_exact_messages_reply_and_tokens(corpus_file: Path) -> None:
    _, trace, model = run(corpus_file)
    (synthesis,) = [v for v in trace.executions if v.execution.node == "synthesis"]
    (call,) = synthesis.calls
    sent = "\n".join(m.content for m in call.messages)
    assert sent in model.prompts and "Write an assessment" in sent
    assert call.messages[0].role == "system"
    assert json.loads(call.reply) == DRAFT
    assert call.prompt_tokens == len(sent.split()) and call.completion_tokens == len(call.reply.split())
    assert call.model_id == "scripted" and call.latency_s is not None and not call.retry


def test_inputs_and_outputs_are_the_state_keys_read_and_written(corpus_file: Path) -> None:
    _, trace, _ = run(corpus_file)
    by_node = {v.execution.node: v.execution for v in trace.executions}
    assert {"question", "perspective", "budgets"} <= set(by_node["plan"].reads)
    assert "views" not in by_node["plan"].reads  # plan never looks at stakeholder views
    assert {"sub_queries", "stakeholders"} <= set(by_node["plan"].writes)
    assert set(by_node["research"].reads) >= {"query", "k"} and "evidence" in by_node["research"].writes
    assert {"views", "claims", "evidence"} <= set(by_node["synthesis"].reads)
    assert by_node["synthesis"].writes["report"].startswith("Report(")


def test_structured_output_retries_are_counted_per_node_execution(corpus_file: Path) -> None:
    model = scripted_model(draft="this is not JSON")
    model.routes.insert(0, ("That reply was not valid", DRAFT))  # the retry gets a valid draft
    report, trace, _ = run(corpus_file, model)
    (synthesis,) = [v for v in trace.executions if v.execution.node == "synthesis"]
    assert [c.retry for c in synthesis.calls] == [False, True]
    assert synthesis.usage.retries == 1 and trace.total.retries == 1
    assert report.run is not None and report.run.llm_calls == trace.total.llm_calls == len(model.prompts)
    assert all(v.usage.retries == 0 for v in trace.executions if v.execution.node != "synthesis")


def test_a_failed_run_is_recorded_with_its_error_and_can_be_resumed(corpus_file: Path) -> None:
    broken = scripted_model()
    broken.routes = [r for r in broken.routes if r[0] != "Write an assessment"]
    with pytest.raises(AssertionError, match="no scripted reply"):
        run(corpus_file, broken, run_id="broken")
    with open_registry() as registry:
        trace = load_trace(registry, "broken")
    assert trace.run.status == "failed" and "no scripted reply" in (trace.run.error or "")
    (synthesis,) = [v for v in trace.executions if v.execution.node == "synthesis"]
    assert synthesis.execution.status == "failed" and synthesis.calls[0].status == "failed"

    fixed = scripted_model()
    report = resume("broken", chat_model=fixed)
    assert len(fixed.prompts) == 1 and "Write an assessment" in fixed.prompts[0]
    assert isinstance(report, Report) and report.what_we_know


def test_concurrent_runs_from_threads_are_each_recorded_whole(corpus_file: Path) -> None:
    reports: dict[str, Report] = {}
    errors: list[BaseException] = []

    def one(i: int) -> None:
        try:
            reports[f"t{i}"] = execute(
                RunRequest(question=QUESTION, corpus=str(corpus_file)), chat_model=scripted_model(), run_id=f"t{i}"
            )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_registry() as registry:
        listed = {r.id: r for r in registry.list_runs(10)}
        for run_id, report in reports.items():
            assert report.run is not None
            assert listed[run_id].status == "done" and listed[run_id].llm_calls == report.run.llm_calls
            assert {e.run_id for e in registry.node_execs(run_id)} == {run_id}


def test_an_unusable_state_folder_is_a_one_line_error(monkeypatch, capsys, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("VANTAGE_HOME", str(blocker))
    code, _, err = vantage(monkeypatch, capsys, "runs")
    assert code == 2 and f"cannot open the run registry {blocker}/runs.sqlite" in err
    assert len(err.strip().splitlines()) == 1


def test_state_reads_follow_helpers_handed_the_state() -> None:
    def helper(s: object) -> object:
        return s.claims  # type: ignore[attr-defined]

    def node(state: object) -> object:
        return (state.question, helper(state), state.missing)  # type: ignore[attr-defined]

    fields = {"question": 1, "claims": 2, "views": 3}
    assert state_reads(node, fields) == ["claims", "question"]


def test_summaries_stay_short_and_say_what_a_value_is() -> None:
    assert summarise(["a", "b"]) == '["a", "b"]'
    assert summarise({"x": 1, "y": 2}) == "2 entries: x, y"
    assert len(summarise("z" * 1000)) == 160
    assert summarise([1, 2.0]) == "2 items (float, int)"
    assert summarise(date(2025, 11, 30)) == "2025-11-30"


def test_cli_run_then_runs_and_trace_agree_with_the_stats_line(monkeypatch, capsys, corpus_file: Path) -> None:
    model = scripted_model()
    monkeypatch.setattr("vantage.graph.runner.make_chat_model", lambda spec, options: model)
    code, _, err = vantage(monkeypatch, capsys, "run", QUESTION, "--corpus", str(corpus_file))
    assert code == 0, err
    stats = err.strip().splitlines()[-1]
    run_id, calls = re.search(r"^run (\w+) · .* · (\d+) LLM calls", stats).groups()  # type: ignore[union-attr]
    prompt, completion = (
        int(n.replace(",", "")) for n in re.search(r"([\d,]+) prompt \+ ([\d,]+) completion", stats).groups()
    )  # type: ignore[union-attr]

    code, out, _ = vantage(monkeypatch, capsys, "runs")
    assert code == 0 and out.splitlines()[1].startswith(run_id) and " done " in out
    code, out, _ = vantage(monkeypatch, capsys, "runs", "--json", "--limit", "1")
    (listed,) = json.loads(out)
    assert (listed["id"], listed["llm_calls"]) == (run_id, int(calls))
    assert listed["prompt_tokens"] + listed["completion_tokens"] == prompt + completion

    code, out, _ = vantage(monkeypatch, capsys, "trace", run_id[:6])
    assert code == 0
    total = next(line for line in out.splitlines() if line.strip().startswith("total"))
    assert total.split()[2:4] == [calls, f"{prompt + completion:,}"]
    for node in NODES:
        assert re.search(rf"^\s+\d+\s+{node}\s", out, flags=re.MULTILINE), node

    code, out, _ = vantage(monkeypatch, capsys, "trace", run_id, "--node", "synthesis")
    synthesis_prompt = next(p for p in model.prompts if "Write an assessment" in p)
    assert code == 0 and all(line in out for line in synthesis_prompt.splitlines())
    assert json.dumps(DRAFT) in out


def test_cli_trace_json_node_filter_and_errors(monkeypatch, capsys, corpus_file: Path) -> None:
    run(corpus_file, run_id="abc123")
    code, out, _ = vantage(monkeypatch, capsys, "trace", "abc123", "--json", "--node", "plan")
    trace = RunTrace.model_validate_json(out)
    assert code == 0 and [v.execution.node for v in trace.executions] == ["plan"]
    assert trace.executions[0].calls[0].messages[1].content.startswith("Plan research")

    code, _, err = vantage(monkeypatch, capsys, "trace", "abc123", "--node", "nowhere")
    assert code == 2 and "has no node 'nowhere'; its nodes: plan, research" in err
    code, _, err = vantage(monkeypatch, capsys, "trace", "zzz")
    assert code == 2 and "'zzz' is not a known run" in err and len(err.strip().splitlines()) == 1
    code, _, err = vantage(monkeypatch, capsys, "resume", "abc123")
    assert code == 2 and "already finished" in err


def test_html_page_is_self_contained_with_a_bar_and_details_per_execution(corpus_file: Path) -> None:
    _, trace, _ = run(corpus_file)
    page = render_html(trace)
    assert page.count('class="bar ') == len(trace.executions) == page.count('<details class="node"')
    assert "default-src 'none'" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "&lt;evidence&gt;" in page  # prompts are escaped, not interpreted
    assert render_node(trace, "plan").count("── reply ──") == 1
