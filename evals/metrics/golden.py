"""Against the golden case: which key facts the report states, which known false claims it makes.

A report "states" a claim when one of its own sentences, given to the verifier as the passage,
supports it. Golden key facts are compound ("X said A, blamed B, and said C"), so each is split
into its clauses and scored by the share of clauses some sentence states, after ALCE's sub-claim
recall for long-form answers. False claims are single assertions and are checked whole.
"""

from __future__ import annotations

import re

from pydantic import BaseModel
from vantage.evals.datasets import GoldenCase
from vantage.evals.verifiers import Verdict, Verifier
from vantage.graph.report import Report
from vantage.tools.text import tokenize

from .base import MetricResult, TextItem
from .reading import Sentence, prose_sentences

# Only the best-matching few sentences go to the verifier, and only those sharing at least a third
# of the claim's content terms: a sentence sharing less cannot be said to state it, and an LLM-judge
# verifier must not be asked hundreds of questions per report.
CANDIDATES = 3
MIN_SHARED = 1 / 3
_CLAUSE_BREAK = re.compile(r";\s+|:\s+|,\s+(?:and|while|but|whereas)\s+")


class ClauseMatch(BaseModel):
    clause: str
    stated: bool
    sentence: str = ""
    reason: str = ""


class KeyFactRow(BaseModel):
    fact: str
    recall: float
    clauses: list[ClauseMatch]


class FalseClaimRow(BaseModel):
    claim: str
    asserted: bool
    sentence: str = ""
    reason: str = ""


def clauses(fact: str) -> list[str]:
    """Split a compound fact at clause boundaries; a fragment too short to check joins its neighbour."""
    parts: list[str] = []
    for piece in (p.strip(" .") for p in _CLAUSE_BREAK.split(fact)):
        if parts and len(set(tokenize(piece))) < 3:
            parts[-1] = f"{parts[-1]}, {piece}"
        elif piece:
            parts.append(piece)
    return parts or [fact]


def _implied_year(claim: str, year: int) -> str:
    # "On 12 November 2025" in a golden case dated 2025 is "On 12 November" in a dated report: the
    # year is context, and a verifier that wants every date verbatim would otherwise miss it. Only
    # key facts get this benefit of the doubt; false claims keep their year, so that leniency never
    # turns into an accusation.
    return re.sub(rf"(?<!\d)[ ,]*\b{year}\b(?!\d)", "", claim).strip()


class _Matcher:
    def __init__(self, report: Report, verifier: Verifier) -> None:
        self.sentences = prose_sentences(report)
        self.terms = [set(tokenize(s.text)) for s in self.sentences]
        self.verifier = verifier

    def stating(self, claim: str) -> tuple[Sentence | None, str]:
        """The first of the best-matching sentences that supports the claim, and why (or why not)."""
        wanted = set(tokenize(claim))
        floor = max(1, MIN_SHARED * len(wanted))
        ranked = sorted(
            (i for i, t in enumerate(self.terms) if len(t & wanted) >= floor),
            key=lambda i: (-len(self.terms[i] & wanted), i),
        )
        closest: Verdict | None = None
        for i in ranked[:CANDIDATES]:
            s = self.sentences[i]
            verdict = self.verifier.verify(claim, [TextItem(s.id, s.text)])
            if verdict.supported:
                return s, verdict.reason
            closest = verdict if closest is None or verdict.score > closest.score else closest
        return (
            None,
            f"closest sentence {closest.label}: {closest.reason}"
            if closest
            else "no sentence shares a third of its terms",
        )


def key_fact_recall(report: Report, golden: GoldenCase | None, verifier: Verifier) -> MetricResult | None:
    """Mean over golden key facts of the share of their clauses that some report sentence states."""
    if golden is None:
        return None
    matcher = _Matcher(report, verifier)
    rows = []
    for kf in golden.key_facts:
        matches = []
        for clause in clauses(kf.fact):
            sentence, why = matcher.stating(_implied_year(clause, golden.as_of.year))
            matches.append(
                ClauseMatch(
                    clause=clause,
                    stated=sentence is not None,
                    sentence=sentence.text if sentence else "",
                    reason=why,
                )
            )
        recall = sum(m.stated for m in matches) / len(matches)
        rows.append(KeyFactRow(fact=kf.fact, recall=round(recall, 4), clauses=matches))
    score = sum(r.recall for r in rows) / len(rows)
    full = sum(r.recall == 1 for r in rows)
    reason = f"{full}/{len(rows)} key facts stated in full; {score:.0%} of their clauses stated"
    return MetricResult(name="key_fact_recall", score=round(score, 4), reason=reason, details=rows)


def false_claim_rate(report: Report, golden: GoldenCase | None, verifier: Verifier) -> MetricResult | None:
    """Share of the golden false claims that some report sentence supports."""
    if golden is None:
        return None
    matcher = _Matcher(report, verifier)
    rows = []
    for claim in golden.false_claims:
        sentence, why = matcher.stating(claim)
        rows.append(
            FalseClaimRow(
                claim=claim, asserted=sentence is not None, sentence=sentence.text if sentence else "", reason=why
            )
        )
    hits = sum(r.asserted for r in rows)
    reason = f"{hits}/{len(rows)} golden false claims asserted"
    return MetricResult(
        name="false_claim_rate",
        score=round(hits / len(rows), 4),
        reason=reason,
        details=rows,
        higher_is_better=False,
    )
