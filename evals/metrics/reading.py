"""How metrics read a report: its prose sentences, its factual points, and the passages behind
each citation a reader sees."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from vantage.evals.verifiers import EvidenceText
from vantage.graph.actors import canonical_actor
from vantage.graph.report import Point, Report
from vantage.tools.text import split_sentences

# Sections whose `fact` points are factual sentences (watch & do and the bottom line are judgement).
FACT_SECTIONS = ("what_we_know", "context", "stakeholders", "obstacles")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the analyst's own prose; `actor` is set inside a stakeholder section."""

    id: str
    text: str
    section: str
    actor: str | None = None


def actor_name(name: str) -> str:
    return canonical_actor(name) or name.strip()


def _points(report: Report) -> Iterator[tuple[str, str | None, Point]]:
    for point in report.what_we_know:
        yield "what_we_know", None, point
    # A disagreement's claim is what the supporting sources report: a cited factual sentence. Its
    # counter is the disputing source's verbatim words, checked like a quotation.
    for d in getattr(report, "disagreements", []):
        yield "what_we_know", None, Point(text=d.claim, evidence_ids=d.evidence_ids, citations=d.citations)
    for point in report.context:
        yield "context", None, point
    for block in report.stakeholders:
        for sp in block.points:
            yield "stakeholders", actor_name(block.actor), sp.point
    for section in ("obstacles", "watch_and_do", "bottom_line"):
        for point in getattr(report, section):
            yield section, None, point


def prose_sentences(report: Report) -> list[Sentence]:
    """The report's own sentences in reading order. Quotations are left out: they are the sources'
    words, attributed, and are scored by quote fidelity."""
    out: list[Sentence] = []
    for section, actor, point in _points(report):
        out += [Sentence(f"s{len(out) + i}", s, section, actor) for i, s in enumerate(split_sentences(point.text))]
    out += [Sentence(f"s{len(out) + i}", s, "in_short") for i, s in enumerate(split_sentences(report.in_short))]
    return out


def fact_points(report: Report) -> list[tuple[str, Point]]:
    """Factual points: facts in What we know, context and obstacles, and stakeholder facts."""
    return [
        (section if actor is None else f"stakeholders/{actor}", point)
        for section, actor, point in _points(report)
        if point.kind == "fact" and section in FACT_SECTIONS
    ]


def doc_of(passage: EvidenceText) -> str:
    """A passage's document: its `doc_id`, else the part of its id before '#' ("ist-040#1")."""
    return getattr(passage, "doc_id", None) or passage.id.rsplit("#", 1)[0]


@dataclass(frozen=True, slots=True)
class CitedSource:
    n: int
    doc_id: str | None
    passages: tuple[EvidenceText, ...]


class Citations:
    """Resolves the citations [n] a reader sees to passages: the point's evidence ids from the cited
    document when it has them, else every passage of that document."""

    def __init__(self, report: Report, passages: Mapping[str, EvidenceText]) -> None:
        self.passages = passages
        self.doc_by_n = {s.n: s.doc_id for s in report.sources}
        self.by_doc: dict[str, list[EvidenceText]] = {}
        for p in passages.values():
            self.by_doc.setdefault(doc_of(p), []).append(p)

    def source(self, n: int, evidence_ids: list[str]) -> CitedSource:
        doc = self.doc_by_n.get(n)
        if doc is None:
            return CitedSource(n, None, ())
        pinned = [self.passages[e] for e in evidence_ids if e in self.passages and doc_of(self.passages[e]) == doc]
        return CitedSource(n, doc, tuple(pinned or self.by_doc.get(doc, [])))

    def of(self, point: Point) -> list[CitedSource]:
        return [self.source(n, point.evidence_ids) for n in dict.fromkeys(point.citations)]


def joined(sources: list[CitedSource]) -> list[EvidenceText]:
    """The passages of several citations, each once, in citation order."""
    return list({p.id: p for s in sources for p in s.passages}.values())
