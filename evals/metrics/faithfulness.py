"""Citation faithfulness, after ALCE (Gao et al. 2023, "Enabling Large Language Models to Generate
Text with Citations"): recall asks whether each factual sentence is supported by the passages it
cites taken together; precision asks whether each citation earns its place. Quote fidelity asks
whether each quotation is verbatim in the source it cites."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import BaseModel
from vantage.evals.verifiers import EvidenceText, Verifier
from vantage.graph.report import Report

from .base import MetricResult, share
from .reading import Citations, fact_points, joined


class SentenceSupport(BaseModel):
    section: str
    text: str
    citations: list[int]
    passage_ids: list[str]
    supported: bool
    reason: str


class CitationCheck(BaseModel):
    section: str
    text: str
    citation: int
    doc_id: str | None
    relevant: bool
    reason: str


class QuoteCheck(BaseModel):
    text: str
    attribution: str
    citation: int
    evidence_id: str
    verbatim: bool = False
    reason: str = ""


def citation_recall(report: Report, passages: Mapping[str, EvidenceText], verifier: Verifier) -> MetricResult:
    """Share of factual sentences whose cited passages jointly support them (uncited = 0)."""
    cites = Citations(report, passages)
    rows = []
    for section, point in fact_points(report):
        sources = cites.of(point)
        evidence = joined(sources)
        if evidence:
            verdict = verifier.verify(point.text, evidence)
            supported, why = verdict.supported, f"{verdict.label}: {verdict.reason}"
        else:
            supported, why = False, "cited source not in the corpus" if sources else "no citation"
        rows.append(
            SentenceSupport(
                section=section,
                text=point.text,
                citations=point.citations,
                passage_ids=[p.id for p in evidence],
                supported=supported,
                reason=why,
            )
        )
    hits = sum(r.supported for r in rows)
    reason = (
        f"{hits}/{len(rows)} factual sentences supported by their citations" if rows else "no factual sentences"
    )
    return MetricResult(name="citation_recall", score=share(hits, len(rows)), reason=reason, details=rows)


def citation_precision(report: Report, passages: Mapping[str, EvidenceText], verifier: Verifier) -> MetricResult:
    """Share of citations that support their sentence: alone, or as a part the joint support needs.
    A citation on a sentence its citations do not jointly support counts as imprecise (ALCE)."""
    cites = Citations(report, passages)
    rows = []
    for section, point in fact_points(report):
        sources = cites.of(point)
        evidence = joined(sources)
        joint = verifier.verify(point.text, evidence) if evidence else None
        for src in sources:
            if src.doc_id is None:
                relevant, why = False, "not in Sources"
            elif not src.passages:
                relevant, why = False, "source not in the corpus"
            elif joint is None or not joint.supported:
                relevant, why = False, "citations do not jointly support the sentence"
            elif len(sources) == 1 or verifier.verify(point.text, list(src.passages)).supported:
                relevant, why = True, "supports the sentence alone"
            else:
                rest = joined([s for s in sources if s is not src])
                relevant = not (rest and verifier.verify(point.text, rest).supported)
                why = "needed for joint support" if relevant else "redundant: the other citations suffice"
            rows.append(
                CitationCheck(
                    section=section,
                    text=point.text,
                    citation=src.n,
                    doc_id=src.doc_id,
                    relevant=relevant,
                    reason=why,
                )
            )
    hits = sum(r.relevant for r in rows)
    reason = (
        f"{hits}/{len(rows)} citations support their sentence" if rows else "no citations on factual sentences"
    )
    return MetricResult(name="citation_precision", score=share(hits, len(rows)), reason=reason, details=rows)


_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "…": "..."})


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTE_MARKS)).strip().strip('"').strip()


def quote_fidelity(report: Report, passages: Mapping[str, EvidenceText]) -> MetricResult:
    """Share of quotations (and the verbatim counter-sentences of disagreements) found verbatim,
    whitespace and quote marks normalised, in the document they cite: the whole document, since a
    quotation may cross a passage boundary."""
    cites = Citations(report, passages)
    quoted = [
        QuoteCheck(text=q.text, attribution=q.attribution, citation=q.citation, evidence_id=q.evidence_id)
        for q in report.quotations
    ]
    quoted += [
        QuoteCheck(
            text=d.counter,
            attribution=d.counter_publisher,
            citation=d.counter_citation,
            evidence_id=d.counter_evidence_id,
        )
        for d in getattr(report, "disagreements", [])
    ]
    for row in quoted:
        src = cites.source(row.citation, [row.evidence_id])
        needle = _normal(row.text)
        if src.doc_id is None:
            row.reason = f"citation [{row.citation}] is not in Sources"
        elif not src.passages:
            row.reason = f"source {src.doc_id} not in the corpus"
        else:
            row.verbatim = bool(needle) and needle in _normal(" ".join(p.text for p in cites.by_doc[src.doc_id]))
            row.reason = f"{'verbatim' if row.verbatim else 'not verbatim'} in {src.doc_id}"
    if not quoted:
        # Nothing quoted, nothing misquoted; structure scores the missing section.
        return MetricResult(name="quote_fidelity", score=1.0, reason="no quotations to check")
    hits = sum(r.verbatim for r in quoted)
    reason = f"{hits}/{len(quoted)} quotations verbatim in their cited source"
    return MetricResult(name="quote_fidelity", score=share(hits, len(quoted)), reason=reason, details=quoted)


def draft_faithfulness(report: Report) -> MetricResult | None:
    """Share of the factual sentences the model drafted that the passages the model itself cited
    support, before assembly repaired anything. Assembly re-attributes, demotes or drops what fails,
    so the report's own citations stay sound whatever the prompt says; this is the metric a prompt
    that stops the model citing (or grounding) moves. None for a report without its run record."""
    if report.run is None:
        return None
    rows = [c for c in report.run.draft_checks if c.outcome != "repeat"]
    hits = sum(c.outcome == "as_cited" for c in rows)
    if not rows:
        return MetricResult(name="draft_faithfulness", score=0.0, reason="the draft stated no facts")
    moved = {o: sum(c.outcome == o for c in rows) for o in ("re_attributed", "demoted", "dropped")}
    repaired = ", ".join(f"{n} {o.replace('_', '-')}" for o, n in moved.items() if n)
    reason = f"{hits}/{len(rows)} drafted facts supported as the model cited them" + (
        f"; {repaired}" if repaired else ""
    )
    return MetricResult(name="draft_faithfulness", score=share(hits, len(rows)), reason=reason, details=rows)
