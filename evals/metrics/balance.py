"""Balance: are the golden stakeholders discussed, is attention spread across them, is each side's
position stated with a citation, and does the prose avoid loaded epithets."""

from __future__ import annotations

import math
import re
from functools import cache
from importlib import resources

from pydantic import BaseModel
from vantage.evals.datasets import GoldenCase
from vantage.graph.actors import mentions
from vantage.graph.report import Report

from .base import MetricResult, share
from .reading import Sentence, actor_name, prose_sentences


class Attention(BaseModel):
    actor: str
    sentences: int
    section: bool


class Coverage(Attention):
    covered: bool


class AttentionShare(Attention):
    share: float


class Position(BaseModel):
    actor: str
    stated: bool
    citations: list[int]
    text: str = ""


class LoadedSentence(BaseModel):
    section: str
    text: str
    terms: list[str]


def _attends(sentence: Sentence, actor: str) -> bool:
    # A stakeholder section is attention to its actor even where a sentence does not name it.
    return sentence.actor == actor or mentions(actor, sentence.text) > 0


def _attention(report: Report, actors: list[str]) -> list[Attention]:
    sentences = prose_sentences(report)
    sections = {actor_name(s.actor) for s in report.stakeholders if any(p.point.text.strip() for p in s.points)}
    return [
        Attention(actor=a, sentences=sum(_attends(s, a) for s in sentences), section=a in sections) for a in actors
    ]


def _stakeholders(report: Report, golden: GoldenCase | None) -> tuple[list[str], str]:
    if golden is not None:
        return [actor_name(s) for s in golden.stakeholders], "golden"
    return list(dict.fromkeys(actor_name(s.actor) for s in report.stakeholders)), "the report's own"


def stakeholder_coverage(report: Report, golden: GoldenCase | None) -> MetricResult | None:
    """Share of golden stakeholders discussed substantively: a stakeholder section of their own, or
    at least two sentences naming them."""
    if golden is None:
        return None
    rows = [
        Coverage(**a.model_dump(), covered=a.section or a.sentences >= 2)
        for a in _attention(report, _stakeholders(report, golden)[0])
    ]
    missing = [r.actor for r in rows if not r.covered]
    hits = len(rows) - len(missing)
    reason = f"{hits}/{len(rows)} golden stakeholders discussed" + (
        f"; missing: {', '.join(missing)}" if missing else ""
    )
    return MetricResult(name="stakeholder_coverage", score=share(hits, len(rows)), reason=reason, details=rows)


def evenness(report: Report, golden: GoldenCase | None = None) -> MetricResult:
    """Normalised Shannon entropy of attention (sentences about each stakeholder) across the golden
    stakeholders, or the report's own without a golden case: 1 when even, 0 when one actor gets all."""
    actors, which = _stakeholders(report, golden)
    attention = _attention(report, actors)
    total = sum(a.sentences for a in attention)
    rows = [
        AttentionShare(**a.model_dump(), share=round(a.sentences / total, 4) if total else 0.0) for a in attention
    ]
    if not total:
        return MetricResult(
            name="evenness", score=0.0, reason=f"no sentence about {which} stakeholders", details=rows
        )
    entropy = -sum(a.sentences / total * math.log(a.sentences / total) for a in attention if a.sentences)
    score = entropy / math.log(len(rows)) if len(rows) > 1 else 1.0
    top = max(rows, key=lambda r: r.sentences)
    reason = f"attention across {len(rows)} {which} stakeholders; most on {top.actor} ({top.share:.0%})"
    return MetricResult(name="evenness", score=round(min(score, 1.0), 4), reason=reason, details=rows)


def position_symmetry(report: Report, golden: GoldenCase | None = None) -> MetricResult:
    """Share of stakeholders (golden, else the report's own) whose stated position is given with a
    citation to a listed source."""
    actors, which = _stakeholders(report, golden)
    numbers = {s.n for s in report.sources}
    stated: dict[str, Position] = {}
    for block in report.stakeholders:
        for sp in block.points:
            p = sp.point
            if sp.label == "Stated position" and p.text.strip():
                actor, cited = actor_name(block.actor), [n for n in p.citations if n in numbers]
                stated.setdefault(actor, Position(actor=actor, stated=bool(cited), citations=cited, text=p.text))
    rows = [stated.get(a) or Position(actor=a, stated=False, citations=[]) for a in actors]
    missing = [r.actor for r in rows if not r.stated]
    hits = len(rows) - len(missing)
    reason = f"{hits}/{len(rows)} {which} stakeholders have a cited stated position" + (
        f"; missing: {', '.join(missing)}" if missing else ""
    )
    return MetricResult(name="position_symmetry", score=share(hits, len(rows)), reason=reason, details=rows)


@cache
def loaded_terms() -> tuple[str, ...]:
    text = resources.files(__package__).joinpath("loaded_terms.txt").read_text(encoding="utf-8")
    return tuple(t for line in text.splitlines() if (t := line.strip()) and not t.startswith("#"))


@cache
def _loaded_pattern() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t).replace(r"\ ", r"[\s-]+") for t in loaded_terms())
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?:s|es)?(?![\w-])", re.IGNORECASE)


# Words in quotation marks are someone else's, attributed; the lexicon judges the report's own voice.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def loaded_language_rate(report: Report) -> MetricResult:
    """Share of the report's own sentences that use a term from the loaded-language lexicon."""
    sentences = prose_sentences(report)
    rows = []
    for s in sentences:
        terms = [m.group(0) for m in _loaded_pattern().finditer(_QUOTED.sub(" ", s.text))]
        if terms:
            rows.append(LoadedSentence(section=s.section, text=s.text, terms=terms))
    reason = f"{len(rows)}/{len(sentences)} sentences use loaded terms" + (
        f": {', '.join(sorted({t.lower() for r in rows for t in r.terms}))}" if rows else ""
    )
    return MetricResult(
        name="loaded_language_rate",
        score=share(len(rows), len(sentences)),
        reason=reason,
        details=rows,
        higher_is_better=False,
    )
