"""`vantage eval calibrate`: the metrics are counted right, per kind, on a pairs file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from vantage.evals.calibrate import Confusion, calibrate
from vantage.evals.verifiers import LexicalVerifier, Verdict
from vantage.graph.cli import app

PASSAGE = "Russia and Ukraine agreed on 16 May 2025 in Istanbul to exchange 1,000 prisoners each."


def _pair(i: int, claim: str, label: str, kind: str | None, split: str = "test") -> dict[str, object]:
    return {
        "id": f"p{i}",
        "topic": "t",
        "split": split,
        "doc_id": "d-1",
        "passage": PASSAGE,
        "claim": claim,
        "label": label,
        "kind": kind,
    }


@pytest.fixture
def pairs_file(tmp_path: Path) -> Path:
    rows = [
        _pair(1, "Russia and Ukraine agreed to exchange 1,000 prisoners each in Istanbul.", "supported", None),
        _pair(2, "In Istanbul Russia and Ukraine agreed a 1,000-for-1,000 prisoner exchange.", "supported", None),
        _pair(
            3,
            "Russia and Ukraine agreed to exchange 1,200 prisoners each in Istanbul.",
            "not_supported",
            "wrong_number",
        ),
        _pair(
            4, "Russia and Ukraine did not agree to exchange prisoners in Istanbul.", "not_supported", "negated"
        ),
        _pair(5, "Russia and Ukraine agreed to exchange prisoners.", "supported", None, split="dev"),
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_confusion_metrics() -> None:
    c = Confusion(tp=8, fn=2, fp=1, tn=9)
    assert (c.accuracy, c.precision, c.recall) == (0.85, 0.889, 0.8)
    assert c.balanced_accuracy == 0.85  # (0.8 + 0.9) / 2
    assert c.f1 == 0.842


class _SaysYes:
    name = "yes"

    def verify(self, claim: str, passages: list[object]) -> Verdict:
        return Verdict(label="supported", score=1.0, reason="always")


def test_a_verifier_that_accepts_everything_scores_chance_and_fails_every_kind(pairs_file: Path) -> None:
    cal = calibrate(_SaysYes(), "test", pairs_file)
    assert cal.pairs == 4  # the dev pair is not in the test split
    assert cal.confusion.recall == 1.0 and cal.confusion.specificity == 0.0
    assert cal.confusion.balanced_accuracy == 0.5
    assert {k.kind: k.rate for k in cal.per_kind} == {"negated": 1.0, "wrong_number": 1.0}


def test_lexical_on_a_small_file(pairs_file: Path) -> None:
    cal = calibrate(LexicalVerifier(), "test", pairs_file)
    assert cal.confusion.fp == 0
    assert {k.kind: k.false_accepts for k in cal.per_kind} == {"negated": 0, "wrong_number": 0}


def test_calibrate_cli_prints_table_and_json() -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["eval", "calibrate", "--split", "test"])
    assert table.exit_code == 0, table.output
    for word in ("balanced_accuracy", "precision", "recall", "f1", "confusion", "wrong_actor"):
        assert word in table.stdout
    as_json = runner.invoke(app, ["eval", "calibrate", "--split", "dev", "--json"])
    data = json.loads(as_json.stdout)
    assert data["split"] == "dev" and data["pairs"] > 100
    low, high = data["balanced_accuracy_interval"]
    assert low < data["balanced_accuracy"] < high
    assert "95% bootstrap interval" in table.stdout
    assert set(data["false_accept_rate_by_kind"]) >= {"negated", "wrong_number", "fabricated"}


def test_the_bootstrap_interval_brackets_the_figure_repeats_and_narrows_with_more_pairs(
    pairs_file: Path, tmp_path: Path
) -> None:
    """Printed next to balanced accuracy, so a reader can tell a gap from sampling noise."""
    rows = pairs_file.read_text(encoding="utf-8").splitlines()
    cal = calibrate(_FirstClaimOnly(), "test", pairs_file)
    low, high = cal.balanced_accuracy_interval
    assert low < cal.confusion.balanced_accuracy < high
    assert calibrate(_FirstClaimOnly(), "test", pairs_file).balanced_accuracy_interval == (low, high)
    bigger = tmp_path / "bigger.jsonl"
    bigger.write_text("\n".join(rows * 25) + "\n", encoding="utf-8")
    low25, high25 = calibrate(_FirstClaimOnly(), "test", bigger).balanced_accuracy_interval
    assert low < low25 < high25 < high
    # A verifier that says yes to everything has no spread to show: chance, every resample.
    assert calibrate(_SaysYes(), "test", pairs_file).balanced_accuracy_interval == (0.5, 0.5)


class _FirstClaimOnly:
    """Right on three of the four test pairs: accepts pair 1, rejects the rest."""

    name = "first"

    def verify(self, claim: str, passages: list[object]) -> Verdict:
        first = claim.startswith("Russia and Ukraine agreed to exchange 1,000")
        return Verdict(label="supported" if first else "unverified", score=float(first), reason="scripted")


def test_each_topic_is_scored_on_its_own(pairs_file: Path, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in pairs_file.read_text(encoding="utf-8").splitlines()]
    rows[2]["topic"] = rows[3]["topic"] = "other"  # the two negatives: all the yes-sayer gets wrong
    two_topics = tmp_path / "two.jsonl"
    two_topics.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cal = calibrate(_SaysYes(), "test", two_topics)
    scores = {t.topic: t.confusion for t in cal.per_topic}
    assert scores["t"] == Confusion(tp=2) and scores["other"] == Confusion(fp=2)
    assert cal.summary()["balanced_accuracy_by_topic"] == {"other": 0.0, "t": 0.5}
