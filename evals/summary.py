"""`summary.md` and a self-contained `summary.html` (inline CSS and SVG, no network) for eval results."""

from __future__ import annotations

import html

from .golden_run import EvalResults, direction

_BAR_W, _ROW_H = 260, 18


def _metric_names(ev: EvalResults) -> list[str]:
    return list(ev.means())


def render_markdown(ev: EvalResults) -> str:
    means, per_case = ev.means(), ev.case_means()
    lines = [
        f"# Eval: {ev.golden_name}",
        "",
        f"- model `{ev.model_id}` · prompts `{ev.prompt_hash}` · verifier `{ev.verifier}` · search `{ev.search}`",
        f"- {len(ev.ok())} of {len(ev.cases)} case runs scored ({ev.repeats} repeat(s)), "
        f"{len(ev.failed())} failed · wall {ev.wall_time_s:.1f} s · cache "
        + (f"{ev.cache.hits} hits / {ev.cache.misses} misses" if ev.cache.enabled else "off"),
        f"- tokens: {sum(c.prompt_tokens for c in ev.cases):,} prompt + "
        f"{sum(c.completion_tokens for c in ev.cases):,} completion · "
        f"LLM calls {sum(c.llm_calls for c in ev.cases)}",
        "",
        "| metric | mean | better |",
        "| --- | ---: | --- |",
    ]
    lines += [f"| {m} | {v:.3f} | {'higher' if direction(m) > 0 else 'lower'} |" for m, v in means.items()]
    cases = sorted({c.case_id for c in ev.ok()})
    if cases:
        lines += ["", "| case | " + " | ".join(means) + " |", "| --- |" + " ---: |" * len(means)]
        for case in cases:
            row = [f"{per_case[m].get(case, float('nan')):.2f}" for m in means]
            lines.append(f"| {case} | " + " | ".join(row) + " |")
    if ev.failed():
        lines += ["", "## Failed", ""] + [f"- {c.case_id} (repeat {c.repeat}): {c.error}" for c in ev.failed()]
    return "\n".join(lines) + "\n"


def _chart(metric: str, scores: dict[str, float]) -> str:
    rows = sorted(scores.items())
    height = _ROW_H * len(rows) + 8
    bars = []
    for i, (case, score) in enumerate(rows):
        y = i * _ROW_H + 4
        bars.append(
            f'<text x="0" y="{y + 12}" class="l">{html.escape(case)}</text>'
            f'<rect x="120" y="{y}" width="{_BAR_W}" height="{_ROW_H - 4}" class="bg"/>'
            f'<rect x="120" y="{y}" width="{score * _BAR_W:.1f}" height="{_ROW_H - 4}" class="v"/>'
            f'<text x="{126 + _BAR_W}" y="{y + 12}" class="l">{score:.2f}</text>'
        )
    better = "higher is better" if direction(metric) > 0 else "lower is better"
    return (
        f"<section><h3>{html.escape(metric)} <small>{better}</small></h3>"
        f'<svg width="{170 + _BAR_W}" height="{height}" role="img" aria-label="{html.escape(metric)}">'
        + "".join(bars)
        + "</svg></section>"
    )


def render_html(ev: EvalResults) -> str:
    means, per_case = ev.means(), ev.case_means()
    table = "".join(f"<tr><td>{html.escape(m)}</td><td>{v:.3f}</td></tr>" for m, v in means.items())
    failed = "".join(f"<li>{html.escape(c.case_id)}: {html.escape(c.error or '')}</li>" for c in ev.failed())
    style = (
        "body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}"
        ".bg{fill:#eee}.v{fill:#3b6ea8}.l{font-size:11px}section{display:inline-block;margin:0 2em 1em 0}"
        "small{color:#666;font-weight:normal}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Eval {html.escape(ev.golden_name)}</title>"
        f"<style>{style}</style></head><body>"
        f"<h1>Eval: {html.escape(ev.golden_name)}</h1>"
        f"<p>model <code>{html.escape(ev.model_id)}</code> · prompts <code>{ev.prompt_hash}</code> · verifier "
        f"<code>{html.escape(ev.verifier)}</code> · {len(ev.ok())}/{len(ev.cases)} case runs scored · "
        f"wall {ev.wall_time_s:.1f} s</p>"
        f"<table><tr><th>metric</th><th>mean</th></tr>{table}</table>"
        + (f"<h2>Failed</h2><ul>{failed}</ul>" if failed else "")
        + "<h2>Per case</h2>"
        + "".join(_chart(m, per_case[m]) for m in means)
        + "</body></html>\n"
    )
