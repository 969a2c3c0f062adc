"""`vantage runs`, `vantage trace` and `vantage resume`: the run registry from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from vantage.tools.errors import InputError

from .cli_output import deliver, progress
from .registry import RunRecord, open_registry
from .runner import resume
from .trace_html import render_html
from .trace_view import RunTrace, load_trace, render_io, render_node, render_timeline


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def runs_table(runs: list[RunRecord]) -> str:
    w = max([len(r.id) for r in runs] + [12]) + 2  # eval runs name their ids after the case
    lines = [
        f"{'id':<{w}}{'started (UTC)':<18}{'status':<13}{'wall':>8}{'calls':>7}{'tokens':>9}  "
        f"{'perspective':<12}question"
    ]
    for r in runs:
        lines.append(
            f"{r.id:<{w}}{r.started:%Y-%m-%d %H:%M}  {r.status:<13}{r.wall_time_s:>7.1f}s{r.llm_calls:>7}"
            f"{r.tokens:>9,}  {r.perspective:<12}{_clip(r.question, 60)}"
        )
    return "\n".join(lines)


def _only_node(trace: RunTrace, node: str) -> RunTrace:
    if node not in trace.nodes():
        raise InputError(f"run {trace.run.id} has no node {node!r}; its nodes: {', '.join(trace.nodes())}")
    return trace.model_copy(update={"executions": [v for v in trace.executions if v.execution.node == node]})


def register(app: typer.Typer) -> None:
    @app.command("runs")
    def runs(
        limit: Annotated[
            int, typer.Option("--limit", "-n", min=1, help="Show at most N runs, newest first.")
        ] = 20,
        as_json: Annotated[bool, typer.Option("--json", help="Print the runs as JSON.")] = False,
    ) -> None:
        """List recorded runs: id, start, status, wall time, LLM calls, tokens, question."""
        with open_registry() as registry:
            found = registry.list_runs(limit)
            where = registry.path
        if as_json:
            typer.echo(json.dumps([r.model_dump(mode="json") for r in found], indent=2))
        elif not found:
            _err(f"no runs recorded yet in {where}")
        else:
            typer.echo(runs_table(found))

    @app.command("trace")
    def trace(
        run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix), from `vantage runs`.")],
        node: Annotated[
            str | None, typer.Option("--node", help="Show this node's prompts and replies in full.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the trace as JSON.")] = False,
        html: Annotated[
            Path | None, typer.Option("--html", help="Write a self-contained HTML page to this file.")
        ] = None,
    ) -> None:
        """Show a run's node timeline (durations, LLM calls, tokens, retries) and each node's inputs, outputs."""
        with open_registry() as registry:
            loaded = load_trace(registry, run_id)
        if html is not None:
            html.parent.mkdir(parents=True, exist_ok=True)
            html.write_text(render_html(loaded), encoding="utf-8")
            _err(f"trace page: {html}")
            return
        shown = _only_node(loaded, node) if node else loaded
        if as_json:
            typer.echo(shown.model_dump_json(indent=2))
        elif node:
            typer.echo(render_node(shown, node))
        else:
            typer.echo(render_timeline(loaded) + "\n\n" + render_io(loaded))

    @app.command("resume")
    def resume_run(
        run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix) of a killed or failed run.")],
        out: Annotated[
            Path | None, typer.Option("--out", help="Output folder (default: .vantage/runs/RUN_ID).")
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the report as JSON instead of Markdown.")
        ] = False,
    ) -> None:
        """Continue a run that died, from its last checkpoint, without re-running finished nodes."""
        deliver(resume(run_id, progress=progress), out, as_json)
