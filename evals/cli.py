"""`vantage eval …` and `vantage score`: the eval harness on the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from vantage.tools.errors import InputError

eval_app = typer.Typer(
    no_args_is_help=False,
    invoke_without_command=True,
    help="Run a golden set through the graph and score it; calibrate verifiers; compare results.",
)


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _verifier(name: str | None, model: str | None):  # -> Verifier
    from vantage.tools.models import ModelOptions, make_chat_model, parse_spec

    from .verifiers import make_verifier

    chat = make_chat_model(parse_spec(model), ModelOptions()) if (name or "").strip() == "llm" else None
    return make_verifier(name, chat)


@eval_app.callback()
def eval_command(
    ctx: typer.Context,
    golden: Annotated[
        Path | None, typer.Option("--golden", help="Golden YAML (default: datasets/golden/smoke.yaml).")
    ] = None,
    corpus: Annotated[str | None, typer.Option("--corpus", help="Corpus JSONL file or folder.")] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Model spec (default: VANTAGE_MODEL or local).")
    ] = None,
    verifier: Annotated[
        str | None, typer.Option("--verifier", help="lexical (default), embedding or llm.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N cases.")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=16, help="Cases run at once.")] = 2,
    repeats: Annotated[int, typer.Option("--repeats", min=1, max=20, help="Runs per case.")] = 1,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: .vantage/evals/NAME-TIME).")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not replay cached LLM replies.")] = False,
    budget: Annotated[
        list[str] | None, typer.Option("--budget", help="Override a run budget, KEY=VALUE (repeatable).")
    ] = None,
) -> None:
    """Run a golden set through the graph, score every case, and write results.json, summary.md and
    summary.html."""
    if ctx.invoked_subcommand is not None:
        return
    from vantage.graph.settings import parse_budgets

    from .golden_run import run_eval

    def progress(case, done: int, total: int) -> None:
        scores = " ".join(f"{k}={v:.2f}" for k, v in list(case.scores.items())[:4])
        status = scores if case.status == "ok" else f"FAILED: {case.error}"
        _err(f"  [{done}/{total}] {case.case_id} r{case.repeat} {case.wall_time_s:6.1f}s {status}")

    results, folder = run_eval(
        golden,
        corpus=corpus,
        model=model,
        verifier=verifier,
        limit=limit,
        concurrency=concurrency,
        repeats=repeats,
        out=out,
        cache=not no_cache,
        budgets=parse_budgets(budget),
        progress=progress,
    )
    means = " · ".join(f"{k} {v:.3f}" for k, v in results.means().items())
    typer.echo(f"{results.golden_name}: {len(results.ok())}/{len(results.cases)} scored · {means}")
    cache = (
        f"cache {results.cache.hits} hits/{results.cache.misses} misses" if results.cache.enabled else "no cache"
    )
    _err(f"wall {results.wall_time_s:.1f} s · {cache} · {folder}/summary.md")


@eval_app.command("compare")
def compare_command(
    base: Annotated[Path, typer.Argument(help="Baseline results.json (or its folder).")],
    candidate: Annotated[Path, typer.Argument(help="Candidate results.json (or its folder).")],
    tolerance: Annotated[
        float | None, typer.Option("--tolerance", min=0, max=1, help="One tolerance for every metric.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Compare two eval results case by case; exit 1 when a metric falls by more than its tolerance."""
    from .compare import compare, format_comparison
    from .golden_run import load_results

    b, c = load_results(base), load_results(candidate)
    result = compare(b, c, tolerance, str(base), str(candidate))
    typer.echo(result.model_dump_json(indent=2) if as_json else format_comparison(result, b, c), nl=not as_json)
    if result.failed:
        named = [
            f"{m.metric} ({m.cases_fallen}/{m.cases} cases fell by more than {m.tolerance:.2f};"
            f" mean {m.delta:+.3f})"
            for m in result.regressions
        ]
        if result.newly_failed:
            named.append(f"cases failed: {', '.join(result.newly_failed)}")
        _err("regression: " + "; ".join(named))
        sys.exit(1)


@eval_app.command("calibrate")
def calibrate_command(
    verifier: Annotated[str, typer.Option("--verifier", help="lexical, embedding or llm.")] = "lexical",
    split: Annotated[str, typer.Option("--split", help="dev (for tuning), test (to report) or all.")] = "test",
    model: Annotated[str | None, typer.Option("--model", help="Judge model for --verifier llm.")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=16)] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Measure a verifier on the labelled citation pairs: accuracy, precision, recall, F1, balanced
    accuracy, the confusion matrix and the false-accept rate per negative kind."""
    from .calibrate import calibrate, format_calibration

    if split not in ("dev", "test", "all"):
        raise InputError(f"--split {split!r}: use dev, test or all")

    def progress(done: int, total: int) -> None:
        if done % 10 == 0 or done == total:
            _err(f"  {done}/{total} pairs")

    result = calibrate(_verifier(verifier, model), split, concurrency=concurrency, on_result=progress)  # type: ignore[arg-type]
    typer.echo(json.dumps(result.summary(), indent=2) if as_json else format_calibration(result), nl=not as_json)


@eval_app.command("probe")
def probe_command(
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Run only this edit (repeatable); default: all.")
    ] = None,
    golden: Annotated[Path | None, typer.Option("--golden", help="Golden YAML (default: the smoke set).")] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Results to compare with (default: the gate's baseline).")
    ] = None,
    home: Annotated[
        Path, typer.Option("--home", help="State folder whose LLM cache the runs share (the gate's).")
    ] = Path(".vantage/gate-home"),
    out: Annotated[Path, typer.Option("--out", help="Output folder for each run and probe.md.")] = Path(
        ".vantage/probe"
    ),
) -> None:
    """Plant the prompt edits of evals/prompt_edits.yaml one at a time and run the gate on each: which
    metrics neutral rewordings move (the noise a tolerance must clear), and which deliberate
    regressions the gate fails on."""
    from vantage.tools.search.corpus import datasets_dir

    from .sensitivity import format_sensitivity, run_probes

    golden = golden or datasets_dir() / "golden" / "smoke.yaml"
    baseline = baseline or Path(__file__).parent / "baselines" / "smoke-local.json"
    if not baseline.is_file():
        raise InputError(f"baseline not found: {baseline} (make baseline writes it)")
    result = run_probes(golden, baseline, home.resolve(), out.resolve(), only)
    typer.echo(format_sensitivity(result), nl=False)
    _err(f"{out}/probe.md")


def score_command(
    report_file: Annotated[Path, typer.Argument(help="A report.json written by `vantage run`.")],
    golden: Annotated[Path | None, typer.Option("--golden", help="Golden YAML holding the case.")] = None,
    case: Annotated[str | None, typer.Option("--case", help="Golden case id to score against.")] = None,
    corpus: Annotated[str | None, typer.Option("--corpus", help="Corpus the report cites.")] = None,
    verifier: Annotated[str | None, typer.Option("--verifier", help="lexical (default) or embedding.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Score one existing report on every metric and print a table."""
    from vantage.graph.report import Report

    from .datasets import load_golden
    from .scorecard import corpus_passages, format_table, score_report
    from .verifiers import make_verifier

    if not report_file.is_file():
        raise InputError(f"report not found: {report_file}")
    try:
        report = Report.model_validate_json(report_file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"{report_file}: not a vantage report ({str(exc).splitlines()[0]})") from exc
    golden_case = None
    if (golden is None) != (case is None):
        raise InputError("--golden and --case go together")
    if golden and case:
        cases = {c.id: c for c in load_golden(golden).cases}
        if case not in cases:
            raise InputError(f"case {case!r} is not in {golden}; cases: {', '.join(cases)}")
        golden_case = cases[case]
    card = score_report(report, corpus_passages(corpus), golden_case, make_verifier(verifier))
    typer.echo(card.model_dump_json(indent=2) if as_json else format_table(card), nl=not as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
    app.command("score")(score_command)
