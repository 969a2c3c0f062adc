"""Report metrics: plain functions over (Report, source passages, golden case) returning a
MetricResult with a score in [0, 1], a reason and per-item details (DESIGN.md, "Evals")."""

from __future__ import annotations

from .balance import evenness, loaded_language_rate, loaded_terms, position_symmetry, stakeholder_coverage
from .base import MetricResult, TextItem
from .faithfulness import citation_precision, citation_recall, draft_faithfulness, quote_fidelity
from .golden import false_claim_rate, key_fact_recall
from .structure import analysis_coverage, structure

METRIC_NAMES = (
    "structure",
    "citation_recall",
    "citation_precision",
    "quote_fidelity",
    "draft_faithfulness",
    "analysis_coverage",
    "stakeholder_coverage",
    "evenness",
    "position_symmetry",
    "loaded_language_rate",
    "key_fact_recall",
    "false_claim_rate",
)
LOWER_IS_BETTER = frozenset({"loaded_language_rate", "false_claim_rate"})
NEEDS_GOLDEN = frozenset({"stakeholder_coverage", "key_fact_recall", "false_claim_rate"})
NEEDS_RUN = frozenset({"draft_faithfulness"})  # read the run record a report carries


def needed_input(name: str) -> str:
    """What a metric that returned no result was missing."""
    return "the report's run record" if name in NEEDS_RUN else "a golden case"


__all__ = [
    "LOWER_IS_BETTER",
    "METRIC_NAMES",
    "NEEDS_GOLDEN",
    "NEEDS_RUN",
    "MetricResult",
    "TextItem",
    "analysis_coverage",
    "citation_precision",
    "citation_recall",
    "draft_faithfulness",
    "evenness",
    "false_claim_rate",
    "key_fact_recall",
    "loaded_language_rate",
    "loaded_terms",
    "needed_input",
    "position_symmetry",
    "quote_fidelity",
    "stakeholder_coverage",
    "structure",
]
