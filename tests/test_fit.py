"""Fitting a feature verifier: the threshold is chosen on scores of topics the weights never saw."""

from __future__ import annotations

import numpy as np
from vantage.evals.verifiers.fit import MAX_KIND_FALSE_ACCEPT, choose_threshold, fit, held_out_scores


def test_held_out_scores_come_from_the_other_topics_only() -> None:
    # In topic "a" the feature marks support; in topic "b" it marks the opposite.
    x = np.array([[1.0], [0.0], [1.0], [0.0]] * 3)
    y = np.array([1.0, 0.0, 0.0, 1.0] * 3)
    topics = np.array(["a", "a", "b", "b"] * 3)
    scores = held_out_scores(x, y, topics)
    a_supported = (topics == "a") & (y == 1)
    # Fitted on "b" alone, the weights read topic a's supported pairs as unsupported ...
    assert scores[a_supported].max() < 0.5
    # ... where weights fitted on topic a itself would not.
    bias, w = fit(x[topics == "a"], y[topics == "a"])
    assert 1 / (1 + np.exp(-(x[a_supported] @ w + bias))).min() > 0.5


def test_the_threshold_keeps_every_negative_kind_under_its_false_accept_cap() -> None:
    # Four supported pairs score 0.7 to 0.9; four "wrong_actor" negatives 0.6 to 0.75; twenty
    # fabricated ones 0.1.
    p = np.array([0.9, 0.85, 0.8, 0.7, 0.75, 0.72, 0.65, 0.6] + [0.1] * 20)
    y = np.array([1.0] * 4 + [0.0] * 24)
    kinds = [None] * 4 + ["wrong_actor"] * 4 + ["fabricated"] * 20
    no_veto = np.zeros(len(p), dtype=bool)
    t = choose_threshold(p, y, kinds, no_veto)
    accepted = sum(score >= t for k, score in zip(kinds, p, strict=True) if k == "wrong_actor")
    assert accepted / 4 <= MAX_KIND_FALSE_ACCEPT
    # Balanced accuracy alone would take every supported pair and two wrong actors with them.
    assert choose_threshold(p, y, [None] * 4 + ["fabricated"] * 24, no_veto) <= 0.7 < t
