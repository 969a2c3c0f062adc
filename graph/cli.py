"""The `vantage` command line. Errors end as one line on stderr and a non-zero exit."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from vantage.evals.cli import register as register_evals
from vantage.tools.errors import InputError, VantageError

from .cli_output import deliver, progress
from .report import Report
from .runner import DEFAULT_QUESTION, RunRequest, execute
from .settings import Budgets, budget_keys, parse_budgets
from .trace_cli import register as register_traces

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="vantage: cited, multi-stakeholder assessments, proven faithful.",
)
schema_app = typer.Typer(no_args_is_help=True, help="Print JSON schemas.")
app.add_typer(schema_app, name="schema")
datasets_app = typer.Typer(no_args_is_help=True, help="Validate the datasets.")
app.add_typer(datasets_app, name="datasets")


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--as-of {value!r} is not a date (use YYYY-MM-DD)") from exc


@app.command()
def run(
    question: Annotated[str, typer.Argument(help="The question to assess.")] = DEFAULT_QUESTION,
    perspective: Annotated[
        str, typer.Option("--perspective", "-p", help="Vantage point id, e.g. ua-01.")
    ] = "ua-01",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Ignore sources published after YYYY-MM-DD.")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Model spec (default: VANTAGE_MODEL or local).")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Search backend (default: VANTAGE_SEARCH or local).")
    ] = None,
    corpus: Annotated[
        str | None, typer.Option("--corpus", help="Corpus JSONL file or folder for local search.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: .vantage/runs/RUN_ID).")
    ] = None,
    verifier: Annotated[
        str | None, typer.Option("--verifier", help="Claim verifier: lexical (default), embedding or llm.")
    ] = None,
    budget: Annotated[
        list[str] | None,
        typer.Option("--budget", help="Override a run budget, KEY=VALUE (repeatable): `vantage schema budgets`."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON instead of Markdown.")] = False,
) -> None:
    """Answer QUESTION from a vantage point with a structured, cited assessment."""
    request = RunRequest(
        question=question,
        perspective=perspective,
        as_of=_parse_date(as_of),
        model=model,
        search=search,
        corpus=corpus,
        verifier=verifier,
        budgets=parse_budgets(budget),
    )
    deliver(execute(request, progress=progress), out, as_json)


@schema_app.command("report")
def schema_report() -> None:
    """The JSON schema of a Report."""
    typer.echo(json.dumps(Report.model_json_schema(), indent=2))


@schema_app.command("budgets")
def schema_budgets() -> None:
    """The run budgets with their defaults, as `--budget` takes them."""
    defaults = Budgets().model_dump()
    for key in budget_keys():
        group, _, name = key.rpartition(".")
        typer.echo(f"{key}={(defaults[group] if group else defaults)[name]}")


@datasets_app.command("check")
def datasets_check(
    root: Annotated[Path | None, typer.Option("--root", help="Datasets folder (default: datasets/).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Validate corpus, golden sets and citation pairs, and print counts per topic and split."""
    from vantage.evals.datasets import check_datasets

    report = check_datasets(root)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        typer.echo(f"{'topic':<22} {'docs':>5} {'golden':>6} {'pairs dev':>9} {'pairs test':>10}")
        for topic, c in sorted(report.topics.items()):
            typer.echo(f"{topic:<22} {c.documents:>5} {c.golden:>6} {c.pairs_dev:>9} {c.pairs_test:>10}")
        golden = ", ".join(f"{name}: {n}" for name, n in report.golden.items())
        typer.echo(
            f"total: {report.documents} documents · golden {golden} · {report.pairs} pairs "
            f"({report.supported_share:.0%} supported)"
        )
    for problem in report.problems:
        _err(f"problem: {problem}")
    if not report.ok:
        raise InputError(f"datasets check found {len(report.problems)} problem(s)")


register_evals(app)
register_traces(app)


def main() -> None:
    os.environ.setdefault("DEEPEVAL_TELEMETRY_OPT_OUT", "1")
    os.environ.setdefault("LANGSMITH_TRACING", "false")
    try:
        app()
    except VantageError as exc:
        _err(f"vantage: error: {exc}")
        sys.exit(2)
    except KeyboardInterrupt:
        _err("vantage: interrupted")
        sys.exit(130)
    except Exception as exc:  # the promise is no traceback; VANTAGE_DEBUG=1 shows it
        if os.environ.get("VANTAGE_DEBUG"):
            raise
        _err(
            f"vantage: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
            "(VANTAGE_DEBUG=1 shows the traceback)"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
