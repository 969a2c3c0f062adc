"""Turn a synthesis draft into a Report: verify, cite, number sources. All of it is code.

- A factual sentence keeps a citation only to ledger passages the verifier judged to support it.
- An unsupported sentence in "What we know" is dropped; in context or obstacles it is kept as a
  labelled judgement without citations. Both counts are recorded in the run.
- "What we know" is topped up from fact_check's supported claims when the draft is thin.
- Quotations come verbatim from evidence; source numbers follow first citation in reading order.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field
from vantage.evals.verifiers import Verifier
from vantage.tools.text import drifts_into_cjk, near_duplicate, split_sentences, tokenize

from .evidence import CitedSentence, valid_ids
from .nodes.fact_check import verify_against_ledger
from .promptset import load_prompts
from .quotes import find_quotations
from .report import (
    DraftCheck,
    DraftOutcome,
    Point,
    Quotation,
    Report,
    Source,
    StakeholderPoint,
    StakeholderSection,
)
from .state import CitedText, RunState

NOT_ASSESSED = "Not assessed: the model's bottom line was unusable, and none is offered in its place."
LABELS = {
    "stated_position": "Stated position",
    "interests": "Interests",
    "leverage": "Leverage",
    "likely_next_move": "Likely next move",
}


class Draft(BaseModel):
    what_we_know: list[CitedSentence]
    context: list[CitedSentence]
    obstacles: list[CitedSentence]
    watch_and_do: list[str]
    bottom_line: list[str]
    in_short: str


class AssemblyStats(BaseModel):
    dropped: int = 0
    demoted: int = 0
    checks: list[DraftCheck] = Field(default_factory=list)


def _unusable(sentence: str) -> bool:
    """Small models sometimes copy the instructions back ("X must watch and do the following:"), or
    drift into another language mid-sentence; neither is an assessment."""
    terms = set(tokenize(sentence))
    instructions = set(tokenize(load_prompts()["synthesis"]))
    echo = sentence.rstrip().endswith(":") or len(terms) < 3 or len(terms - instructions) < 3
    return echo or drifts_into_cjk(sentence)


class _Written:
    """Every sentence already placed in the report, so no section repeats another."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def fresh(self, text: str) -> bool:
        if any(near_duplicate(text, t) for t in self.texts):
            return False
        self.texts.append(text)
        return True


def _checked(
    section: str,
    sentence: CitedSentence,
    state: RunState,
    verifier: Verifier,
    keep_unsupported: bool,
    stats: AssemblyStats,
    written: _Written,
) -> Point | None:
    def record(outcome: DraftOutcome) -> None:
        check = DraftCheck(section=section, text=sentence.text, cited=sentence.evidence_ids, outcome=outcome)
        stats.checks.append(check)

    if not written.fresh(sentence.text):
        record("repeat")
        return None
    ids, verdict = verify_against_ledger(sentence.text, sentence.evidence_ids, state.evidence, verifier)
    if verdict.supported:
        # Supported by passages the model itself cited, or only after code found better ones.
        record("as_cited" if set(ids) <= set(sentence.evidence_ids) else "re_attributed")
        return Point(text=sentence.text, evidence_ids=ids)
    # Kept as judgement only when it is an assessment: "Each side's motives and signalling, from the
    # evidence." is the prompt's instruction copied back.
    if keep_unsupported and not _unusable(sentence.text):
        record("demoted")
        stats.demoted += 1
        return Point(text=sentence.text, kind="judgement", demoted=True)
    record("dropped")
    stats.dropped += 1
    return None


_FRICTION = re.compile(
    r"\b(reject\w*|refus\w*|demand\w*|ultimatum\w*|condition\w*|withdraw\w*|stall\w*|blam\w*|"
    r"disput\w*|accus\w*|unacceptable|impasse|deadlock\w*|fail\w*|collapse\w*|violat\w*|"
    r"obstacle\w*|disagree\w*|red line\w*)\b",
    re.IGNORECASE,
)


def _reported_obstacles(state: RunState, written: _Written, limit: int) -> list[Point]:
    """When the draft names no sourced obstacle, report the sources' own sentences about friction
    (demands, rejections, blame) on the question's topic, each cited to its passage."""
    topic = set(tokenize(state.question))
    found: list[tuple[int, str, str]] = []
    for e in state.evidence.values():
        for sentence in split_sentences(e.text):
            if _FRICTION.search(sentence) and 6 <= len(sentence.split()) <= 45:
                found.append((len(topic & set(tokenize(sentence))), sentence, e.id))
    found.sort(key=lambda t: (-t[0], t[2]))
    points: list[Point] = []
    for _, sentence, eid in found:
        if len(points) >= limit:
            break
        if written.fresh(sentence):
            points.append(Point(text=sentence, evidence_ids=[eid]))
    return points


def _stakeholder_sections(state: RunState) -> list[StakeholderSection]:
    order = {actor.lower(): i for i, actor in enumerate(state.stakeholders)}
    sections = []
    for view in sorted(state.views, key=lambda v: order.get(v.actor.lower(), 99)):
        points = []
        for field, label in LABELS.items():
            cited: CitedText = getattr(view, field)
            is_fact = field == "stated_position" and view.position_supported
            points.append(
                StakeholderPoint(
                    label=label,
                    point=Point(
                        text=cited.text,
                        kind="fact" if is_fact else "judgement",
                        evidence_ids=valid_ids(cited.evidence_ids, state.evidence),
                    ),
                )
            )
        sections.append(StakeholderSection(actor=view.actor, points=points))
    return sections


def _number_sources(report: Report, state: RunState) -> Report:
    numbers: dict[str, int] = {}
    sources: list[Source] = []

    def cite(point: Point) -> None:
        for eid in point.evidence_ids:
            doc = state.evidence[eid]
            if doc.doc_id not in numbers:
                numbers[doc.doc_id] = len(numbers) + 1
                sources.append(
                    Source(
                        n=numbers[doc.doc_id],
                        doc_id=doc.doc_id,
                        title=doc.title,
                        publisher=doc.publisher,
                        published=doc.published,
                        url=doc.url,
                    )
                )
        point.citations = sorted({numbers[state.evidence[e].doc_id] for e in point.evidence_ids})

    for point in report.what_we_know:
        cite(point)
    for d in report.disagreements:
        sides = [
            Point(text=d.claim, evidence_ids=d.evidence_ids),
            Point(text=d.counter, evidence_ids=[d.counter_evidence_id]),
        ]
        for side in sides:
            cite(side)
        d.citations, d.counter_citation = sides[0].citations, sides[1].citations[0]
    for point in report.context:
        cite(point)
    for section in report.stakeholders:
        for sp in section.points:
            cite(sp.point)
    for point in report.obstacles + report.watch_and_do + report.bottom_line:
        cite(point)
    for q in report.quotations:
        holder = Point(text=q.text, evidence_ids=[q.evidence_id])
        cite(holder)
        q.citation = holder.citations[0]
    report.sources = sources
    return report


def assemble_report(state: RunState, draft: Draft, verifier: Verifier) -> tuple[Report, AssemblyStats]:
    stats = AssemblyStats()
    b, p = state.budgets, state.perspective

    written = _Written()

    def checked(section: str, sentences: list[CitedSentence], keep_unsupported: bool) -> list[Point]:
        points = (_checked(section, s, state, verifier, keep_unsupported, stats, written) for s in sentences)
        return [pt for pt in points if pt]

    known = checked("what_we_know", draft.what_we_know, keep_unsupported=False)
    for claim in (c for c in state.claims if c.verdict == "supported"):
        if len(known) >= b.min_known_facts:
            break
        if written.fresh(claim.text):
            known.append(Point(text=claim.text, evidence_ids=valid_ids(claim.evidence_ids, state.evidence)))
    context = checked("context", draft.context, keep_unsupported=True)
    obstacles = checked("obstacles", draft.obstacles, keep_unsupported=True)
    if not any(pt.kind == "fact" for pt in obstacles):
        obstacles += _reported_obstacles(state, written, limit=3)
    judged = [t for t in draft.watch_and_do if not _unusable(t) and written.fresh(t)]
    watch = judged or [f"Hold the red line: {line}." for line in p.red_lines[:3]]
    bottom = [t for t in draft.bottom_line if not _unusable(t) and written.fresh(t)] or [NOT_ASSESSED]
    # "In short" must add something: not an echo, not a copy of a sentence already in the report.
    usable = not _unusable(draft.in_short) and written.fresh(draft.in_short)
    in_short = draft.in_short if usable else bottom[0]

    quotes = find_quotations(list(state.evidence.values()), f"{p.actor} {state.question}", b.max_quotations)
    report = Report(
        question=state.question,
        perspective_id=p.id,
        agent=p.signature,
        organisation=p.organisation,
        actor=p.actor,
        as_of=state.as_of,
        what_we_know=known,
        disagreements=list(state.disagreements),
        context=context,
        stakeholders=_stakeholder_sections(state),
        obstacles=obstacles,
        watch_and_do=[Point(text=t, kind="judgement") for t in watch],
        bottom_line=[Point(text=t, kind="judgement") for t in bottom],
        in_short=in_short,
        quotations=[
            Quotation(
                text=span,
                evidence_id=e.id,
                citation=0,
                attribution=f"{e.publisher}, {e.published or 'undated'}: {e.title}",
            )
            for span, e in quotes
        ],
        sources=[],
    )
    return _number_sources(report, state), stats
