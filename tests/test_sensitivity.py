"""The gate probe: prompt edits applied to a copy of the prompt set, scored against the baseline."""

from __future__ import annotations

from pathlib import Path

import pytest
from results_fixtures import shared_fall_hidden_by_a_flip
from vantage.evals.compare import compare
from vantage.evals.golden_run import load_results
from vantage.evals.sensitivity import (
    ProbeResult,
    PromptEdit,
    Sensitivity,
    format_sensitivity,
    load_edits,
    run_probes,
    write_variant,
)
from vantage.graph import promptset
from vantage.tools.errors import InputError

BASELINE = Path(__file__).parents[1] / "evals" / "baselines" / "smoke-local.json"


def test_every_committed_edit_applies_to_the_prompts_as_they_stand() -> None:
    """An edit whose text no longer occurs in its prompt would probe nothing: keep the file in step."""
    edits = load_edits()
    assert {e.kind for e in edits} == {"neutral", "regression"}
    for edit in edits:
        assert edit.find in (promptset.PROMPT_DIR / f"{edit.prompt}.md").read_text(encoding="utf-8"), edit.name


def test_a_variant_changes_one_prompt_in_a_copy_and_leaves_the_package_alone(tmp_path: Path) -> None:
    before = {p.name: p.read_text(encoding="utf-8") for p in promptset.PROMPT_DIR.glob("*.md")}
    edit = PromptEdit(name="x", kind="regression", prompt="system", find="Be brief", replace="Be verbose")
    write_variant(edit, tmp_path)
    after = {p.name: p.read_text(encoding="utf-8") for p in promptset.PROMPT_DIR.glob("*.md")}
    assert after == before
    assert "Be verbose" in (tmp_path / "system.md").read_text(encoding="utf-8")
    assert (tmp_path / "synthesis.md").read_text(encoding="utf-8") == before["synthesis.md"]
    with pytest.raises(InputError, match=r"not found in system\.md"):
        write_variant(edit.model_copy(update={"find": "no such text"}), tmp_path / "other")


def test_runs_read_the_prompt_folder_vantage_prompts_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_variant(PromptEdit(name="x", kind="neutral", prompt="plan", find="Give:", replace="Provide:"), tmp_path)
    package_hash = promptset.prompt_set_hash()
    monkeypatch.setenv(promptset.PROMPTS_ENV, str(tmp_path))
    assert promptset.prompt_set_hash() != package_hash
    assert promptset.load_prompts()["plan"].count("Provide:") == 1
    (tmp_path / "verify.md").unlink()
    promptset._load.cache_clear()
    with pytest.raises(InputError, match=r"VANTAGE_PROMPTS=.*missing prompt files verify\.md"):
        promptset.load_prompts()
    promptset._load.cache_clear()


def test_malformed_edits_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "edits.yaml"
    bad.write_text("- name: Bad Name\n  kind: neutral\n  prompt: plan\n  find: x\n  replace: y\n")
    with pytest.raises(InputError, match=r"edits\.yaml: edit 1: name: String should match"):
        load_edits(bad)


def _fake_gate(lowered: dict[str, float]):
    """A gate run that copies the baseline and lowers the named metrics when the variant it is given
    carries the marker PLANTED: a regression the probe must see, and a neutral edit it must not."""

    def run(golden: Path, prompts: Path, home: Path, out: Path) -> str | None:
        results = load_results(BASELINE)
        if "PLANTED" in (prompts / "system.md").read_text(encoding="utf-8"):
            for case in results.cases:
                for metric, by in lowered.items():
                    case.scores[metric] = max(0.0, case.scores[metric] - by)
        out.mkdir(parents=True)
        (out / "results.json").write_text(results.model_dump_json(), encoding="utf-8")
        return None

    return run


def test_probe_fails_a_regression_by_name_and_passes_a_neutral_edit(tmp_path: Path) -> None:
    edits = tmp_path / "edits.yaml"
    edits.write_text(
        "- {name: reworded, kind: neutral, prompt: system, find: Be brief, replace: Be concise}\n"
        "- {name: french, kind: regression, prompt: system, find: Be brief,\n"
        "   replace: 'PLANTED. Be brief'}\n"
    )
    result = run_probes(
        Path("smoke.yaml"), BASELINE, tmp_path, tmp_path / "out", edits_file=edits,
        run=_fake_gate({"analysis_coverage": 0.3}),
    )  # fmt: skip
    by_name = {r.edit.name: r for r in result.results}
    assert not by_name["reworded"].gate_failed
    assert by_name["french"].comparison is not None
    assert [m.metric for m in by_name["french"].comparison.regressions] == ["analysis_coverage"]
    assert result.false_alarms() == [] and result.missed() == []
    table = (tmp_path / "out" / "probe.md").read_text(encoding="utf-8")
    assert "| french | regression | fails: analysis_coverage |" in table


def test_noise_is_the_largest_fall_under_a_neutral_edit_and_flags_a_tolerance_below_it(tmp_path: Path) -> None:
    edits = tmp_path / "edits.yaml"
    edits.write_text(
        "- {name: reworded, kind: neutral, prompt: system, find: Be brief, replace: 'PLANTED. Be brief'}\n"
    )
    result = run_probes(
        Path("smoke.yaml"), BASELINE, tmp_path, tmp_path / "out", edits_file=edits,
        run=_fake_gate({"structure": 0.5}),
    )  # fmt: skip
    assert result.noise()["structure"] == pytest.approx(0.5, abs=0.01)
    assert result.false_alarms() == ["reworded"]
    assert "| structure | 0.500 |" in format_sensitivity(
        Sensitivity(results=result.results, tolerances={"default": 0.1})
    )


def test_an_unknown_edit_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no edit named nope"):
        run_probes(Path("smoke.yaml"), BASELINE, tmp_path, tmp_path / "out", only=["nope"])


def test_the_table_names_the_metric_the_gate_failed_on_before_a_larger_one_case_fall() -> None:
    """French on the smoke set: draft_faithfulness fell in two cases (the mean hardly moved) while
    position_symmetry's mean fell further through one case. The row must show why the gate failed."""
    base, candidate = shared_fall_hidden_by_a_flip()
    candidate.cases[0].scores["position_symmetry"] -= 0.4
    edit = PromptEdit(name="french", kind="regression", prompt="system", find="x", replace="y")
    result = ProbeResult(edit=edit, seconds=1.0, comparison=compare(base, candidate))
    row = format_sensitivity(Sensitivity(results=[result])).splitlines()[2]
    assert row.startswith("| french | regression | fails: draft_faithfulness |")
    assert "(draft_faithfulness, 2/3)" in row
