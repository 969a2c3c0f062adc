"""The Report: a typed assessment, rendered to Markdown in the section order of DESIGN.md.

Citation numbers are assigned here, by code, from evidence ids; a model never types them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

SECTION_TITLES = (
    "What we know",
    "Why this is happening (strategic context)",
    "The key obstacles",
    "What {actor} must watch & do",
    "Bottom-line assessment",
    "Quotations for reflection",
    "Sources",
)


class Point(BaseModel):
    """One bullet. A `fact` carries citations to sources that the verifier judged to support it;
    a `judgement` is the analyst's reasoning and is labelled as such when it replaced a fact."""

    text: str
    kind: Literal["fact", "judgement"] = "fact"
    evidence_ids: list[str] = Field(default_factory=list)
    citations: list[int] = Field(default_factory=list)
    demoted: bool = Field(default=False, description="written as fact, not supported, kept as judgement")


class Disagreement(BaseModel):
    """Two outlets that report the same matter differently. Both are shown; neither is chosen."""

    claim: str = Field(description="what the supporting sources report")
    evidence_ids: list[str]
    citations: list[int] = Field(default_factory=list)
    counter: str = Field(description="the disputing source's own sentence, verbatim")
    counter_evidence_id: str
    counter_citation: int = 0
    counter_publisher: str
    reason: str = Field(description="the detail the two disagree on, as the verifier found it")


class StakeholderPoint(BaseModel):
    label: Literal["Stated position", "Interests", "Leverage", "Likely next move"]
    point: Point


class StakeholderSection(BaseModel):
    actor: str
    points: list[StakeholderPoint]


class Quotation(BaseModel):
    text: str = Field(description="verbatim span of the cited passage")
    evidence_id: str
    citation: int
    attribution: str


class Source(BaseModel):
    n: int
    doc_id: str
    title: str
    publisher: str
    published: date | None
    url: str | None


DraftOutcome = Literal["as_cited", "re_attributed", "demoted", "dropped", "repeat"]


class DraftCheck(BaseModel):
    """What assembly did with one factual sentence of the model's draft. Code repairs a wrong
    citation, so the report alone hides how well the prompt made the model cite; this keeps it."""

    section: str
    text: str
    cited: list[str] = Field(default_factory=list, description="evidence ids the model gave")
    outcome: DraftOutcome


class RunInfo(BaseModel):
    run_id: str
    model_id: str
    prompt_hash: str
    search: str
    verifier: str
    started_at: datetime
    wall_time_s: float = 0.0
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    dropped_sentences: int = 0
    demoted_sentences: int = 0
    draft_checks: list[DraftCheck] = Field(default_factory=list)
    fact_check_rounds: int = 0
    evidence_items: int = 0
    degraded: list[str] = Field(default_factory=list)
    budgets: dict[str, object] = Field(default_factory=dict)


class Report(BaseModel):
    question: str
    perspective_id: str
    agent: str = Field(description='signature, e.g. "UA-01, Ukraine Agent"')
    organisation: str
    actor: str
    as_of: date | None = None
    what_we_know: list[Point]
    disagreements: list[Disagreement] = Field(default_factory=list)
    context: list[Point]
    stakeholders: list[StakeholderSection]
    obstacles: list[Point]
    watch_and_do: list[Point]
    bottom_line: list[Point]
    in_short: str
    quotations: list[Quotation]
    sources: list[Source]
    run: RunInfo | None = None

    def section_titles(self) -> list[str]:
        return [t.format(actor=self.actor) for t in SECTION_TITLES]


def _bullet(point: Point) -> str:
    cites = "".join(f"[{n}]" for n in point.citations)
    label = "*Judgement:* " if point.demoted else ""
    return f"- {label}{point.text}{' ' + cites if cites else ''}"


def _disagreement(d: Disagreement) -> str:
    cites = "".join(f"[{n}]" for n in d.citations)
    counter = f"{d.counter_publisher} reports: “{d.counter}” [{d.counter_citation}]"
    return f"- *Sources disagree:* {d.claim} {cites}; {counter}"


def render_markdown(report: Report) -> str:
    titles = report.section_titles()
    out = [
        f"# {report.question}",
        "",
        f"**{report.agent}** — assessment" + (f" as of {report.as_of.isoformat()}" if report.as_of else ""),
        "",
    ]
    out += [f"## {titles[0]}", *map(_bullet, report.what_we_know), *map(_disagreement, report.disagreements), ""]
    out += [f"## {titles[1]}", *map(_bullet, report.context)]
    for section in report.stakeholders:
        out += ["", f"**{section.actor}**"]
        out += [_bullet(sp.point).replace("- ", f"- {sp.label}: ", 1) for sp in section.points]
    out += ["", f"## {titles[2]}", *map(_bullet, report.obstacles), ""]
    out += [f"## {titles[3]}", *map(_bullet, report.watch_and_do), ""]
    out += [f"## {titles[4]}", *map(_bullet, report.bottom_line), "", f"In short: {report.in_short}", ""]
    out += [f"## {titles[5]}"]
    if report.quotations:
        for q in report.quotations:
            out += [f"> “{q.text}”", f"> — {q.attribution} [{q.citation}]", ""]
    else:
        out += ["No verbatim quotation was found in the gathered sources.", ""]
    out += [f"## {titles[6]}"]
    for s in report.sources:
        when = s.published.isoformat() if s.published else "undated"
        out.append(f"{s.n}. {s.title} — {s.publisher}, {when}. {s.url or f'corpus:{s.doc_id}'}")
    out += ["", "---", report.agent, report.organisation]
    return "\n".join(out) + "\n"
