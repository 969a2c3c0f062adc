"""The report metrics as deepeval metrics: `assert_test` passes on a good report, a planted defect
fails its metric; runs offline under `deepeval test run tests/evals` (tests/conftest.py guards sockets)."""

from __future__ import annotations

import asyncio

import pytest
from deepeval import assert_test
from deepeval.errors import MissingTestCaseParamsError
from deepeval.test_case import LLMTestCase
from report_fixtures import defective_report, golden_case, good_report, passages
from vantage.evals.metrics import METRIC_NAMES
from vantage.evals.metrics.deepeval_metrics import (
    FalseClaimMetric,
    KeyFactRecallMetric,
    QuoteFidelityMetric,
    StructureMetric,
    report_metrics,
    report_test_case,
)
from vantage.evals.scorecard import score_report
from vantage.evals.verifiers import make_verifier


def test_good_report_passes_every_metric() -> None:
    metrics = report_metrics()
    assert sorted(m.__name__ for m in metrics) == sorted(METRIC_NAMES)
    assert_test(report_test_case(good_report(), passages(), golden_case()), metrics, run_async=False)


def test_good_report_passes_async() -> None:
    assert_test(report_test_case(good_report(), passages(), golden_case()), report_metrics(), run_async=True)


def test_fabricated_quote_fails_its_metric() -> None:
    # measure(), not assert_test: a deliberate failure would show in `deepeval test run`'s pass rate.
    metric = QuoteFidelityMetric()
    metric.measure(report_test_case(defective_report("fabricated_quote"), passages(), golden_case()))
    assert metric.is_successful() is False
    assert metric.reason == "1/2 quotations verbatim in their cited source"


def test_scores_match_the_plain_functions() -> None:
    report = defective_report("changed_number")
    card = score_report(report, passages(), golden_case(), make_verifier())
    case = report_test_case(report, passages(), golden_case())
    for metric in report_metrics():
        assert metric.measure(case) == card.scores()[metric.__name__], metric.__name__


def test_lower_is_better_metric_fails_above_its_ceiling() -> None:
    metric = FalseClaimMetric()
    case = report_test_case(defective_report("false_claim_inserted"), passages(), golden_case())
    assert asyncio.run(metric.a_measure(case)) == 0.25
    assert metric.is_successful() is False
    assert "1/4" in metric.reason


def test_test_case_survives_json() -> None:
    case = report_test_case(good_report(), passages(), golden_case())
    # Only the cited documents' passages travel with the case.
    carried = {p["doc_id"] for p in case.metadata["vantage"]["passages"]}
    assert carried == {s.doc_id for s in good_report().sources}
    copy = LLMTestCase.model_validate_json(case.model_dump_json())
    assert StructureMetric().measure(copy) == StructureMetric().measure(case) == 1.0


def test_golden_metrics_need_a_golden_case() -> None:
    case = report_test_case(good_report(), passages(), golden=None)
    with pytest.raises(MissingTestCaseParamsError, match="golden"):
        KeyFactRecallMetric().measure(case)
    assert len(report_metrics(golden=False)) == len(METRIC_NAMES) - 3


def test_case_without_report_metadata_is_refused() -> None:
    with pytest.raises(MissingTestCaseParamsError, match="report_test_case"):
        StructureMetric().measure(LLMTestCase(input="q", actual_output="a"))
