"""Every report metric as a deepeval `BaseMetric`, so `deepeval test run` and `assert_test` work.

A test case carries the report as deepeval expects (`input` = the question, `actual_output` = the
rendered Markdown) and everything else a metric needs in `metadata["vantage"]`: the Report JSON,
the cited documents' passages, the golden case and the verifier name (`report_test_case` builds
it). No metric calls a model unless the chosen verifier does; the default verifier is lexical.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from deepeval.errors import MissingTestCaseParamsError
from deepeval.metrics import BaseMetric
from deepeval.test_case import LLMTestCase
from pydantic import BaseModel, Field
from vantage.evals.datasets import GoldenCase
from vantage.evals.scorecard import run_metric
from vantage.evals.verifiers import EvidenceText, Verifier, make_verifier
from vantage.graph.report import Report, render_markdown

from . import LOWER_IS_BETTER, NEEDS_GOLDEN, needed_input
from .base import MetricResult
from .reading import doc_of

METADATA_KEY = "vantage"


class PassageText(BaseModel):
    id: str
    doc_id: str
    text: str


class ReportCase(BaseModel):
    """What a test case carries for the metrics, JSON-serialisable as deepeval stores it."""

    report: Report
    passages: list[PassageText] = Field(default_factory=list)
    golden: GoldenCase | None = None
    verifier: str = "lexical"


def report_test_case(
    report: Report,
    passages: Mapping[str, EvidenceText],
    golden: GoldenCase | None = None,
    verifier: str = "lexical",
    name: str | None = None,
) -> LLMTestCase:
    """A deepeval test case for one report; only passages of the documents it cites travel with it."""
    cited = {s.doc_id for s in report.sources}
    case = ReportCase(
        report=report,
        passages=[
            PassageText(id=p.id, doc_id=doc_of(p), text=p.text) for p in passages.values() if doc_of(p) in cited
        ],
        golden=golden,
        verifier=verifier,
    )
    return LLMTestCase(
        input=report.question,
        actual_output=render_markdown(report),
        metadata={METADATA_KEY: case.model_dump(mode="json")},
        name=name or (golden.id if golden else None),
    )


def _case(test_case: LLMTestCase) -> ReportCase:
    data = (test_case.metadata or {}).get(METADATA_KEY)
    if data is None:
        raise MissingTestCaseParamsError(
            f"test case has no metadata[{METADATA_KEY!r}]; build it with report_test_case"
        )
    return ReportCase.model_validate(data)


class ReportMetric(BaseMetric):
    """Base for the report metrics: subclasses name the metric and its default threshold.
    For the two lower-is-better rates the threshold is a ceiling, for the rest a floor."""

    metric: ClassVar[str]
    default_threshold: ClassVar[float]

    def __init__(self, threshold: float | None = None, verifier: Verifier | None = None) -> None:
        self.threshold = self.default_threshold if threshold is None else threshold
        self.verifier = verifier
        self.higher_is_better = self.metric not in LOWER_IS_BETTER
        self.include_reason = True
        self.async_mode = True
        self.verbose_mode = False
        self.result: MetricResult | None = None

    def measure(self, test_case: LLMTestCase, *args: Any, **kwargs: Any) -> float:
        case = _case(test_case)
        passages = {p.id: p for p in case.passages}
        verifier = self.verifier or make_verifier(case.verifier)
        result = run_metric(self.metric, case.report, passages, case.golden, verifier, test_case.actual_output)
        if result is None:
            raise MissingTestCaseParamsError(
                f"{self.metric} needs {needed_input(self.metric)} in metadata[{METADATA_KEY!r}]"
            )
        self.result = result
        self.score, self.reason = result.score, result.reason
        self.score_breakdown = {"details": result.details}
        self.error = None
        self.success = self.is_successful()
        return self.score

    async def a_measure(self, test_case: LLMTestCase, *args: Any, **kwargs: Any) -> float:
        # Scoring is CPU-bound and takes milliseconds with the lexical verifier: no need to yield.
        return self.measure(test_case, *args, **kwargs)

    def is_successful(self) -> bool:
        if self.error is not None or self.score is None:
            self.success = False
        else:
            self.success = self.score >= self.threshold if self.higher_is_better else self.score <= self.threshold
        return self.success

    @property
    def __name__(self) -> str:  # deepeval reads the metric's display name from here
        return self.metric


class StructureMetric(ReportMetric):
    metric, default_threshold = "structure", 0.9


class CitationRecallMetric(ReportMetric):
    metric, default_threshold = "citation_recall", 0.8


class CitationPrecisionMetric(ReportMetric):
    metric, default_threshold = "citation_precision", 0.8


class QuoteFidelityMetric(ReportMetric):
    metric, default_threshold = "quote_fidelity", 1.0


class DraftFaithfulnessMetric(ReportMetric):
    metric, default_threshold = "draft_faithfulness", 0.5


class AnalysisCoverageMetric(ReportMetric):
    metric, default_threshold = "analysis_coverage", 0.5


class StakeholderCoverageMetric(ReportMetric):
    metric, default_threshold = "stakeholder_coverage", 0.8


class EvennessMetric(ReportMetric):
    metric, default_threshold = "evenness", 0.6


class PositionSymmetryMetric(ReportMetric):
    metric, default_threshold = "position_symmetry", 0.8


class LoadedLanguageMetric(ReportMetric):
    metric, default_threshold = "loaded_language_rate", 0.05


class KeyFactRecallMetric(ReportMetric):
    metric, default_threshold = "key_fact_recall", 0.3


class FalseClaimMetric(ReportMetric):
    metric, default_threshold = "false_claim_rate", 0.0


METRIC_CLASSES: tuple[type[ReportMetric], ...] = (
    StructureMetric,
    CitationRecallMetric,
    CitationPrecisionMetric,
    QuoteFidelityMetric,
    DraftFaithfulnessMetric,
    AnalysisCoverageMetric,
    StakeholderCoverageMetric,
    EvennessMetric,
    PositionSymmetryMetric,
    LoadedLanguageMetric,
    KeyFactRecallMetric,
    FalseClaimMetric,
)


def report_metrics(verifier: Verifier | None = None, golden: bool = True) -> list[ReportMetric]:
    """One instance of every metric (those needing a golden case only when `golden`)."""
    return [cls(verifier=verifier) for cls in METRIC_CLASSES if golden or cls.metric not in NEEDS_GOLDEN]
