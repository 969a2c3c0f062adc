"""Eval results for the gate's tests: the committed smoke baseline, and falls planted in copies of it."""

from __future__ import annotations

from pathlib import Path

from vantage.evals.golden_run import EvalResults, load_results

SMOKE_BASELINE = Path(__file__).parents[1] / "evals" / "baselines" / "smoke-local.json"


def shared_fall_hidden_by_a_flip(metric: str = "draft_faithfulness") -> tuple[EvalResults, EvalResults]:
    """What the French-language system prompt did on the smoke set (`make probe`): two cases fell by
    0.3 while the third flipped up from 0 to 0.6, so the mean did not move."""
    base = load_results(SMOKE_BASELINE)
    candidate = base.model_copy(deep=True)
    pairs = zip((1.0, 0.4, 0.0), (0.7, 0.1, 0.6), base.cases, candidate.cases, strict=True)
    for before, after, case, twin in pairs:
        case.scores[metric], twin.scores[metric] = before, after
    return base, candidate
