"""`vantage eval`, `eval compare` and `vantage score` on the scripted model: outputs, failures,
replay and the regression gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from graph_fixtures import scripted_model
from results_fixtures import shared_fall_hidden_by_a_flip
from typer.testing import CliRunner
from vantage.evals.compare import compare, format_comparison
from vantage.evals.golden_run import load_results, run_eval
from vantage.graph.cli import app


def _case(case_id: str, question: str) -> dict[str, object]:
    return {
        "id": case_id,
        "topic": "istanbul_talks_2025",
        "question": question,
        "perspective": "ua-01",
        "as_of": "2025-06-30",
        "stakeholders": ["Ukraine", "Russia", "Turkey"],
        "key_facts": [
            {"fact": "Both sides agreed to exchange 1,000 prisoners each.", "sources": ["t-001"]},
            {"fact": "Kyiv rejected the demand as an ultimatum.", "sources": ["t-002"]},
            {"fact": "Erdogan said Turkey was ready to host further rounds.", "sources": ["t-003"]},
        ],
        "false_claims": ["Russia and Ukraine agreed a full ceasefire in Istanbul."],
    }


@pytest.fixture
def golden(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    cases = [
        _case("mini-1", "Russia says it is ready to resume talks with Ukraine in Istanbul. Assessment?"),
        _case("mini-2", "What came of the Istanbul prisoner exchange talks between Russia and Ukraine?"),
    ]
    path.write_text(yaml.safe_dump({"name": "mini", "cases": cases}), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VANTAGE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_eval_writes_results_summary_and_html(golden: Path, corpus_file: Path, tmp_path: Path) -> None:
    seen = []
    results, out = run_eval(
        golden,
        corpus=str(corpus_file),
        chat_model=scripted_model(),
        out=tmp_path / "ev",
        progress=lambda case, done, total: seen.append((case.case_id, done, total)),
    )
    assert [c.status for c in results.cases] == ["ok", "ok"]
    assert sorted(s[0] for s in seen) == ["mini-1", "mini-2"] and seen[-1][1:] == (2, 2)
    data = json.loads((out / "results.json").read_text())
    assert data["prompt_hash"] and data["verifier"] == "lexical" and data["budgets"]["max_sub_queries"] == 5
    case = data["cases"][0]
    assert {"structure", "citation_recall", "key_fact_recall", "false_claim_rate"} <= set(case["scores"])
    assert case["llm_calls"] > 0 and case["prompt_tokens"] > 0
    assert all(m["details"] is not None for m in case["metrics"])
    assert "| citation_recall |" in (out / "summary.md").read_text()
    page = (out / "summary.html").read_text()
    assert page.count("<svg") == len(results.means()) and "http" not in page.replace("http-equiv", "")


def test_a_failing_case_is_recorded_and_the_others_finish(golden: Path, corpus_file: Path, tmp_path: Path) -> None:
    data = yaml.safe_load(golden.read_text())
    data["cases"][1]["perspective"] = "xx-99"  # unknown perspective: this case fails
    golden.write_text(yaml.safe_dump(data))
    results, _ = run_eval(golden, corpus=str(corpus_file), chat_model=scripted_model(), out=tmp_path / "ev")
    assert [c.status for c in results.cases] == ["ok", "failed"]
    assert "xx-99" in (results.cases[1].error or "")
    assert results.means()  # the good case was still scored


def test_replay_serves_every_call_from_the_cache_the_second_time(
    golden: Path, corpus_file: Path, tmp_path: Path
) -> None:
    first_model, second_model = scripted_model(), scripted_model()
    first, _ = run_eval(golden, corpus=str(corpus_file), chat_model=first_model, out=tmp_path / "a", concurrency=1)
    second, _ = run_eval(
        golden, corpus=str(corpus_file), chat_model=second_model, out=tmp_path / "b", concurrency=1
    )
    assert first.cache.misses > 0 and first.cache.hits == 0
    assert second.cache.misses == 0 and second.cache.hits == first.cache.misses
    assert second_model.prompts == []  # the model was never asked
    assert second.means() == first.means()
    uncached, _ = run_eval(
        golden, corpus=str(corpus_file), chat_model=scripted_model(), out=tmp_path / "c", cache=False
    )
    assert not uncached.cache.enabled and uncached.cache.hits == 0


def test_compare_flags_a_drop_beyond_tolerance_and_names_it(
    golden: Path, corpus_file: Path, tmp_path: Path
) -> None:
    base, base_dir = run_eval(golden, corpus=str(corpus_file), chat_model=scripted_model(), out=tmp_path / "base")
    worse = base.model_copy(deep=True)
    for case in worse.cases:
        case.scores["citation_recall"] = max(0.0, case.scores["citation_recall"] - 0.5)
        case.scores["false_claim_rate"] = case.scores["false_claim_rate"]  # unchanged
    assert not compare(base, base).failed
    result = compare(base, worse)
    assert [m.metric for m in result.regressions] == ["citation_recall"]
    assert result.worst_cases[0].worst_metric == "citation_recall"
    (tmp_path / "worse").mkdir()
    (tmp_path / "worse" / "results.json").write_text(worse.model_dump_json())
    runner = CliRunner()
    ok = runner.invoke(app, ["eval", "compare", str(base_dir), str(base_dir)])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["eval", "compare", str(base_dir), str(tmp_path / "worse")])
    assert bad.exit_code == 1
    assert "REGRESSED" in bad.stdout and "citation_recall" in bad.stderr
    lenient = runner.invoke(app, ["eval", "compare", str(base_dir), str(tmp_path / "worse"), "--tolerance", "0.6"])
    assert lenient.exit_code == 0


def test_lower_is_better_metrics_regress_upwards(golden: Path, corpus_file: Path, tmp_path: Path) -> None:
    base, _ = run_eval(golden, corpus=str(corpus_file), chat_model=scripted_model(), out=tmp_path / "base")
    worse = base.model_copy(deep=True)
    for case in worse.cases:
        case.scores["false_claim_rate"] = 1.0
    assert [m.metric for m in compare(base, worse).regressions] == ["false_claim_rate"]


def test_score_prints_a_table_for_an_existing_report(golden: Path, corpus_file: Path, tmp_path: Path) -> None:
    _, out = run_eval(golden, corpus=str(corpus_file), chat_model=scripted_model(), out=tmp_path / "ev", limit=1)
    report = out / "reports" / "mini-1-r1" / "report.json"
    runner = CliRunner()
    table = runner.invoke(
        app, ["score", str(report), "--corpus", str(corpus_file), "--golden", str(golden), "--case", "mini-1"]
    )
    assert table.exit_code == 0, table.output
    assert "citation_precision" in table.stdout and "key_fact_recall" in table.stdout
    as_json = runner.invoke(app, ["score", str(report), "--corpus", str(corpus_file), "--json"])
    card = json.loads(as_json.stdout)
    assert "key_fact_recall" in card["skipped"]  # no golden case given
    missing = runner.invoke(app, ["score", str(tmp_path / "nope.json")])
    assert missing.exit_code != 0
    assert load_results(out).cases[0].case_id == "mini-1"


def test_one_case_flipping_is_no_regression_but_a_fall_shared_by_two_is() -> None:
    """`make probe` measured harmless rewordings flipping one smoke case's draft_faithfulness from 1
    to 0; the gate must pass that, and fail the same fall when a second case shares it."""
    base = load_results(Path(__file__).parents[1] / "evals" / "baselines" / "smoke-local.json")
    one = base.model_copy(deep=True)
    one.cases[0].scores["structure"] = 0.0  # mean falls by 0.3, far beyond 0.10: one case only
    result = compare(base, one)
    assert not result.failed
    change = next(m for m in result.metrics if m.metric == "structure")
    assert (change.cases_fallen, change.cases) == (1, 3)
    assert "only 1 case fell beyond tolerance" in format_comparison(result, base, one)
    two = one.model_copy(deep=True)
    two.cases[1].scores["structure"] -= 0.2
    assert [m.metric for m in compare(base, two).regressions] == ["structure"]


def test_a_fall_most_cases_share_regresses_even_when_one_case_lifts_the_mean(tmp_path: Path) -> None:
    """The French-language probe: two smoke cases lost draft faithfulness while the third flipped
    from 0 to 0.6, so the mean barely moved. Two of three cases falling is still a regression."""
    base, candidate = shared_fall_hidden_by_a_flip()
    result = compare(base, candidate)
    change = next(m for m in result.metrics if m.metric == "draft_faithfulness")
    assert abs(change.delta) < change.tolerance and (change.cases_fallen, change.cases) == (2, 3)
    assert [m.metric for m in result.regressions] == ["draft_faithfulness"]
    for name, results in (("base", base), ("candidate", candidate)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "results.json").write_text(results.model_dump_json())
    cli = CliRunner().invoke(app, ["eval", "compare", str(tmp_path / "base"), str(tmp_path / "candidate")])
    assert cli.exit_code == 1
    assert "regression: draft_faithfulness (2/3 cases fell by more than 0.10; mean +0.000)" in cli.stderr
    candidate.cases[1].scores["draft_faithfulness"] = 0.4
    assert not compare(base, candidate).failed  # one case fell, one rose: noise, as before
