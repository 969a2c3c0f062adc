"""Report metrics: a good report built from the Istanbul corpus scores well, and each planted
defect moves the metrics meant to catch it while the others hold still."""

from __future__ import annotations

import time
from functools import cache

import pytest
from pydantic import ValidationError
from report_fixtures import DEFECTS, defective_report, golden_case, good_report, passages
from vantage.evals.metrics import (
    METRIC_NAMES,
    MetricResult,
    citation_precision,
    citation_recall,
    evenness,
    loaded_language_rate,
    quote_fidelity,
    structure,
)
from vantage.evals.metrics.golden import clauses
from vantage.evals.scorecard import ScoreCard, format_table, run_metric, score_report
from vantage.evals.verifiers import EvidenceText, Verdict, make_verifier
from vantage.graph.report import Point, Report, render_markdown
from vantage.tools.errors import InputError

# For each planted defect, the metrics that must get worse; every other metric must hold still.
WORSENS: dict[str, set[str]] = {
    "dropped_section": {"structure"},
    "unrelated_citation": {"citation_recall", "citation_precision"},
    "extra_citation": {"citation_precision"},
    "uncited_fact": {"citation_recall"},
    "changed_number": {"citation_recall", "citation_precision", "key_fact_recall"},
    "fabricated_quote": {"quote_fidelity"},
    "stakeholder_removed": {"stakeholder_coverage", "evenness", "position_symmetry"},
    "position_deleted": {"position_symmetry"},
    "false_claim_inserted": {"false_claim_rate", "citation_recall", "citation_precision"},
    "uncited_draft": {"draft_faithfulness"},
    "analysis_not_assessed": {"analysis_coverage"},
    "loaded_language": {"loaded_language_rate"},
}
# "Holds still": evenness shifts by under a point when one sentence naming an actor comes or goes.
STEADY = 0.01


@cache
def card(defect: str | None = None) -> ScoreCard:
    report = good_report() if defect is None else defective_report(defect)
    return score_report(report, passages(), golden_case(), make_verifier())


def test_every_defect_and_every_metric_is_in_the_matrix() -> None:
    assert set(WORSENS) == set(DEFECTS)
    assert set().union(*WORSENS.values()) == set(METRIC_NAMES)


def test_good_report_is_faithful_balanced_and_complete() -> None:
    scores = card().scores()
    # Every factual sentence is supported by what it cites: the fixture is grounded in the corpus.
    assert scores["citation_recall"] == scores["citation_precision"] == 1.0, card().get("citation_recall")
    for name in (
        "structure",
        "quote_fidelity",
        "draft_faithfulness",
        "analysis_coverage",
        "stakeholder_coverage",
        "position_symmetry",
    ):
        assert scores[name] == 1.0, card().get(name)
    assert scores["loaded_language_rate"] == scores["false_claim_rate"] == 0.0
    assert 0.5 < scores["evenness"] < 1.0
    assert scores["key_fact_recall"] > 0.3


@pytest.mark.parametrize(
    ("defect", "metric"),
    [(d, m) for d in WORSENS for m in METRIC_NAMES],
    ids=[f"{d}-{m}-{'worse' if m in WORSENS[d] else 'steady'}" for d in WORSENS for m in METRIC_NAMES],
)
def test_sensitivity(defect: str, metric: str) -> None:
    before, after = card().get(metric), card(defect).get(metric)
    assert before is not None and after is not None
    delta = after.score - before.score
    if metric in WORSENS[defect]:
        worse = delta < 0 if before.higher_is_better else delta > 0
        assert worse, f"{metric} missed {defect}: {before.score} -> {after.score} ({after.reason})"
    else:
        assert abs(delta) <= STEADY, (
            f"{metric} moved on {defect}: {before.score} -> {after.score} ({after.reason})"
        )


def _failed(result: MetricResult) -> list[str]:
    return [row["check"] for row in result.details if not row["passed"]]


def _swap_sections(markdown: str, first: str, second: str) -> str:
    """Move the `second` section (heading and body) to just before the `first`."""
    start = markdown.index(f"## {second}")
    end = markdown.index("## ", start + 3)
    block = markdown[start:end]
    without = markdown[:start] + markdown[end:]
    at = without.index(f"## {first}")
    return without[:at] + block + without[at:]


def test_structure_reads_section_order_from_the_markdown() -> None:
    report = good_report()
    swapped = _swap_sections(render_markdown(report), "What we know", "The key obstacles")
    result = structure(report, swapped)
    assert _failed(result) == ["sections in order"]
    assert result.score < structure(report).score == 1.0


def test_structure_of_a_report_json_with_an_emptied_section() -> None:
    data = good_report().model_dump(mode="json")
    data["obstacles"] = []
    result = structure(Report.model_validate_json(Report.model_validate(data).model_dump_json()))
    assert _failed(result) == ["content: The key obstacles"]


def test_structure_flags_placeholder_bottom_line_unattributed_quote_and_dangling_citation() -> None:
    from vantage.graph.assemble import NOT_ASSESSED

    report = good_report()
    report.bottom_line = [Point(text=NOT_ASSESSED, kind="judgement")]
    report.quotations[1].attribution = " "
    report.context[0].citations = [99]
    assert _failed(structure(report)) == [
        "bottom line assessed",
        "quotation 2 attributed",
        "citations resolve to Sources",
    ]


def test_precision_keeps_each_citation_the_joint_support_needs() -> None:
    result = citation_precision(good_report(), passages(), make_verifier())
    rows = [r for r in result.details if "1,200 prisoners of war" in r["text"]]
    assert len(rows) == 2  # two documents, three passages
    assert all(r["relevant"] and r["reason"] == "needed for joint support" for r in rows)


def test_recall_counts_an_uncited_fact_as_unsupported() -> None:
    result = citation_recall(defective_report("uncited_fact"), passages(), make_verifier())
    unsupported = [r for r in result.details if not r["supported"]]
    assert [r["reason"] for r in unsupported] == ["no citation"]


def test_quote_fidelity_normalises_whitespace_and_quote_marks_only() -> None:
    report = good_report()
    report.quotations[1].text = "Look,  nothing’s going to happen\nuntil Putin and I get together."
    assert quote_fidelity(report, passages()).score == 1.0
    report.quotations[1].text = "Look, nothing is going to happen until Putin and I get together."
    assert quote_fidelity(report, passages()).score == 0.5
    report.quotations[0].citation = 99
    assert quote_fidelity(report, passages()).details[0]["reason"] == "citation [99] is not in Sources"


def test_loaded_language_skips_quoted_words_and_matches_plurals() -> None:
    report = good_report()
    report.bottom_line = [
        Point(text='Moscow calls the government in Kyiv a "neo-Nazi regime".', kind="judgement"),
        Point(text="Both capitals accuse the other of arming puppets.", kind="judgement"),
    ]
    result = loaded_language_rate(report)
    assert [row["terms"] for row in result.details] == [["puppets"]]
    assert result.higher_is_better is False


def test_evenness_is_zero_when_one_stakeholder_gets_all_attention_and_one_when_even() -> None:
    report = good_report()
    one_sided = golden_case().model_copy(update={"stakeholders": ["Russia", "Japan", "China"]})
    assert evenness(report, one_sided).score == 0.0
    report.bottom_line.append(Point(text="Japan and China are watching closely.", kind="judgement"))
    even = golden_case().model_copy(update={"stakeholders": ["Japan", "China"]})
    assert evenness(report, even).score == 1.0


def test_without_a_golden_case_golden_metrics_are_skipped() -> None:
    result = score_report(good_report(), passages(), None, make_verifier())
    assert result.skipped == ["stakeholder_coverage", "key_fact_recall", "false_claim_rate"]
    assert "the report's own" in result.get("evenness").reason
    table = format_table(result)
    assert all(name in table for name in METRIC_NAMES)
    assert table.count("n/a") == 3


def test_without_a_run_record_draft_faithfulness_is_skipped() -> None:
    report = good_report()
    report.run = None  # a report stored without its run, or written by hand
    result = score_report(report, passages(), golden_case(), make_verifier())
    assert result.skipped == ["draft_faithfulness"]
    assert "needs the report's run record" in format_table(result)


def test_draft_faithfulness_counts_only_facts_supported_as_the_model_cited_them() -> None:
    report = good_report()
    assert report.run is not None
    checks = report.run.draft_checks
    checks[0].outcome, checks[1].outcome, checks[2].outcome = "dropped", "demoted", "repeat"
    result = run_metric("draft_faithfulness", report, passages(), None, make_verifier())
    assert result is not None
    assert result.score == round((len(checks) - 3) / (len(checks) - 1), 4)  # a repeat is not a fact
    assert "1 demoted, 1 dropped" in result.reason


def test_key_fact_clauses() -> None:
    july = golden_case().key_facts[2].fact
    assert len(clauses(july)) == 3
    assert clauses("The Kremlin later said Putin would meet Zelensky only in Moscow.") == [
        "The Kremlin later said Putin would meet Zelensky only in Moscow"
    ]


def test_scorecard_round_trips_through_json() -> None:
    assert ScoreCard.model_validate_json(card("changed_number").model_dump_json()) == card("changed_number")


def test_metric_result_bounds_and_one_line_reason() -> None:
    with pytest.raises(ValidationError):
        MetricResult(name="x", score=1.5, reason="r")
    assert MetricResult(name="x", score=0.5, reason="two\nlines").reason == "two lines"
    with pytest.raises(InputError, match="unknown metric"):
        run_metric("fluency", good_report(), passages(), None, make_verifier())


class CountingVerifier:
    name = "counting"

    def __init__(self) -> None:
        self.inner, self.calls = make_verifier(), 0

    def verify(self, claim: str, evidence: list[EvidenceText]) -> Verdict:
        self.calls += 1
        return self.inner.verify(claim, evidence)


def test_scoring_shares_verdicts_between_recall_and_precision() -> None:
    separate = CountingVerifier()
    citation_recall(good_report(), passages(), separate)
    citation_precision(good_report(), passages(), separate)
    shared = CountingVerifier()
    score_report(good_report(), passages(), None, shared)
    assert shared.calls < separate.calls


def test_scoring_is_fast_and_deterministic() -> None:
    reports = [good_report(), *(defective_report(d) for d in DEFECTS)]
    verifier = make_verifier()
    start = time.perf_counter()
    cards = [score_report(r, passages(), golden_case(), verifier) for r in reports]
    per_report = (time.perf_counter() - start) / len(reports)
    # The eval benchmark needs 100 reports in under 10 s; allow headroom for a busy machine.
    assert per_report < 0.2
    assert cards[0] == score_report(reports[0], passages(), golden_case(), verifier)
