"""The benchmark's parts: the fixed-latency scripted model drives a real run without degrading it,
the cost accounting adds up to the run's stats, and targets are judged against their bars."""

from __future__ import annotations

from pathlib import Path

import pytest
from vantage.evals.bench.measure import RunCost, ScoringBench, Spread, _union, run_cost, scoring, scripted
from vantage.evals.bench.scripted import FixedLatencyModel
from vantage.evals.bench.table import BenchResult, Machine, render, targets
from vantage.evals.datasets import load_golden
from vantage.graph.runner import RunRequest, execute
from vantage.graph.trace_view import Usage
from vantage.tools.search.corpus import datasets_dir

SMOKE = load_golden(datasets_dir() / "golden" / "smoke.yaml").cases


def test_union_counts_overlapping_calls_once() -> None:
    assert _union([(0, 2), (1, 3), (5, 6)]) == pytest.approx(4)
    assert _union([(0, 4), (1, 2)]) == pytest.approx(4)
    assert _union([]) == 0


def test_fixed_latency_model_runs_the_real_graph_without_degrading() -> None:
    case = SMOKE[0]
    model = FixedLatencyModel(latency_s=0.0)
    report = execute(RunRequest(question=case.question, perspective=case.perspective), chat_model=model)
    run = report.run
    assert run is not None and not run.degraded  # every structured reply validated first time
    assert report.what_we_know and all(p.citations for p in report.what_we_know)
    assert len(report.stakeholders) >= 2
    cost = run_cost(case.id, run.run_id)
    assert (cost.usage.llm_calls, cost.usage.prompt_tokens, cost.usage.completion_tokens) == (
        run.llm_calls,
        run.prompt_tokens,
        run.completion_tokens,
    )
    assert sum(n.llm_calls for n in cost.per_node.values()) == cost.usage.llm_calls
    assert cost.per_node["stakeholders"].executions == len(report.stakeholders)


def test_scripted_bench_sees_the_parallel_branches(tmp_path: Path) -> None:
    bench, reports = scripted(SMOKE[:1], latency_s=0.1, repeats=1, work=tmp_path, log=lambda _: None)
    (parallel,), (serial,) = bench.parallel, bench.serial
    # Three model steps in parallel (plan, fact_check beside the stakeholders, synthesis) against
    # one per call in series.
    assert parallel.model_s == pytest.approx(0.3, abs=0.08)
    assert serial.model_s == pytest.approx(0.1 * serial.usage.llm_calls, abs=0.08)
    assert bench.fan_out_speedup > 1.5
    assert 0 <= bench.overhead_share.median < 1
    assert len(reports) == 2
    assert scoring(reports, SMOKE, 3, log=lambda _: None).reports == 3


def _cost(wall: float, model: float, tokens: int) -> RunCost:
    usage = Usage(llm_calls=6, prompt_tokens=tokens)
    return RunCost(case_id="c", run_id="r", wall_s=wall, model_s=model, usage=usage, per_node={})


def test_targets_are_judged_against_their_bars() -> None:
    from vantage.evals.bench.measure import ScriptedBench

    fast = ScriptedBench(latency_s=0.5, parallel=[_cost(1.55, 1.5, 10)], serial=[_cost(3.6, 3.5, 10)])
    slow = ScriptedBench(latency_s=0.5, parallel=[_cost(2.0, 1.5, 10)], serial=[_cost(2.2, 2.1, 10)])
    quick = ScoringBench(reports=100, seconds=2.0)
    met = {t.name.split(" (")[0]: t.met for t in targets(None, fast, quick)}
    assert met["framework overhead"] and met["fan-out speedup"] and met["scoring 100 reports"]
    assert met["tokens per report"] is None  # not measured without the embedded model
    missed = {t.name.split(" (")[0]: t.met for t in targets(None, slow, ScoringBench(reports=100, seconds=12))}
    assert missed == {k: (None if v is None else False) for k, v in met.items()}
    result = BenchResult(
        started_at="2026-11-24T00:00:00Z", machine=Machine.here(), golden="smoke.yaml", embedded=None,
        scripted=slow, scoring=quick, targets=targets(None, slow, quick),
    )  # fmt: skip
    table = render(result)
    overhead_row = (
        "| framework overhead (scripted, branches in parallel) | 25.0% (500 ms/report) | < 5% | **no** |"
    )
    assert overhead_row in table
    assert Spread.of([3.0, 1.0, 2.0]).median == 2.0
