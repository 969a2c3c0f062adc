"""How sensitive is the regression gate? Plant prompt edits and see which metrics move.

    vantage eval probe                          # every edit in evals/prompt_edits.yaml (make probe)
    vantage eval probe --only system-french     # one edit

Each edit is applied to a copy of the prompt set (VANTAGE_PROMPTS points the run at it; the package's
prompts are never touched). The golden set then runs exactly as `make gate` runs it, in the gate's own
LLM cache, so only the calls whose prompt text the edit changed are generated, and the result is
compared with the committed baseline. Neutral edits (the same instruction in other words) measure the
noise any prompt edit brings by itself: a tolerance below it would fail harmless edits. Regressions
(deliberately bad edits) should fail the gate, naming the metric they hurt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError
from vantage.graph.promptset import PROMPT_DIR, PROMPTS_ENV
from vantage.tools.errors import InputError

from .compare import Comparison, compare
from .golden_run import direction, load_results

EDITS_FILE = Path(__file__).with_name("prompt_edits.yaml")
# The gate's run: cases and LLM calls one at a time (Makefile GATE_FLAGS), so replies are deterministic.
GATE_ARGS = ("--concurrency", "1", "--budget", "max_concurrency=1")


class PromptEdit(BaseModel):
    name: str = Field(pattern=r"^[a-z0-9-]+$")
    kind: Literal["neutral", "regression"]
    prompt: str  # file stem under graph/prompts
    find: str = Field(min_length=1)
    replace: str


class ProbeResult(BaseModel):
    edit: PromptEdit
    seconds: float
    comparison: Comparison | None = None
    error: str | None = None

    @property
    def gate_failed(self) -> bool:
        return self.comparison is not None and self.comparison.failed

    def falls(self) -> dict[str, float]:
        """Each metric's move in the bad direction (positive = worse)."""
        if self.comparison is None:
            return {}
        return {m.metric: -direction(m.metric) * m.delta for m in self.comparison.metrics}


class Sensitivity(BaseModel):
    results: list[ProbeResult]

    def noise(self) -> dict[str, float]:
        """The largest fall each metric's mean took under a neutral edit."""
        out: dict[str, float] = {}
        for r in self.results:
            if r.edit.kind == "neutral":
                for metric, fall in r.falls().items():
                    out[metric] = max(out.get(metric, 0.0), fall)
        return out

    def noise_cases(self) -> dict[str, int]:
        """The most cases a neutral edit made fall by more than the tolerance. The gate counts a fall
        as a regression only when at least two cases share it, so this should stay below two."""
        out: dict[str, int] = {}
        for r in self.results:
            if r.edit.kind == "neutral" and r.comparison is not None:
                for m in r.comparison.metrics:
                    out[m.metric] = max(out.get(m.metric, 0), m.cases_fallen)
        return out

    def tolerances(self) -> dict[str, float]:
        """The tolerance each comparison applied to each metric."""
        return {m.metric: m.tolerance for r in self.results if r.comparison for m in r.comparison.metrics}

    def false_alarms(self) -> list[str]:
        return [r.edit.name for r in self.results if r.edit.kind == "neutral" and r.gate_failed]

    def missed(self) -> list[str]:
        return [r.edit.name for r in self.results if r.edit.kind == "regression" and not r.gate_failed]


def load_edits(path: Path = EDITS_FILE) -> list[PromptEdit]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: {str(exc).splitlines()[0]}") from exc
    if not isinstance(raw, list):
        raise InputError(f"{path}: expected a list of edits")
    edits = []
    for i, item in enumerate(raw, 1):
        try:
            edits.append(PromptEdit.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InputError(f"{path}: edit {i}: {'.'.join(map(str, first['loc']))}: {first['msg']}") from exc
    names = [e.name for e in edits]
    if len(set(names)) != len(names):
        raise InputError(f"{path}: edit names repeat")
    return edits


def write_variant(edit: PromptEdit, folder: Path, source: Path = PROMPT_DIR) -> None:
    """The prompt set with `edit` applied, written to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for file in source.glob("*.md"):
        shutil.copy(file, folder / file.name)
    target = folder / f"{edit.prompt}.md"
    if not target.is_file():
        raise InputError(f"edit {edit.name}: no prompt {edit.prompt!r} in {source}")
    text = target.read_text(encoding="utf-8")
    if edit.find not in text:
        raise InputError(f"edit {edit.name}: {edit.find!r} not found in {edit.prompt}.md")
    target.write_text(text.replace(edit.find, edit.replace, 1), encoding="utf-8")


def gate_eval(golden: Path, prompts: Path, home: Path, out: Path) -> str | None:
    """Run `vantage eval` on `golden` as the gate does, with the prompts in `prompts`; an error line
    or None."""
    env = {**os.environ, PROMPTS_ENV: str(prompts), "VANTAGE_HOME": str(home)}
    vantage = Path(sys.executable).with_name("vantage")
    cmd = [str(vantage), "eval", "--golden", str(golden), *GATE_ARGS, "--out", str(out)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return None
    return f"eval exited {done.returncode}: {(done.stderr.strip().splitlines() or ['no output'])[-1]}"


Runner = Callable[[Path, Path, Path, Path], str | None]


def probe(
    edit: PromptEdit, golden: Path, baseline: Path, home: Path, out: Path, run: Runner = gate_eval
) -> ProbeResult:
    """Run the golden set with `edit` applied, as the gate runs it, and compare with the baseline."""
    started = time.monotonic()
    run_dir = out / edit.name
    shutil.rmtree(run_dir, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"vantage-probe-{edit.name}-") as tmp:
        write_variant(edit, Path(tmp))
        error = run(golden, Path(tmp), home, run_dir)
    seconds = round(time.monotonic() - started, 1)
    if error:
        return ProbeResult(edit=edit, seconds=seconds, error=error)
    comparison = compare(load_results(baseline), load_results(run_dir), None, str(baseline), edit.name)
    return ProbeResult(edit=edit, seconds=seconds, comparison=comparison)


def _gate(r: ProbeResult) -> str:
    if r.error or r.comparison is None:
        return f"error: {r.error}"
    return "fails: " + ", ".join(m.metric for m in r.comparison.regressions) if r.gate_failed else "passes"


def _worst(r: ProbeResult) -> str:
    if r.comparison is None:
        return "-"
    falls = r.falls()
    # A metric the gate failed on comes first, even when its mean fell less than another's.
    worst = max(r.comparison.metrics, key=lambda m: (m.regressed, falls[m.metric]), default=None)
    if worst is None or (falls[worst.metric] <= 0 and not worst.regressed):
        return "none"
    return f"{falls[worst.metric]:+.3f} ({worst.metric}, {worst.cases_fallen}/{worst.cases})"


def format_sensitivity(s: Sensitivity) -> str:
    noise, tolerances = s.noise(), s.tolerances()
    lines = ["| edit | kind | gate | worst fall (metric, cases fallen) | time |"]
    lines.append("| --- | --- | --- | --- | ---: |")
    for r in s.results:
        lines.append(f"| {r.edit.name} | {r.edit.kind} | {_gate(r)} | {_worst(r)} | {r.seconds:.0f} s |")
    cases = s.noise_cases()
    lines += ["", "| metric | largest fall of the mean under a neutral edit | most cases fallen | tolerance |"]
    lines.append("| --- | ---: | ---: | ---: |")
    for metric, tol in tolerances.items():
        fall, fallen = noise.get(metric, 0.0), cases.get(metric, 0)
        lines.append(f"| {metric} | {fall:.3f} | {fallen} | {tol:.2f} |")
    lines.append("")
    lines.append(f"false alarms (neutral edits the gate fails): {', '.join(s.false_alarms()) or 'none'}")
    lines.append(
        "regressions the gate passes (their reports did not get worse in more than one case): "
        + (", ".join(s.missed()) or "none")
    )
    return "\n".join(lines) + "\n"


def run_probes(
    golden: Path,
    baseline: Path,
    home: Path,
    out: Path,
    only: list[str] | None = None,
    edits_file: Path = EDITS_FILE,
    run: Runner = gate_eval,
) -> Sensitivity:
    edits = load_edits(edits_file)
    if only:
        unknown = sorted(set(only) - {e.name for e in edits})
        if unknown:
            raise InputError(f"no edit named {', '.join(unknown)} in {edits_file}")
        edits = [e for e in edits if e.name in only]
    results = []
    for i, edit in enumerate(edits, 1):
        result = probe(edit, golden, baseline, home, out, run)
        verdict = result.error or ("gate fails" if result.gate_failed else "gate passes")
        print(
            f"  [{i}/{len(edits)}] {edit.kind:<10} {edit.name:<28} {result.seconds:6.0f}s  {verdict}",
            file=sys.stderr,
        )
        results.append(result)
    sensitivity = Sensitivity(results=results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "probe.json").write_text(sensitivity.model_dump_json(indent=2), encoding="utf-8")
    (out / "probe.md").write_text(format_sensitivity(sensitivity), encoding="utf-8")
    return sensitivity
