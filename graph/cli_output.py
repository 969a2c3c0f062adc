"""How `run` and `resume` show a run: node progress on stderr, the report on stdout, files on disk."""

from __future__ import annotations

from pathlib import Path

import typer

from .registry import home
from .report import Report, render_markdown
from .runner import stats_line, write_outputs


def progress(node: str, summary: str, seconds: float) -> None:
    typer.echo(f"  [{seconds:6.1f}s] {node:<12} {summary}", err=True)


def deliver(report: Report, out: Path | None, as_json: bool) -> None:
    """Write report.md/report.json, print the report, then any degradation and the stats line."""
    assert report.run is not None
    folder = write_outputs(report, out or home() / "runs" / report.run.run_id)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        typer.echo(render_markdown(report), nl=False)
    if report.run.degraded:
        typer.echo("degraded: " + " | ".join(report.run.degraded), err=True)
    typer.echo(f"{stats_line(report)} · {folder}/report.md", err=True)
