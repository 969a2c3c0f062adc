"""How often is a verifier right? Run it over the labelled (claim, passage) pairs and count.

"Positive" is `supported`: a false accept (a negative pair judged supported) is the error that lets
a false citation through, so it is also broken down by the kind of defect the negative carries.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel
from vantage.tools.search.corpus import CorpusDocument, corpus_paths, datasets_dir, load_corpus

from .datasets import CitationPair, load_pairs
from .verifiers import Verdict, Verifier

Split = Literal["dev", "test", "all"]
BOOTSTRAP_DRAWS = 2000


@dataclass(frozen=True)
class PairPassage:
    """A pair's passage as a citation presents it: the text and its document's title, publisher and
    date, as the graph's evidence carries them."""

    id: str
    text: str
    title: str = ""
    publisher: str = ""
    published: date | None = None

    @classmethod
    def of(cls, pair: CitationPair, docs: dict[str, CorpusDocument]) -> PairPassage:
        doc = docs.get(pair.doc_id)
        if doc is None:
            return cls(id=pair.doc_id, text=pair.passage)
        return cls(pair.doc_id, pair.passage, doc.title, doc.publisher, doc.published)


class Confusion(BaseModel):
    tp: int = 0  # supported, judged supported
    fn: int = 0  # supported, judged not
    fp: int = 0  # not supported, judged supported: a false accept
    tn: int = 0

    def _ratio(self, a: int, b: int) -> float:
        return round(a / b, 3) if b else 0.0

    @property
    def accuracy(self) -> float:
        return self._ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn)

    @property
    def precision(self) -> float:
        return self._ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self._ratio(self.tp, self.tp + self.fn)

    @property
    def specificity(self) -> float:
        return self._ratio(self.tn, self.tn + self.fp)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return round(2 * p * r / (p + r), 3) if p + r else 0.0

    @property
    def balanced_accuracy(self) -> float:
        return round((self.recall + self.specificity) / 2, 3)


class KindError(BaseModel):
    kind: str
    pairs: int
    false_accepts: int

    @property
    def rate(self) -> float:
        return round(self.false_accepts / self.pairs, 3) if self.pairs else 0.0


class PairResult(BaseModel):
    id: str
    topic: str = ""
    gold: bool
    kind: str | None
    verdict: Verdict


class TopicScore(BaseModel):
    """One topic's share of the figure: a split's topics differ, and so does how well rules
    written for other topics read them."""

    topic: str
    pairs: int
    confusion: Confusion


class Calibration(BaseModel):
    verifier: str
    split: Split
    pairs: int
    confusion: Confusion
    per_kind: list[KindError]
    per_topic: list[TopicScore] = []
    wall_time_s: float
    # 95% bootstrap interval of balanced accuracy: how far the figure could move on another sample
    # of pairs like these. 231 test pairs cannot tell 0.81 from 0.85 apart with certainty.
    balanced_accuracy_interval: tuple[float, float] = (0.0, 0.0)
    results: list[PairResult] = []

    def metrics(self) -> dict[str, float]:
        c = self.confusion
        return {
            "accuracy": c.accuracy,
            "precision": c.precision,
            "recall": c.recall,
            "f1": c.f1,
            "balanced_accuracy": c.balanced_accuracy,
        }

    def summary(self) -> dict[str, object]:
        """The machine-readable form printed by `--json` (per-pair results left out)."""
        return {
            "verifier": self.verifier,
            "split": self.split,
            "pairs": self.pairs,
            **self.metrics(),
            "balanced_accuracy_interval": list(self.balanced_accuracy_interval),
            "confusion": self.confusion.model_dump(),
            "false_accept_rate_by_kind": {k.kind: k.rate for k in self.per_kind},
            "balanced_accuracy_by_topic": {t.topic: t.confusion.balanced_accuracy for t in self.per_topic},
            "wall_time_s": self.wall_time_s,
        }


def count(results: list[PairResult]) -> Confusion:
    confusion = Confusion()
    for r in results:
        said_yes = r.verdict.supported
        if r.gold:
            confusion.tp += said_yes
            confusion.fn += not said_yes
        else:
            confusion.fp += said_yes
            confusion.tn += not said_yes
    return confusion


def bootstrap_interval(
    results: list[PairResult], draws: int = BOOTSTRAP_DRAWS, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap of balanced accuracy, resampling supported and unsupported pairs apart
    (each class's rate is half the figure). Seeded, so the same verdicts print the same interval."""
    said = np.array([r.verdict.supported for r in results], dtype=bool)
    gold = np.array([r.gold for r in results], dtype=bool)
    hits_pos, hits_neg = said[gold], ~said[~gold]
    if not len(hits_pos) or not len(hits_neg):
        return (0.0, 0.0)
    rng = np.random.default_rng(seed)
    tpr = rng.choice(hits_pos, (draws, len(hits_pos))).mean(axis=1)
    tnr = rng.choice(hits_neg, (draws, len(hits_neg))).mean(axis=1)
    low, high = np.quantile((tpr + tnr) / 2, [0.025, 0.975])
    return (round(float(low), 3), round(float(high), 3))


def pair_documents(corpus: str | Path | None = None) -> dict[str, CorpusDocument]:
    """The documents the pairs' passages come from (default datasets/corpus), by id."""
    return {d.id: d for d in load_corpus(corpus_paths(corpus))}


def select(pairs: list[CitationPair], split: Split) -> list[CitationPair]:
    return pairs if split == "all" else [p for p in pairs if p.split == split]


def calibrate(
    verifier: Verifier,
    split: Split = "test",
    pairs_path: Path | None = None,
    *,
    concurrency: int = 1,
    corpus: str | Path | None = None,
    on_result: Callable[[int, int], None] | None = None,
) -> Calibration:
    """Judge every pair of the split; `concurrency` > 1 only helps verifiers that wait on a model."""
    pairs = select(load_pairs(pairs_path or datasets_dir() / "citations" / "pairs.jsonl"), split)
    docs = pair_documents(corpus)
    t0 = time.perf_counter()
    done = 0

    def judge(pair: CitationPair) -> PairResult:
        nonlocal done
        verdict = verifier.verify(pair.claim, [PairPassage.of(pair, docs)])
        done += 1
        if on_result:
            on_result(done, len(pairs))
        return PairResult(
            id=pair.id, topic=pair.topic, gold=pair.label == "supported", kind=pair.kind, verdict=verdict
        )

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        results = list(pool.map(judge, pairs))
    confusion = count(results)
    accepted: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for r in results:
        if not r.gold:
            totals[r.kind or "?"] += 1
            accepted[r.kind or "?"] += r.verdict.supported
    by_topic: dict[str, list[PairResult]] = {}
    for r in results:
        by_topic.setdefault(r.topic, []).append(r)
    return Calibration(
        verifier=verifier.name,
        split=split,
        pairs=len(pairs),
        confusion=confusion,
        per_kind=[KindError(kind=k, pairs=n, false_accepts=accepted[k]) for k, n in sorted(totals.items())],
        per_topic=[TopicScore(topic=t, pairs=len(rs), confusion=count(rs)) for t, rs in sorted(by_topic.items())],
        wall_time_s=round(time.perf_counter() - t0, 2),
        balanced_accuracy_interval=bootstrap_interval(results),
        results=results,
    )


def format_calibration(cal: Calibration) -> str:
    c = cal.confusion
    lines = [f"verifier {cal.verifier} · split {cal.split} · {cal.pairs} pairs · {cal.wall_time_s:.1f} s", ""]
    low, high = cal.balanced_accuracy_interval
    interval = {"balanced_accuracy": f"  (95% bootstrap interval {low:.3f} to {high:.3f})"}
    lines += [f"{name:<18} {value:.3f}{interval.get(name, '')}" for name, value in cal.metrics().items()]
    lines += [
        "",
        "confusion          judged supported   judged not",
        f"gold supported     {c.tp:>16}   {c.fn:>10}",
        f"gold not supported {c.fp:>16}   {c.tn:>10}",
        "",
        f"{'negative kind':<20} {'pairs':>5} {'false accepts':>13} {'rate':>6}",
    ]
    lines += [f"{k.kind:<20} {k.pairs:>5} {k.false_accepts:>13} {k.rate:>6.0%}" for k in cal.per_kind]
    lines += ["", f"{'topic':<22} {'pairs':>5} {'balanced acc':>12} {'recall':>6} {'specificity':>11}"]
    lines += [
        f"{t.topic:<22} {t.pairs:>5} {t.confusion.balanced_accuracy:>12.3f} {t.confusion.recall:>6.3f}"
        f" {t.confusion.specificity:>11.3f}"
        for t in cal.per_topic
    ]
    return "\n".join(lines) + "\n"
