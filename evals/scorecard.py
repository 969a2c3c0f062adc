"""Score one report on every metric: `score_report(...) -> ScoreCard`, and a plain-text table.

Pure and deterministic for a deterministic verifier; verdicts are memoised within one report, so
citation recall and precision share their joint-support checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from pydantic import BaseModel, Field
from vantage.evals.datasets import GoldenCase
from vantage.evals.verifiers import EvidenceText, Verdict, Verifier
from vantage.graph.report import Report
from vantage.tools.errors import InputError
from vantage.tools.search import Passage, local_search

from .metrics import (
    METRIC_NAMES,
    MetricResult,
    analysis_coverage,
    citation_precision,
    citation_recall,
    draft_faithfulness,
    evenness,
    false_claim_rate,
    key_fact_recall,
    loaded_language_rate,
    needed_input,
    position_symmetry,
    quote_fidelity,
    stakeholder_coverage,
    structure,
)


class ScoreCard(BaseModel):
    question: str
    verifier: str
    golden_case: str | None = None
    results: list[MetricResult]
    skipped: list[str] = Field(
        default_factory=list, description="metrics that need a golden case or the report's run record"
    )

    def get(self, name: str) -> MetricResult | None:
        return next((r for r in self.results if r.name == name), None)

    def scores(self) -> dict[str, float]:
        return {r.name: r.score for r in self.results}


class MemoVerifier:
    """Remembers verdicts by (claim, passage ids) for the span of one scoring."""

    def __init__(self, inner: Verifier) -> None:
        self.inner = inner
        self.name = inner.name
        self._seen: dict[tuple[str, tuple[str, ...]], Verdict] = {}

    def verify(self, claim: str, passages: list[EvidenceText]) -> Verdict:
        key = (claim, tuple(p.id for p in passages))
        if key not in self._seen:
            self._seen[key] = self.inner.verify(claim, passages)
        return self._seen[key]


def corpus_passages(corpus: str | Path | None = None) -> dict[str, Passage]:
    """Every passage of a corpus (default datasets/corpus) by id, as the graph's search cut them."""
    return {p.id: p for p in local_search(corpus).index.passages}


def run_metric(
    name: str,
    report: Report,
    passages_by_id: Mapping[str, EvidenceText],
    golden: GoldenCase | None,
    verifier: Verifier,
    markdown: str | None = None,
) -> MetricResult | None:
    """One metric by name; None when it needs a golden case (or a run record) and there is none."""
    runs: dict[str, Callable[[], MetricResult | None]] = {
        "structure": lambda: structure(report, markdown),
        "citation_recall": lambda: citation_recall(report, passages_by_id, verifier),
        "citation_precision": lambda: citation_precision(report, passages_by_id, verifier),
        "quote_fidelity": lambda: quote_fidelity(report, passages_by_id),
        "draft_faithfulness": lambda: draft_faithfulness(report),
        "analysis_coverage": lambda: analysis_coverage(report),
        "stakeholder_coverage": lambda: stakeholder_coverage(report, golden),
        "evenness": lambda: evenness(report, golden),
        "position_symmetry": lambda: position_symmetry(report, golden),
        "loaded_language_rate": lambda: loaded_language_rate(report),
        "key_fact_recall": lambda: key_fact_recall(report, golden, verifier),
        "false_claim_rate": lambda: false_claim_rate(report, golden, verifier),
    }
    if name not in runs:
        raise InputError(f"unknown metric {name!r}; available: {', '.join(METRIC_NAMES)}")
    return runs[name]()


def score_report(
    report: Report,
    passages_by_id: Mapping[str, EvidenceText],
    golden: GoldenCase | None,
    verifier: Verifier,
    markdown: str | None = None,
) -> ScoreCard:
    """Every metric on one report. Metrics that need a golden case (or the run record) are listed in
    `skipped` without one. `markdown` is the report as delivered, when it was stored apart from the Report."""
    memo = MemoVerifier(verifier)
    results, skipped = [], []
    for name in METRIC_NAMES:
        result = run_metric(name, report, passages_by_id, golden, memo, markdown)
        if result is None:
            skipped.append(name)
        else:
            results.append(result)
    return ScoreCard(
        question=report.question,
        verifier=verifier.name,
        golden_case=golden.id if golden else None,
        results=results,
        skipped=skipped,
    )


def format_table(card: ScoreCard, reason_width: int = 72) -> str:
    """A fixed-width table: metric, score, which way is better, and the reason."""
    rows = [("metric", "score", "better", "reason")]
    for r in card.results:
        reason = r.reason if len(r.reason) <= reason_width else r.reason[: reason_width - 1] + "…"
        rows.append((r.name, f"{r.score:.3f}", "higher" if r.higher_is_better else "lower", reason))
    rows += [(name, "n/a", "", f"needs {needed_input(name)}") for name in card.skipped]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:<{widths[2]}}  {d}".rstrip() for a, b, c, d in rows]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * min(reason_width, 40))
    head = f"{card.question}\nverifier: {card.verifier}" + (
        f" · golden case: {card.golden_case}" if card.golden_case else ""
    )
    return head + "\n\n" + "\n".join(lines) + "\n"
