"""`vantage eval`: run every case of a golden set through the graph, score each report, write results.

Cases run concurrently in threads on one shared chat model (the embedded server has parallel
slots). A case that fails is recorded with its error and the others go on. LLM replies are cached
(tools/llm_cache.py) so an unchanged prompt set replays instead of re-generating.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field
from vantage.graph.promptset import prompt_set_hash
from vantage.graph.runner import RunRequest, execute, home, write_outputs
from vantage.graph.settings import Budgets
from vantage.tools.llm_cache import ReplayCache, with_replay
from vantage.tools.models import ModelOptions, make_chat_model, parse_spec
from vantage.tools.search.corpus import datasets_dir

from .datasets import GoldenCase, load_golden
from .metrics import LOWER_IS_BETTER, METRIC_NAMES, MetricResult
from .scorecard import corpus_passages, score_report
from .verifiers import make_verifier

DEFAULT_GOLDEN = "golden/smoke.yaml"


class CaseRun(BaseModel):
    case_id: str
    repeat: int
    status: Literal["ok", "failed"]
    error: str | None = None
    run_id: str
    scores: dict[str, float] = Field(default_factory=dict)
    metrics: list[MetricResult] = Field(default_factory=list)
    wall_time_s: float = 0.0
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class CacheStats(BaseModel):
    enabled: bool
    hits: int = 0
    misses: int = 0


class EvalResults(BaseModel):
    golden: str
    golden_name: str
    model_id: str
    prompt_hash: str
    verifier: str
    search: str
    corpus: str | None
    budgets: Budgets
    repeats: int
    concurrency: int
    started_at: datetime
    wall_time_s: float
    cache: CacheStats
    cases: list[CaseRun]

    def ok(self) -> list[CaseRun]:
        return [c for c in self.cases if c.status == "ok"]

    def failed(self) -> list[CaseRun]:
        return [c for c in self.cases if c.status == "failed"]

    def case_means(self) -> dict[str, dict[str, float]]:
        """metric -> case id -> mean over that case's repeats."""
        out: dict[str, dict[str, list[float]]] = {}
        for c in self.ok():
            for name, score in c.scores.items():
                out.setdefault(name, {}).setdefault(c.case_id, []).append(score)
        return {m: {k: statistics.fmean(v) for k, v in by.items()} for m, by in out.items()}

    def means(self) -> dict[str, float]:
        return {m: round(statistics.fmean(by.values()), 4) for m, by in self.case_means().items() if by}


Progress = Callable[[CaseRun, int, int], None]


def run_eval(
    golden: Path | None = None,
    *,
    corpus: str | None = None,
    model: str | None = None,
    verifier: str | None = None,
    limit: int | None = None,
    concurrency: int = 2,
    repeats: int = 1,
    out: Path | None = None,
    cache: bool = True,
    chat_model: BaseChatModel | None = None,
    budgets: Budgets | None = None,
    progress: Progress | None = None,
) -> tuple[EvalResults, Path]:
    """Run, score and write `results.json`, `summary.md` and `summary.html` to `out`."""
    golden = golden or datasets_dir() / DEFAULT_GOLDEN
    gset = load_golden(golden)
    cases = gset.cases[:limit] if limit else gset.cases
    spec = parse_spec(model)
    model_id = spec.model_id if chat_model is None else getattr(chat_model, "model_id", type(chat_model).__name__)
    if verifier not in (None, "lexical", "embedding", "llm"):
        make_verifier(verifier)  # an unknown verifier fails before the model loads
    passages = corpus_passages(corpus)  # also validates the corpus before the model loads
    llm = chat_model or make_chat_model(spec, ModelOptions())
    scorer = make_verifier(verifier, llm)  # the metrics judge with the same verifier as the graph
    replay: ReplayCache | None = with_replay(llm, home() / "llm-cache.sqlite", model_id) if cache else None
    budgets = budgets or Budgets()
    started, t0 = datetime.now(UTC), time.perf_counter()
    # Run ids are checkpoint thread ids: two evals started in the same second must not share them.
    stamp = f"{started.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}"
    out = out or home() / "evals" / f"{gset.name}-{stamp}"
    reports_dir = out / "reports"

    def run_case(case: GoldenCase, repeat: int) -> CaseRun:
        run_id = f"eval-{stamp}-{case.id}-r{repeat}"
        request = RunRequest(
            question=case.question,
            perspective=case.perspective,
            as_of=case.as_of,
            model=model,
            corpus=corpus,
            verifier=verifier,
            budgets=budgets,
        )
        c0 = time.perf_counter()
        try:
            report = execute(request, chat_model=llm, run_id=run_id, model_id=model_id)
            assert report.run is not None
            write_outputs(report, reports_dir / f"{case.id}-r{repeat}")
            metrics = score_report(report, passages, case, scorer).results
        except Exception as exc:  # one bad case must not stop the others; the error is kept
            return CaseRun(
                case_id=case.id,
                repeat=repeat,
                status="failed",
                error=f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:500],
                run_id=run_id,
                wall_time_s=round(time.perf_counter() - c0, 2),
            )
        r = report.run
        return CaseRun(
            case_id=case.id,
            repeat=repeat,
            status="ok",
            run_id=run_id,
            scores={m.name: m.score for m in metrics},
            metrics=metrics,
            wall_time_s=r.wall_time_s,
            llm_calls=r.llm_calls,
            prompt_tokens=r.prompt_tokens,
            completion_tokens=r.completion_tokens,
        )

    jobs = [(case, k) for k in range(1, repeats + 1) for case in cases]
    results: list[CaseRun] = []
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = [pool.submit(run_case, case, k) for case, k in jobs]
        for future in as_completed(futures):
            results.append(future.result())
            if progress:
                progress(results[-1], len(results), len(jobs))
    order = {(c.id, k): i for i, (c, k) in enumerate(jobs)}
    results.sort(key=lambda r: order[(r.case_id, r.repeat)])
    evaluation = EvalResults(
        golden=str(golden),
        golden_name=gset.name,
        model_id=model_id,
        prompt_hash=prompt_set_hash(),
        verifier=verifier or "lexical",
        search="local",
        corpus=corpus,
        budgets=budgets,
        repeats=repeats,
        concurrency=concurrency,
        started_at=started,
        wall_time_s=round(time.perf_counter() - t0, 2),
        cache=CacheStats(enabled=cache, hits=replay.hits if replay else 0, misses=replay.misses if replay else 0),
        cases=results,
    )
    write_results(evaluation, out)
    return evaluation, out


def write_results(evaluation: EvalResults, out: Path) -> None:
    from .summary import render_html, render_markdown

    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(evaluation.model_dump_json(indent=2), encoding="utf-8")
    (out / "summary.md").write_text(render_markdown(evaluation), encoding="utf-8")
    (out / "summary.html").write_text(render_html(evaluation), encoding="utf-8")


def load_results(path: Path) -> EvalResults:
    from vantage.tools.errors import InputError

    file = path / "results.json" if path.is_dir() else path
    if not file.is_file():
        raise InputError(f"results file not found: {file}")
    try:
        return EvalResults.model_validate_json(file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"{file}: not a vantage results file ({str(exc).splitlines()[0]})") from exc


def direction(metric: str) -> int:
    """+1 when higher is better, -1 when lower is better."""
    return -1 if metric in LOWER_IS_BETTER else 1


__all__ = ["METRIC_NAMES", "CaseRun", "EvalResults", "load_results", "run_eval", "write_results"]
