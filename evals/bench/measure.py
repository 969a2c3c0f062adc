"""The benchmark's measurements. Each section returns a pydantic model; table.py renders them.

Timings come from the run registry (graph/trace.py records every node execution and LLM call), so
the bench measures exactly what `vantage trace` shows, not a second stopwatch.
"""

from __future__ import annotations

import contextlib
import os
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel
from vantage.graph.registry import open_registry
from vantage.graph.report import Report
from vantage.graph.runner import RunRequest, execute
from vantage.graph.settings import Budgets
from vantage.graph.trace_view import Usage, load_trace
from vantage.tools.embedded import stop_servers
from vantage.tools.models import ModelOptions, make_chat_model, parse_spec

from ..datasets import GoldenCase
from ..golden_run import run_eval
from ..scorecard import corpus_passages, score_report
from ..verifiers import make_verifier
from .scripted import FixedLatencyModel

Log = Callable[[str], None]
SERIAL = Budgets(max_concurrency=1)


class NodeCost(Usage):
    executions: int = 0


class RunCost(BaseModel):
    case_id: str
    run_id: str
    wall_s: float
    model_s: float  # the union of LLM call intervals: time some model call was in flight
    usage: Usage
    per_node: dict[str, NodeCost]

    @property
    def overhead_share(self) -> float:
        return max(0.0, 1 - self.model_s / self.wall_s) if self.wall_s else 0.0


class Spread(BaseModel):
    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(median=statistics.median(values), low=min(values), high=max(values), n=len(values))


class EmbeddedBench(BaseModel):
    model_id: str
    runs: list[RunCost]
    wall_s: Spread
    tokens: Spread
    cold_eval_s: float  # the last repeat's whole smoke eval, cache cold
    replay_eval_s: float  # the same eval again, every call replayed from the cache
    serial_case: str
    serial_wall_s: float  # one llama.cpp slot, one branch at a time
    parallel_wall_s: float  # the same case's median with the defaults (parallel slots and branches)
    peak_rss_mb: float

    @property
    def fan_out_speedup(self) -> float:
        return self.serial_wall_s / self.parallel_wall_s

    @property
    def replay_speedup(self) -> float:
        return self.cold_eval_s / self.replay_eval_s


class ScriptedBench(BaseModel):
    latency_s: float
    parallel: list[RunCost]
    serial: list[RunCost]

    @property
    def overhead_share(self) -> Spread:
        return Spread.of([r.overhead_share for r in self.parallel])

    @property
    def overhead_s(self) -> Spread:
        return Spread.of([r.wall_s - r.model_s for r in self.parallel])

    @property
    def fan_out_speedup(self) -> float:
        by_case = {r.case_id for r in self.parallel}
        ratios = [
            statistics.median(r.wall_s for r in self.serial if r.case_id == c)
            / statistics.median(r.wall_s for r in self.parallel if r.case_id == c)
            for c in sorted(by_case)
        ]
        return statistics.median(ratios)


class ScoringBench(BaseModel):
    reports: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.reports / self.seconds


@contextlib.contextmanager
def state_folder(path: Path) -> Iterator[Path]:
    """Run with VANTAGE_HOME at `path` (its own registry and replay cache), then restore it."""
    before = os.environ.get("VANTAGE_HOME")
    os.environ["VANTAGE_HOME"] = str(path)
    try:
        yield path
    finally:
        if before is None:
            os.environ.pop("VANTAGE_HOME", None)
        else:
            os.environ["VANTAGE_HOME"] = before


def _union(intervals: list[tuple[float, float]]) -> float:
    total, end = 0.0, float("-inf")
    for a, b in sorted(intervals):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def run_cost(case_id: str, run_id: str) -> RunCost:
    with open_registry() as registry:
        trace = load_trace(registry, run_id)
    per_node: dict[str, NodeCost] = {}
    for view in trace.executions:
        cost = per_node.setdefault(view.execution.node, NodeCost())
        cost.executions += 1
        for field in ("llm_calls", "prompt_tokens", "completion_tokens", "retries"):
            setattr(cost, field, getattr(cost, field) + getattr(view.usage, field))
    calls = [c for v in trace.executions for c in v.calls] + trace.unattributed_calls
    return RunCost(
        case_id=case_id,
        run_id=run_id,
        wall_s=trace.run.wall_time_s,
        model_s=_union([(c.started, c.ended) for c in calls if c.ended is not None]),
        usage=trace.total,
        per_node=per_node,
    )


def peak_rss_mb() -> float:
    # Linux reports ru_maxrss in KiB. The embedded llama.cpp server runs inside this process.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _request(case: GoldenCase, budgets: Budgets | None = None) -> RunRequest:
    return RunRequest(
        question=case.question, perspective=case.perspective, as_of=case.as_of, budgets=budgets or Budgets()
    )


Scored = list[tuple[Report, str]]  # reports with their golden case ids, for the scoring bench


def embedded(
    golden: Path, cases: list[GoldenCase], repeats: int, work: Path, log: Log
) -> tuple[EmbeddedBench, Scored]:
    """Cold runs of the smoke set on the embedded model (a fresh replay cache per repeat), then a
    replayed eval, then one case with a single llama.cpp slot and one branch at a time."""
    runs: list[RunCost] = []
    reports: Scored = []
    cold_s = 0.0
    for k in range(1, repeats + 1):
        with state_folder(work / f"embedded-r{k}"):
            results, out = run_eval(golden, concurrency=1, out=work / f"embedded-r{k}" / "eval")
            for case in results.cases:
                if case.status != "ok":
                    raise RuntimeError(f"{case.case_id} failed on the embedded model: {case.error}")
                runs.append(run_cost(case.case_id, case.run_id))
                saved = out / "reports" / f"{case.case_id}-r{case.repeat}" / "report.json"
                reports.append((Report.model_validate_json(saved.read_text(encoding="utf-8")), case.case_id))
                log(f"  embedded r{k} {case.case_id}: {runs[-1].wall_s:.1f} s, {runs[-1].usage.tokens:,} tokens")
            cold_s = results.wall_time_s
    peak = peak_rss_mb()
    with state_folder(work / f"embedded-r{repeats}"):
        replay, _ = run_eval(golden, concurrency=1, out=work / "replay")
    hits, misses = replay.cache.hits, replay.cache.misses
    log(f"  replayed smoke eval: {replay.wall_time_s:.2f} s ({hits} cache hits, {misses} misses)")

    first = cases[0]
    stop_servers()  # free the two-slot server before loading the one-slot one
    spec = parse_spec(None)
    one_slot = make_chat_model(spec, ModelOptions(parallel=1))
    with state_folder(work / "embedded-serial"):
        report = execute(_request(first, SERIAL), chat_model=one_slot)
    assert report.run is not None
    stop_servers()
    serial_s = report.run.wall_time_s
    log(f"  embedded serial {first.id}: {serial_s:.1f} s")
    bench = EmbeddedBench(
        model_id=spec.model_id,
        runs=runs,
        wall_s=Spread.of([r.wall_s for r in runs]),
        tokens=Spread.of([float(r.usage.tokens) for r in runs]),
        cold_eval_s=cold_s,
        replay_eval_s=replay.wall_time_s,
        serial_case=first.id,
        serial_wall_s=serial_s,
        parallel_wall_s=statistics.median(r.wall_s for r in runs if r.case_id == first.id),
        peak_rss_mb=round(peak, 1),
    )
    return bench, reports


def scripted(
    cases: list[GoldenCase], latency_s: float, repeats: int, work: Path, log: Log
) -> tuple[ScriptedBench, Scored]:
    """The graph alone: every case with branches in parallel and serially on a fixed-latency model."""
    model = FixedLatencyModel(latency_s=latency_s)
    parallel: list[RunCost] = []
    serial: list[RunCost] = []
    reports: Scored = []
    with state_folder(work / "scripted"):
        execute(_request(cases[0]), chat_model=model)  # warm-up: imports, corpus index, regexes
        for _ in range(repeats):
            for case in cases:
                for budgets, into in ((None, parallel), (SERIAL, serial)):
                    report = execute(_request(case, budgets), chat_model=model)
                    assert report.run is not None
                    into.append(run_cost(case.id, report.run.run_id))
                    reports.append((report, case.id))
    bench = ScriptedBench(latency_s=latency_s, parallel=parallel, serial=serial)
    log(
        f"  scripted ({latency_s:g} s/call): overhead {bench.overhead_share.median:.1%}, "
        f"fan-out {bench.fan_out_speedup:.2f}x"
    )
    return bench, reports


def scoring(reports: Scored, cases: list[GoldenCase], n: int, log: Log) -> ScoringBench:
    """Score `n` reports (cycling through those given) with every deterministic metric."""
    by_id = {c.id: c for c in cases}
    passages = corpus_passages()
    verifier = make_verifier("lexical")
    t0 = time.perf_counter()
    for i in range(n):
        report, case_id = reports[i % len(reports)]
        score_report(report, passages, by_id[case_id], verifier)
    bench = ScoringBench(reports=n, seconds=time.perf_counter() - t0)
    log(f"  scored {n} reports in {bench.seconds:.2f} s ({bench.per_second:.1f}/s)")
    return bench
