"""bench.json's Markdown twin: the targets first, then where the time and tokens go."""

from __future__ import annotations

import os
import platform
import statistics
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel

from .measure import EmbeddedBench, RunCost, ScoringBench, ScriptedBench, Spread

# The bars (issue 8): framework overhead, fan-out, tokens, scoring, embedded wall time.
MAX_OVERHEAD_SHARE = 0.05
MIN_FAN_OUT_SPEEDUP = 1.8
MAX_TOKENS_PER_REPORT = 30_000
MAX_SCORING_S_PER_100 = 10.0
MAX_EMBEDDED_MEDIAN_S = 120.0


class Target(BaseModel):
    name: str
    measured: str
    bar: str
    met: bool | None  # None: not measured in this bench run


class Machine(BaseModel):
    system: str
    cpu: str
    cpus: int
    memory_gib: float
    python: str

    @classmethod
    def here(cls) -> Machine:
        cpuinfo, meminfo = _lines("/proc/cpuinfo"), _lines("/proc/meminfo")  # empty off Linux
        cpu = next(
            (ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), platform.machine()
        )
        mem_kib = next((int(ln.split()[1]) for ln in meminfo if ln.startswith("MemTotal")), 0)
        return cls(
            system=f"{platform.system()} {platform.release()} {platform.machine()}",
            cpu=cpu,
            cpus=os.cpu_count() or 1,
            memory_gib=round(mem_kib / 1024**2, 1),
            python=platform.python_version(),
        )


def _lines(path: str) -> list[str]:
    file = Path(path)
    return file.read_text().splitlines() if file.is_file() else []


class BenchResult(BaseModel):
    started_at: datetime
    machine: Machine
    golden: str
    embedded: EmbeddedBench | None
    scripted: ScriptedBench
    scoring: ScoringBench
    targets: list[Target]


def targets(embedded: EmbeddedBench | None, scripted: ScriptedBench, scoring: ScoringBench) -> list[Target]:
    overhead = scripted.overhead_share.median
    per_100 = 100 / scoring.per_second
    out = [
        Target(
            name="framework overhead (scripted, branches in parallel)",
            measured=f"{overhead:.1%} ({scripted.overhead_s.median * 1000:.0f} ms/report)",
            bar=f"< {MAX_OVERHEAD_SHARE:.0%}",
            met=overhead < MAX_OVERHEAD_SHARE,
        ),
        Target(
            name="fan-out speedup (scripted, parallel vs one branch at a time)",
            measured=f"{scripted.fan_out_speedup:.2f}x",
            bar=f">= {MIN_FAN_OUT_SPEEDUP}x",
            met=scripted.fan_out_speedup >= MIN_FAN_OUT_SPEEDUP,
        ),
        Target(
            name="scoring 100 reports (deterministic metrics)",
            measured=f"{per_100:.2f} s",
            bar=f"< {MAX_SCORING_S_PER_100:g} s",
            met=per_100 < MAX_SCORING_S_PER_100,
        ),
    ]
    if embedded is None:
        skipped = "not measured (--skip-embedded)"
        out.append(Target(name="tokens per report (embedded)", measured=skipped, bar="", met=None))
        out.append(Target(name="embedded report, median wall time", measured=skipped, bar="", met=None))
        return out
    most = max(r.usage.tokens for r in embedded.runs)
    out += [
        Target(
            name="tokens per report (embedded, worst run)",
            measured=f"{most:,}",
            bar=f"<= {MAX_TOKENS_PER_REPORT:,}",
            met=most <= MAX_TOKENS_PER_REPORT,
        ),
        Target(
            name="embedded report, median wall time",
            measured=f"{embedded.wall_s.median:.1f} s",
            bar=f"< {MAX_EMBEDDED_MEDIAN_S:g} s",
            met=embedded.wall_s.median < MAX_EMBEDDED_MEDIAN_S,
        ),
    ]
    return out


def _spread(s: Spread, unit: str = " s", digits: int = 1) -> str:
    return f"{s.median:,.{digits}f}{unit} ({s.low:,.{digits}f}–{s.high:,.{digits}f}, n={s.n})"


def _per_node(runs: list[RunCost]) -> list[str]:
    nodes = list(dict.fromkeys(n for r in runs for n in r.per_node))
    rows = ["| node | executions | LLM calls | prompt tokens | completion tokens |", "|---|---:|---:|---:|---:|"]
    for node in nodes:
        costs = [r.per_node[node] for r in runs if node in r.per_node]

        cells = [
            f"{statistics.median(getattr(c, f) for c in costs):,.0f}"
            for f in ("executions", "llm_calls", "prompt_tokens", "completion_tokens")
        ]
        rows.append(f"| {node} | {' | '.join(cells)} |")
    return rows


def render(result: BenchResult) -> str:
    m = result.machine
    lines = [
        f"# vantage bench, {result.started_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {m.cpus} × {m.cpu}, {m.memory_gib} GiB RAM, {m.system}, Python {m.python}. "
        f"Golden set: `{result.golden}`. Medians, with (min–max, n) where repeated.",
        "",
        "## Targets",
        "",
        "| target | measured | bar | met |",
        "|---|---|---|---|",
    ]
    for t in result.targets:
        met = "n/a" if t.met is None else ("yes" if t.met else "**no**")
        lines.append(f"| {t.name} | {t.measured} | {t.bar} | {met} |")
    e = result.embedded
    if e is not None:
        lines += [
            "",
            f"## Embedded model ({e.model_id}), cold cache",
            "",
            "| case | wall time | LLM calls | prompt tokens | completion tokens | total tokens |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for case in dict.fromkeys(r.case_id for r in e.runs):
            runs = [r for r in e.runs if r.case_id == case]
            lines.append(
                f"| {case} | {_spread(Spread.of([r.wall_s for r in runs]))} | "
                f"{statistics.median(r.usage.llm_calls for r in runs):.0f} | "
                f"{statistics.median(r.usage.prompt_tokens for r in runs):,.0f} | "
                f"{statistics.median(r.usage.completion_tokens for r in runs):,.0f} | "
                f"{statistics.median(r.usage.tokens for r in runs):,.0f} |"
            )
        lines += [
            f"| **all** | {_spread(e.wall_s)} | | | | {_spread(e.tokens, unit='', digits=0)} |",
            "",
            "Per node, median per report:",
            "",
            *_per_node(e.runs),
            "",
            f"- Fan-out on the embedded model ({e.serial_case}): one llama.cpp slot and one branch at a time "
            f"{e.serial_wall_s:.1f} s; two slots and parallel branches {e.parallel_wall_s:.1f} s: "
            f"**{e.fan_out_speedup:.2f}x**.",
            f"- Smoke eval cold {e.cold_eval_s:.1f} s; replayed from the LLM cache {e.replay_eval_s:.2f} s: "
            f"**{e.replay_speedup:.0f}x** faster.",
            f"- Peak resident memory (bench process, embedded model loaded, two slots): {e.peak_rss_mb:,.0f} MB.",
        ]
    s = result.scripted
    serial_wall = Spread.of([r.wall_s for r in s.serial])
    lines += [
        "",
        f"## The graph alone: scripted model, {s.latency_s:g} s per call",
        "",
        "| mode | wall time | model in flight | graph's own time | share |",
        "|---|---|---|---|---|",
        f"| branches in parallel | {_spread(Spread.of([r.wall_s for r in s.parallel]), digits=2)} | "
        f"{statistics.median(r.model_s for r in s.parallel):.2f} s | "
        f"{s.overhead_s.median * 1000:.0f} ms | {s.overhead_share.median:.1%} |",
        f"| one branch at a time | {_spread(serial_wall, digits=2)} | "
        f"{statistics.median(r.model_s for r in s.serial):.2f} s | "
        f"{statistics.median(r.wall_s - r.model_s for r in s.serial) * 1000:.0f} ms | "
        f"{statistics.median(r.overhead_share for r in s.serial):.1%} |",
        "",
        f"Fan-out speedup (median over cases of serial / parallel): **{s.fan_out_speedup:.2f}x**. "
        f"Scoring: {result.scoring.reports} reports in {result.scoring.seconds:.2f} s "
        f"({result.scoring.per_second:.1f} reports/s).",
        "",
    ]
    return "\n".join(lines)
