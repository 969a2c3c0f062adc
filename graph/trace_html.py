"""`vantage trace RUN_ID --html FILE`: one self-contained page, a Gantt timeline of node executions
and collapsible details (inputs, outputs, every prompt and reply). Inline CSS and JS only; its
Content-Security-Policy forbids every network request, so the page works offline and leaks nothing."""

from __future__ import annotations

from html import escape

from .trace_view import ExecView, RunTrace, run_line

# Inline style and script only: the page can make no request of any kind.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#edc948", "#9c755f")

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1.5em;color:#222}
h1{font-size:1.3em;margin:0 0 .3em} .meta{color:#555;margin:.1em 0} .err{color:#b00020}
.gantt{border:1px solid #ddd;border-radius:6px;padding:.6em .8em;margin:1em 0}
.row{display:flex;align-items:center;height:24px}
.label{flex:0 0 300px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding-right:.6em}
.label .branch{color:#666}
.track{position:relative;flex:1;height:18px;background:#f6f6f6;border-radius:3px}
.bar{position:absolute;top:0;height:18px;min-width:3px;border-radius:3px;color:#fff;font-size:11px;
  line-height:18px;white-space:nowrap;overflow:hidden;text-decoration:none;padding-left:3px;box-sizing:border-box}
.bar.failed,.bar.interrupted,.bar.running{
  background-image:repeating-linear-gradient(45deg,#0000 0 4px,#fff6 4px 8px)}
.fanout{border-left:3px solid #999;margin:2px 0 2px -.6em;padding-left:calc(.6em - 3px)}
.fanout-label{font-size:11px;color:#666}
.axis{display:flex;margin-left:300px;color:#777;font-size:11px;justify-content:space-between}
.resume{margin:.3em 0;color:#666;font-size:12px;border-top:1px dashed #aaa}
.controls button{margin-right:.5em}
details.node{border:1px solid #ddd;border-radius:6px;margin:.5em 0;padding:.3em .8em}
details.node>summary{cursor:pointer;font-weight:600}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.4em}
table.io{border-collapse:collapse;margin:.5em 0} table.io td{padding:1px 8px;vertical-align:top}
table.io td.k{font-family:monospace;color:#333} table.io td.kind{color:#777}
.call{border-top:1px solid #eee;margin-top:.5em;padding-top:.4em} .call h4{margin:.2em 0;font-size:13px}
.role{font-size:11px;text-transform:uppercase;color:#777;margin-top:.4em}
pre{white-space:pre-wrap;word-break:break-word;background:#fafafa;border:1px solid #eee;padding:.5em;
  margin:.2em 0;max-height:28em;overflow:auto;font-size:12px}
pre.reply{background:#f3f8f3}
"""

_JS = """
function openExec(id) {
  const details = document.getElementById(id);
  if (!details) return;
  details.open = true;
  details.scrollIntoView({block: 'start'});
}
document.querySelectorAll('a.bar').forEach(function (bar) {
  bar.addEventListener('click', function (event) {
    event.preventDefault();
    const id = bar.getAttribute('href').slice(1);
    openExec(id);
    history.replaceState(null, '', '#' + id);
  });
});
function setAll(open) { document.querySelectorAll('details.node').forEach(d => { d.open = open; }); }
document.getElementById('expand').onclick = function () { setAll(true); };
document.getElementById('collapse').onclick = function () { setAll(false); };
if (location.hash) openExec(location.hash.slice(1));
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _exec_id(index: int) -> str:
    return f"x{index}"


def _colors(trace: RunTrace) -> dict[str, str]:
    return {node: PALETTE[i % len(PALETTE)] for i, node in enumerate(trace.nodes())}


def _took(v: ExecView) -> str:
    return "unfinished" if v.duration_s is None else f"{v.duration_s:.2f} s"


def _row(index: int, v: ExecView, span: float, color: str) -> str:
    e = v.execution
    left = 100 * v.offset_s / span if span > 0 else 0.0
    width = 100 * (v.duration_s or 0.0) / span if span > 0 else 0.0
    tip = f"{e.node} · step {e.step} · {_took(v)} · {v.usage.llm_calls} LLM calls · {v.usage.tokens:,} tokens"
    branch = f' <span class="branch">{_e(e.branch)}</span>' if e.branch else ""
    return (
        f'<div class="row" data-node="{_e(e.node)}" data-exec="{_exec_id(index)}">'
        f'<span class="label" title="{_e(e.branch or e.node)}">{_e(e.node)}{branch}</span>'
        f'<span class="track"><a class="bar {_e(e.status)}" href="#{_exec_id(index)}" data-node="{_e(e.node)}" '
        f'title="{_e(tip)}" style="left:{left:.3f}%;width:{min(width, 100 - left):.3f}%;background-color:{color}">'
        f"{_e(_took(v))}</a></span></div>"
    )


def _gantt(trace: RunTrace, colors: dict[str, str]) -> str:
    span = trace.span_s
    ticks = "".join(f"<span>{span * i / 4:.2f} s</span>" for i in range(5))
    out = [f'<section class="gantt" aria-label="timeline"><div class="axis">{ticks}</div>']
    group: tuple[str, int, int] | None = None
    attempt = 1
    for i, v in enumerate(trace.executions):
        e = v.execution
        key = (e.node, e.step, e.attempt)
        if group is not None and key != group:
            out.append("</div>")
            group = None
        if e.attempt != attempt:
            attempt = e.attempt
            out.append(f'<div class="resume">resumed from its last checkpoint: attempt {attempt}</div>')
        if v.parallel > 1 and group is None:
            group = key
            out.append(
                f'<div class="fanout"><div class="fanout-label">{_e(e.node)} · step {e.step} · '
                f"{v.parallel} branches in parallel</div>"
            )
        out.append(_row(i, v, span, colors[e.node]))
    if group is not None:
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


def _io_table(v: ExecView) -> str:
    rows = [
        f'<tr><td class="kind">{kind}</td><td class="k">{_e(k)}</td><td>{_e(val)}</td></tr>'
        for kind, values in (("reads", v.execution.reads), ("writes", v.execution.writes))
        for k, val in values.items()
    ]
    return f'<table class="io">{"".join(rows)}</table>' if rows else "<p>No state keys recorded.</p>"


def _calls(v: ExecView) -> str:
    out = []
    for n, c in enumerate(v.calls, 1):
        latency = "unfinished" if c.latency_s is None else f"{c.latency_s:.2f} s"
        head = (
            f"LLM call {n}/{len(v.calls)} · model {c.model_id} · {latency} · {c.status} · "
            f"{c.prompt_tokens:,} prompt + {c.completion_tokens:,} completion tokens"
            + (" · retry" if c.retry else "")
        )
        messages = "".join(
            f'<div class="role">{_e(m.role)}</div><pre class="prompt">{_e(m.content)}</pre>' for m in c.messages
        )
        reply = c.reply if c.status == "done" else f"(no reply: {c.error or c.status})"
        out.append(
            f'<div class="call"><h4>{_e(head)}</h4>{messages}'
            f'<div class="role">reply</div><pre class="reply">{_e(reply)}</pre></div>'
        )
    return "".join(out)


def _details(index: int, v: ExecView, color: str) -> str:
    e = v.execution
    branch = f" [{e.branch}]" if e.branch else ""
    summary = (
        f"{e.node}{branch} · step {e.step} · {_took(v)} · {e.status} · {v.usage.llm_calls} LLM calls · "
        f"{v.usage.tokens:,} tokens · {v.usage.retries} retries"
    )
    error = f'<p class="err">{_e(e.error)}</p>' if e.error else ""
    return (
        f'<details class="node" id="{_exec_id(index)}" data-node="{_e(e.node)}">'
        f'<summary><span class="swatch" style="background:{color}"></span>{_e(summary)}</summary>'
        f"{error}{_io_table(v)}{_calls(v)}</details>"
    )


def render_html(trace: RunTrace) -> str:
    run = trace.run
    colors = _colors(trace)
    error = f'<p class="meta err">error: {_e(run.error)}</p>' if run.error else ""
    details = "\n".join(_details(i, v, colors[v.execution.node]) for i, v in enumerate(trace.executions))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vantage trace {_e(run.id)}</title><style>{_CSS}</style></head>
<body>
<h1>vantage run {_e(run.id)}</h1>
<p class="meta stats">{_e(run_line(run))}</p>
<p class="meta">{_e(run.perspective)} · {_e(run.question)}</p>
<p class="meta">started {run.started:%Y-%m-%d %H:%M:%S} UTC · {run.attempts} attempt(s) · totals:
{trace.total.llm_calls} LLM calls, {trace.total.tokens:,} tokens, {trace.total.retries} retries</p>
{error}
{_gantt(trace, colors)}
<p class="controls"><button id="expand">expand all</button><button id="collapse">collapse all</button>
Click a bar or a heading to see what the node read, wrote, asked and got back.</p>
<section class="details">
{details}
</section>
<script>{_JS}</script>
</body></html>
"""
