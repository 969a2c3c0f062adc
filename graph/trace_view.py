"""A run's trace as one object, and its text views: the node timeline, the per-node inputs and
outputs, and the full prompts and replies of one node."""

from __future__ import annotations

import time

from pydantic import BaseModel, Field

from .registry import LLMCall, NodeExec, Registry, RunRecord

BAR_WIDTH = 32


class Usage(BaseModel):
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class ExecView(BaseModel):
    """A node execution placed on the run's timeline (seconds of active run time, gaps between
    a killed attempt and its resume left out), with its LLM calls."""

    execution: NodeExec
    offset_s: float
    duration_s: float | None
    parallel: int = Field(description="executions of this node in the same step and attempt (fan-out width)")
    usage: Usage
    calls: list[LLMCall]


class RunTrace(BaseModel):
    run: RunRecord
    executions: list[ExecView]
    unattributed_calls: list[LLMCall] = Field(default_factory=list)
    span_s: float
    total: Usage

    def nodes(self) -> list[str]:
        return list(dict.fromkeys(v.execution.node for v in self.executions))


def _usage(calls: list[LLMCall]) -> Usage:
    done = [c for c in calls if c.status == "done"]
    return Usage(
        llm_calls=len(done),
        prompt_tokens=sum(c.prompt_tokens for c in done),
        completion_tokens=sum(c.completion_tokens for c in done),
        retries=sum(c.retry for c in calls),
    )


def _settle(status: str, run: RunRecord) -> str:
    """Something still 'running' in a run that is not running any more ended with the run."""
    return run.status if status == "running" and run.status != "running" else status


def load_trace(registry: Registry, run_id: str) -> RunTrace:
    run = registry.get_run(run_id)
    execs = registry.node_execs(run.id)
    calls = registry.calls(run.id)
    for item in [*execs, *calls]:
        item.status = _settle(item.status, run)  # type: ignore[assignment]

    # Lay attempts end to end: a resumed attempt starts where the previous one stopped.
    shift: dict[int, float] = {}  # attempt -> clock time at its timeline second 0
    cursor = 0.0  # timeline seconds used by earlier attempts
    for i, attempt in enumerate(sorted({e.attempt for e in execs})):
        mine = [e for e in execs if e.attempt == attempt]
        origin = run.started.timestamp() if i == 0 else min(e.started for e in mine)
        shift[attempt] = origin - cursor
        cursor = max((e.ended or e.started) for e in mine) - shift[attempt]

    width: dict[tuple[str, int, int], int] = {}
    for e in execs:
        key = (e.node, e.step, e.attempt)
        width[key] = width.get(key, 0) + 1
    by_exec: dict[str | None, list[LLMCall]] = {}
    for c in calls:
        by_exec.setdefault(c.exec_id, []).append(c)
    known = {e.id for e in execs}
    views = [
        ExecView(
            execution=e,
            offset_s=e.started - shift[e.attempt],
            duration_s=None if e.ended is None else e.ended - e.started,
            parallel=width[(e.node, e.step, e.attempt)],
            usage=_usage(by_exec.get(e.id, [])).model_copy(update={"retries": e.retries}),
            calls=by_exec.get(e.id, []),
        )
        for e in execs
    ]
    views.sort(key=lambda v: (v.execution.attempt, v.execution.step, v.offset_s))
    span = max((v.offset_s + (v.duration_s or 0.0) for v in views), default=0.0)
    if run.status == "running" and shift:  # leave room on the timeline for what is still running
        span = max(span, time.time() - shift[max(shift)])
    return RunTrace(
        run=run,
        executions=views,
        unattributed_calls=[c for c in calls if c.exec_id not in known],
        span_s=span or run.wall_time_s,
        total=_usage(calls).model_copy(update={"retries": sum(e.retries for e in execs)}),
    )


def run_line(run: RunRecord) -> str:
    return (
        f"run {run.id} · {run.status} · {run.wall_time_s:.1f} s · {run.llm_calls} LLM calls · "
        f"{run.prompt_tokens:,} prompt + {run.completion_tokens:,} completion tokens · model {run.model_id} · "
        f"prompts {run.prompt_hash}"
    )


def _bar(view: ExecView, span: float) -> str:
    if span <= 0:
        return " " * BAR_WIDTH
    start = min(int(view.offset_s / span * BAR_WIDTH), BAR_WIDTH - 1)
    length = max(1, round((view.duration_s or 0.0) / span * BAR_WIDTH))
    fill = "█" if view.execution.status == "done" else "▒"
    return (" " * start + fill * min(length, BAR_WIDTH - start)).ljust(BAR_WIDTH)


def _branch_marks(views: list[ExecView]) -> list[str]:
    """┌ ├ └ group the branches of one fan-out (same node, step and attempt), which ran in parallel."""
    marks = []
    for i, v in enumerate(views):
        if v.parallel < 2:
            marks.append(" ")
            continue
        key = (v.execution.node, v.execution.step, v.execution.attempt)
        same = [(w.execution.node, w.execution.step, w.execution.attempt) == key for w in views]
        first, last = same.index(True), len(same) - 1 - same[::-1].index(True)
        marks.append("┌" if i == first else "└" if i == last else "├")
    return marks


def render_timeline(trace: RunTrace) -> str:
    run = trace.run
    lines = [
        run_line(run),
        f"question: {run.question}",
        f"perspective: {run.perspective} · started {run.started:%Y-%m-%d %H:%M:%S} UTC"
        + (f" · {run.attempts} attempts (resumed)" if run.attempts > 1 else ""),
    ]
    if run.error:
        lines.append(f"error: {run.error}")
    header = (
        f"{'step':>4}  {'node':<12}  {'branch':<30} {'start':>8} {'time':>8} {'calls':>5} "
        f"{'tokens':>8} {'retries':>7}  {'status':<11} timeline"
    )
    lines += ["", header]
    views = trace.executions
    attempt = 1
    for mark, v in zip(_branch_marks(views), views, strict=True):
        e = v.execution
        if e.attempt != attempt:
            attempt = e.attempt
            lines.append(f"{'':>4}  ── resumed: attempt {attempt} ──")
        branch = f"{mark} {e.branch or ''}".rstrip()
        branch = branch if len(branch) <= 30 else branch[:29] + "…"
        took = "-" if v.duration_s is None else f"{v.duration_s:.2f}s"
        lines.append(
            f"{e.step:>4}  {e.node:<12}  {branch:<30} {v.offset_s:>7.2f}s {took:>8} {v.usage.llm_calls:>5} "
            f"{v.usage.tokens:>8,} {v.usage.retries:>7}  {e.status:<11} |{_bar(v, trace.span_s)}|"
        )
    t = trace.total
    lines.append(
        f"{'':>4}  {'total':<12}  {'':<30} {'':>8} {run.wall_time_s:>7.2f}s {t.llm_calls:>5} {t.tokens:>8,} "
        f"{t.retries:>7}"
    )
    if any(v.parallel > 1 for v in views):
        lines.append("┌├└ branches of one fan-out step (Send), run in parallel")
    if trace.unattributed_calls:
        lines.append(f"{len(trace.unattributed_calls)} LLM call(s) outside any node are in the totals")
    return "\n".join(lines)


def _fields(label: str, values: dict[str, str]) -> list[str]:
    if not values:
        return [f"  {label:<7}(none)"]
    width = max(map(len, values))
    return [f"  {label if i == 0 else '':<7}{k:<{width}}  {v}" for i, (k, v) in enumerate(values.items())]


def _head(v: ExecView) -> str:
    e = v.execution
    took = "unfinished" if v.duration_s is None else f"{v.duration_s:.2f} s"
    branch = f" [{e.branch}]" if e.branch else ""
    return (
        f"{e.node}{branch} · step {e.step} · attempt {e.attempt} · {took} · {e.status} · "
        f"{v.usage.llm_calls} LLM calls · {v.usage.tokens:,} tokens · {v.usage.retries} retries"
    )


def render_io(trace: RunTrace) -> str:
    """Per node execution: the state keys it read (with the values it saw) and the keys it wrote."""
    out = ["inputs and outputs (state keys read and written)"]
    for v in trace.executions:
        out += ["", _head(v), *_fields("reads", v.execution.reads), *_fields("writes", v.execution.writes)]
        if v.execution.error:
            out.append(f"  error  {v.execution.error}")
    return "\n".join(out)


def render_node(trace: RunTrace, node: str) -> str:
    """Every execution of `node` with each prompt and reply in full."""
    out: list[str] = []
    for v in (v for v in trace.executions if v.execution.node == node):
        out += ["=" * 100, _head(v), *_fields("reads", v.execution.reads), *_fields("writes", v.execution.writes)]
        for i, c in enumerate(v.calls, 1):
            latency = "unfinished" if c.latency_s is None else f"{c.latency_s:.2f} s"
            out += [
                "",
                f"── LLM call {i}/{len(v.calls)} · model {c.model_id} · {latency} · {c.status} · "
                f"{c.prompt_tokens:,} prompt + {c.completion_tokens:,} completion tokens"
                + (" · retry" if c.retry else ""),
            ]
            if c.params:
                out.append("params: " + ", ".join(f"{k}={_short(val)}" for k, val in c.params.items()))
            for m in c.messages:
                out += [f"── {m.role} ──", m.content]
            out += ["── reply ──", c.reply if c.status == "done" else f"(no reply: {c.error or c.status})"]
    return "\n".join(out)


def _short(value: object, limit: int = 120) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
