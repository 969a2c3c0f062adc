"""`vantage eval compare BASE CANDIDATE`: did any metric fall by more than its tolerance?

Means are over cases (each case's repeats averaged first). The paired difference is taken case by
case over the cases both runs scored; its 95% bootstrap interval (cases resampled, fixed seed)
says whether a move is larger than the case-to-case noise.

A metric regresses when the fall is shared, at least `MIN_CASES_FALLEN` cases (every case, when
fewer were scored) falling by more than the tolerance, and either its mean falls by more than the
tolerance or most cases fell. One case flipping is what a harmless rewording of a prompt also does
(measured: `make probe`), so one case can neither fail the gate alone nor, by rising, hide a fall
most cases share: on the 3-case smoke set, a French-language system prompt cost two cases their
draft faithfulness while the third flipped up and held the mean within tolerance.
"""

from __future__ import annotations

import json
import random
import statistics
from pathlib import Path

from pydantic import BaseModel

from .golden_run import EvalResults, direction

TOLERANCES_FILE = Path(__file__).with_name("tolerances.json")
BOOTSTRAP_SAMPLES = 2000
MIN_CASES_FALLEN = 2


class MetricChange(BaseModel):
    metric: str
    base: float
    candidate: float
    delta: float  # candidate - base
    ci_low: float | None = None
    ci_high: float | None = None
    tolerance: float
    cases: int = 0  # scored in both runs
    cases_fallen: int = 0  # of those, cases whose score fell by more than the tolerance
    regressed: bool


class CaseChange(BaseModel):
    case_id: str
    worst_metric: str
    drop: float  # signed so that larger is worse


class Comparison(BaseModel):
    base: str
    candidate: str
    prompt_hash_changed: bool
    model_changed: bool
    metrics: list[MetricChange]
    worst_cases: list[CaseChange]
    newly_failed: list[str]

    @property
    def regressions(self) -> list[MetricChange]:
        return [m for m in self.metrics if m.regressed]

    @property
    def failed(self) -> bool:
        return bool(self.regressions or self.newly_failed)


def default_tolerances() -> dict[str, float]:
    return json.loads(TOLERANCES_FILE.read_text(encoding="utf-8"))["tolerances"]


def _bootstrap(diffs: list[float], seed: int = 7) -> tuple[float, float]:
    rng = random.Random(seed)
    means = sorted(statistics.fmean(rng.choices(diffs, k=len(diffs))) for _ in range(BOOTSTRAP_SAMPLES))
    return round(means[int(0.025 * BOOTSTRAP_SAMPLES)], 4), round(means[int(0.975 * BOOTSTRAP_SAMPLES) - 1], 4)


def compare(
    base: EvalResults,
    candidate: EvalResults,
    tolerance: float | None = None,
    base_name: str = "base",
    candidate_name: str = "candidate",
) -> Comparison:
    tolerances = default_tolerances()
    b_cases, c_cases = base.case_means(), candidate.case_means()
    b_means, c_means = base.means(), candidate.means()
    changes: list[MetricChange] = []
    drops: dict[str, tuple[float, str]] = {}
    for metric in [m for m in b_means if m in c_means]:
        tol = tolerance if tolerance is not None else tolerances.get(metric, tolerances.get("default", 0.05))
        delta = round(c_means[metric] - b_means[metric], 4)
        paired = [c_cases[metric][k] - v for k, v in b_cases[metric].items() if k in c_cases[metric]]
        low = high = None
        if len(paired) >= 2:
            low, high = _bootstrap(paired)
        fallen = sum(direction(metric) * d < -tol for d in paired)
        shared = fallen >= min(MIN_CASES_FALLEN, len(paired))
        mean_fell = direction(metric) * delta < -tol
        most_fell = fallen > len(paired) / 2
        changes.append(
            MetricChange(
                metric=metric,
                base=b_means[metric],
                candidate=c_means[metric],
                delta=delta,
                ci_low=low,
                ci_high=high,
                tolerance=tol,
                cases=len(paired),
                cases_fallen=fallen,
                regressed=shared and (mean_fell or most_fell),
            )
        )
        for case, before in b_cases[metric].items():
            if case in c_cases[metric]:
                drop = direction(metric) * (before - c_cases[metric][case])
                if drop > drops.get(case, (0.0, ""))[0]:
                    drops[case] = (round(drop, 4), metric)
    worst = sorted(drops.items(), key=lambda kv: -kv[1][0])[:5]
    base_ok = {c.case_id for c in base.ok()}
    cand_ok = {c.case_id for c in candidate.ok()}
    return Comparison(
        base=base_name,
        candidate=candidate_name,
        prompt_hash_changed=base.prompt_hash != candidate.prompt_hash,
        model_changed=base.model_id != candidate.model_id,
        metrics=changes,
        worst_cases=[CaseChange(case_id=k, worst_metric=m, drop=d) for k, (d, m) in worst],
        newly_failed=sorted(base_ok - cand_ok),
    )


def format_comparison(cmp: Comparison, base: EvalResults, candidate: EvalResults) -> str:
    lines = [f"base      {cmp.base}: model {base.model_id} · prompts {base.prompt_hash}"]
    lines.append(f"candidate {cmp.candidate}: model {candidate.model_id} · prompts {candidate.prompt_hash}")
    if cmp.prompt_hash_changed:
        lines.append("note: the prompt set changed")
    if cmp.model_changed:
        lines.append("note: the model changed")
    header = f"{'metric':<22} {'base':>6} {'cand':>6} {'delta':>7} {'95% CI':>17} {'tol':>5} {'fell':>5}  verdict"
    lines += ["", header]
    for m in cmp.metrics:
        ci = f"[{m.ci_low:+.3f}, {m.ci_high:+.3f}]" if m.ci_low is not None else "-"
        verdict = "REGRESSED" if m.regressed else "ok"
        if not m.regressed and -direction(m.metric) * m.delta > m.tolerance:
            verdict = f"ok: only {m.cases_fallen} case fell beyond tolerance"
        fell = f"{m.cases_fallen}/{m.cases}"
        numbers = f"{m.base:>6.3f} {m.candidate:>6.3f} {m.delta:>+7.3f} {ci:>17} {m.tolerance:>5.2f} {fell:>5}"
        lines.append(f"{m.metric:<22} {numbers}  {verdict}")
    if cmp.worst_cases:
        lines += ["", "cases that moved most (worst metric, drop):"]
        lines += [f"  {c.case_id:<14} {c.worst_metric:<22} -{c.drop:.3f}" for c in cmp.worst_cases]
    if cmp.newly_failed:
        lines += ["", "cases that failed in the candidate: " + ", ".join(cmp.newly_failed)]
    return "\n".join(lines) + "\n"
