"""The command line: bad input ends in one line and a non-zero exit; a run writes its outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import vantage
from graph_fixtures import scripted_model
from vantage.graph import cli


def one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "   "], "the question is empty"),
        (["run", "x" * 2001], "limit is 2000"),
        (["run", "what \x00 now?"], "control"),
        (["run", "Istanbul talks?", "--perspective", "xx-99"], "unknown perspective 'xx-99'; known: am-01"),
        (["run", "Istanbul talks?", "--model", "gpt5"], "unknown model spec 'gpt5'"),
        (["run", "Istanbul talks?", "--model", "openai:gpt-4.1-mini"], "needs OPENAI_API_KEY"),
        (["run", "Istanbul talks?", "--search", "altavista"], "unknown search backend"),
        (["run", "Istanbul talks?", "--as-of", "yesterday"], "--as-of 'yesterday' is not a date"),
        (["run", "Istanbul talks?", "--budget", "max_sub_queries=99"], "--budget max_sub_queries: Input"),
        (["run", "Istanbul talks?", "--budget", "depth=3"], "expected KEY=VALUE with KEY one of max_sub_queries"),
        (["eval", "--budget", "tokens.plan=5"], "--budget tokens.plan: Input should be greater"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(monkeypatch, capsys, corpus_file: Path, args, message) -> None:
    code, out, err = vantage(monkeypatch, capsys, *args, "--corpus", str(corpus_file))
    assert code == 2
    assert message in one_line_error(err)
    assert out == ""


def test_malformed_corpus_names_file_and_line(monkeypatch, capsys, tmp_path: Path, corpus_file: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(corpus_file.read_text().splitlines()[0] + "\n{broken\n")
    code, _, err = vantage(monkeypatch, capsys, "run", "Istanbul?", "--corpus", str(bad))
    assert code == 2 and f"{bad}:2: not valid JSON" in one_line_error(err)


def test_unreachable_model_endpoint(monkeypatch, capsys, corpus_file: Path) -> None:
    code, _, err = vantage(
        monkeypatch,
        capsys,
        "run",
        "Istanbul talks?",
        "--corpus",
        str(corpus_file),
        "--model",
        "http://127.0.0.1:9/v1",
    )
    assert code == 2
    assert "model endpoint unreachable during plan" in next(e for e in err.splitlines() if "error" in e)
    assert "Traceback" not in err


def test_run_prints_report_progress_and_stats(monkeypatch, capsys, tmp_path: Path, corpus_file: Path) -> None:
    monkeypatch.setattr("vantage.graph.runner.make_chat_model", lambda spec, options: scripted_model())
    code, out, err = vantage(
        monkeypatch,
        capsys,
        "run",
        "Russia is ready to resume Istanbul talks?",
        "--corpus",
        str(corpus_file),
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 0
    assert out.startswith("# Russia is ready to resume Istanbul talks?") and "## Sources" in out
    for node in ("plan", "research", "fact_check", "stakeholders", "synthesis"):
        assert f" {node} " in err
    stats = err.strip().splitlines()[-1]
    assert stats.startswith("run ") and "LLM calls" in stats and "completion tokens" in stats
    saved = json.loads((tmp_path / "out" / "report.json").read_text())
    assert saved["run"]["llm_calls"] > 0
    assert (tmp_path / "out" / "report.md").read_text() == out


def test_schema_report_prints_json_schema(monkeypatch, capsys) -> None:
    code, out, _ = vantage(monkeypatch, capsys, "schema", "report")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "Report"
    assert {"what_we_know", "obstacles", "sources", "quotations"} <= set(schema["properties"])


def test_budget_overrides_reach_the_run(monkeypatch, capsys, corpus_file: Path) -> None:
    seen = []

    def fake_execute(request, **_: object) -> None:
        seen.append(request)
        raise SystemExit(0)

    monkeypatch.setattr(cli, "execute", fake_execute)
    args = ["--budget", "max_sub_queries=2", "--budget", "tokens.synthesis=900", "--corpus", str(corpus_file)]
    assert vantage(monkeypatch, capsys, "run", "Istanbul talks?", *args)[0] == 0
    budgets = seen[0].budgets
    assert (budgets.max_sub_queries, budgets.tokens.synthesis, budgets.max_claims) == (2, 900, 6)
    code, out, _ = vantage(monkeypatch, capsys, "schema", "budgets")
    assert code == 0 and "max_concurrency=8" in out and "tokens.synthesis=1300" in out
