"""A good report for golden case ist-q1, written from the Istanbul corpus (datasets/corpus), and the
defects planted in copies of it for the metric sensitivity tests.

Every factual sentence is a span of a corpus passage (`span`) or a close restatement of the
passages it cites; tests/test_metrics.py checks that the verifier finds each one supported.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache

from vantage.evals.datasets import GoldenCase, load_golden
from vantage.evals.scorecard import corpus_passages
from vantage.graph.report import (
    DraftCheck,
    Point,
    Quotation,
    Report,
    RunInfo,
    Source,
    StakeholderPoint,
    StakeholderSection,
)
from vantage.tools.search import Passage
from vantage.tools.search.corpus import datasets_dir

CASE_ID = "ist-q1"


@cache
def golden_case() -> GoldenCase:
    cases = load_golden(datasets_dir() / "golden" / "core.yaml").cases
    return next(c for c in cases if c.id == CASE_ID)


@cache
def passages() -> dict[str, Passage]:
    return corpus_passages()


def span(passage_id: str, start: str) -> str:
    """The exact text of a passage from `start` through the next full stop."""
    text = passages()[passage_id].text
    i = text.index(start)
    return text[i : text.index(".", i + len(start)) + 1]


def fact(text: str, *evidence_ids: str) -> Point:
    return Point(text=text, evidence_ids=list(evidence_ids))


def judgement(text: str, *evidence_ids: str) -> Point:
    return Point(text=text, kind="judgement", evidence_ids=list(evidence_ids))


def stakeholder(actor: str, position: Point, interests: str, leverage: str, next_move: str) -> StakeholderSection:
    return StakeholderSection(
        actor=actor,
        points=[
            StakeholderPoint(label="Stated position", point=position),
            StakeholderPoint(label="Interests", point=judgement(interests)),
            StakeholderPoint(label="Leverage", point=judgement(leverage)),
            StakeholderPoint(label="Likely next move", point=judgement(next_move)),
        ],
    )


def _number_sources(report: Report) -> Report:
    """Source numbers follow first citation in reading order, as graph/assemble.py numbers them."""
    numbers: dict[str, int] = {}

    def cite(ids: list[str]) -> list[int]:
        for eid in ids:
            doc = passages()[eid].doc_id
            numbers.setdefault(doc, len(numbers) + 1)
        return sorted({numbers[passages()[e].doc_id] for e in ids})

    points = [*report.what_we_know, *report.context]
    points += [sp.point for s in report.stakeholders for sp in s.points]
    points += [*report.obstacles, *report.watch_and_do, *report.bottom_line]
    for point in points:
        point.citations = cite(point.evidence_ids)
    for q in report.quotations:
        q.citation = cite([q.evidence_id])[0]
    report.sources = [source(n, doc) for doc, n in numbers.items()]
    return report


def source(n: int, doc_id: str) -> Source:
    p = next(p for p in passages().values() if p.doc_id == doc_id)
    return Source(n=n, doc_id=doc_id, title=p.title, publisher=p.publisher, published=p.published, url=p.url)


def good_report() -> Report:
    """A fresh copy each call: defects mutate it."""
    case = golden_case()
    what_we_know = [
        fact(span("ist-040#1", "Alexei Polishchuk, director"), "ist-040#1"),
        fact(span("ist-041#1", "The official, Alexei Polishchuk"), "ist-041#1"),
        fact(
            span("ist-038#1", "Russian Deputy Foreign Minister Mikhail Galuzin")
            + " "
            + span("ist-038#2", "He said"),
            "ist-038#1",
            "ist-038#2",
        ),
        fact(span("ist-041#2", "Reuters noted that no face-to-face"), "ist-041#2"),
        # Restated from three passages: the date, the length and the exchange are in different ones.
        fact(
            "At the 23 July round, whose full-format session lasted about 40 minutes, the sides agreed to "
            "exchange another 1,200 prisoners of war each.",
            "ist-037#1",
            "ist-037#2",
            "ist-036#2",
        ),
        fact(span("ist-041#2", "The Kremlin subsequently said"), "ist-041#2"),
        fact(span("ist-044#1", "National Security and Defense Council Secretary Rustem Umerov"), "ist-044#1"),
        fact(span("ist-049#2", "Earlier the same day Erdogan said"), "ist-049#2"),
        fact(span("ist-049#1", "Kremlin spokesperson Dmitry Peskov"), "ist-049#1"),
    ]
    context = [
        fact(span("ist-023#1", "For a ceasefire to be established"), "ist-023#1"),
        fact(span("ist-023#2", "The second consists of ten points"), "ist-023#2"),
        fact(span("ist-023#3", "Another section lists parameters"), "ist-023#3"),
        fact(span("ist-028#1", "Ukrainian President Volodymyr Zelensky on 4 June"), "ist-028#1"),
        fact(span("ist-022#1", "The paper makes a full and unconditional ceasefire"), "ist-022#1"),
        fact(span("ist-022#3", "Territorial questions would be discussed"), "ist-022#3"),
        fact(span("ist-019#1", "Russia and Ukraine completed on 25 May"), "ist-019#1"),
        fact(span("ist-026#1", "Defence Minister Rustem Umerov, who led"), "ist-026#1"),
        fact(span("ist-032#1", "Umerov said Ukraine had managed"), "ist-032#1"),
    ]
    stakeholders = [
        stakeholder(
            "Ukraine",
            fact(span("ist-047#3", "Zelensky said Kyiv hoped"), "ist-047#3"),
            "Kyiv wants every captive home and a ceasefire before any talk of territory.",
            "Kyiv's leverage is Western backing and the humanitarian agreements Moscow has signed.",
            "Kyiv will press for exchanges through Ankara while refusing talks on the memorandum's terms.",
        ),
        stakeholder(
            "Russia",
            fact(span("ist-042#3", "Foreign Minister Sergei Lavrov said"), "ist-042#3"),
            "Moscow wants talks that ratify its memorandum and end arms deliveries to its opponent.",
            "Moscow's leverage is the battlefield and control over the pace of exchanges.",
            "Moscow will keep offering Istanbul publicly while holding to its memorandum.",
        ),
        stakeholder(
            "Turkey",
            fact(span("ist-047#1", "Turkish President Recep Tayyip Erdogan on 19 November"), "ist-047#1"),
            "Ankara wants to remain the indispensable venue and mediator.",
            "Ankara's leverage is its standing with both delegations as host of every round.",
            "Ankara will offer a broader Istanbul format and court Washington's involvement.",
        ),
        stakeholder(
            "United States",
            fact(span("ist-009#2", "Earlier, US Secretary of State Marco Rubio"), "ist-009#2"),
            "Washington wants a quick settlement it can claim as its own.",
            "Washington's leverage is sanctions and the supply of weapons.",
            "Washington will work on its own peace proposal alongside the Istanbul channel.",
        ),
        stakeholder(
            "European Union",
            fact(span("ist-042#3", "EFE noted that Kyiv accuses"), "ist-042#3"),
            "Brussels wants no settlement that rewards the invasion.",
            "Brussels holds the sanctions packages and the accession path.",
            "Brussels will tie any easing of sanctions to a ceasefire.",
        ),
    ]
    obstacles = [
        fact(span("ist-034#2", "The outlet noted that the Kremlin had reaffirmed"), "ist-034#2"),
        fact(span("ist-036#2", "Russia's lead negotiator Vladimir Medinsky said"), "ist-036#2"),
        fact(span("ist-026#2", "First Deputy Foreign Minister Serhiy Kyslytsya"), "ist-026#2"),
    ]
    watch_and_do = [
        judgement("Keep the humanitarian track apart from the political one and bank every exchange agreed."),
        judgement("Insist that a new round start from a full ceasefire, not from the other side's memorandum."),
    ]
    bottom_line = [
        judgement("The offer is a signal of readiness to talk on unchanged terms, not a change of position."),
        judgement("Humanitarian results are achievable; a political settlement through this channel is not near."),
    ]
    quotations = [
        Quotation(
            text="There is no point in prolonging the killings.",
            evidence_id="ist-006#1",
            citation=0,
            attribution="Volodymyr Zelenskyy, on X, 11 May 2025",
        ),
        Quotation(
            text="Look, nothing's going to happen until Putin and I get together.",
            evidence_id="ist-009#1",
            citation=0,
            attribution="Donald Trump, aboard Air Force One, 15 May 2025",
        ),
    ]
    report = Report(
        question=case.question,
        perspective_id=case.perspective,
        agent="UA-01, Ukraine Agent",
        organisation="vantage",
        actor="Ukraine",
        as_of=case.as_of,
        what_we_know=what_we_know,
        context=context,
        stakeholders=stakeholders,
        obstacles=obstacles,
        watch_and_do=watch_and_do,
        bottom_line=bottom_line,
        in_short="The door to Istanbul is open, but the terms behind it have not moved.",
        quotations=quotations,
        sources=[],
    )
    # As a run records it: the model drafted these facts and cited them well, so nothing was repaired.
    drafted = [("what_we_know", what_we_know), ("context", context), ("obstacles", obstacles)]
    report.run = RunInfo(
        run_id="fixture",
        model_id="scripted",
        prompt_hash="fixture",
        search="local",
        verifier="lexical",
        started_at=datetime(2025, 11, 20, 9, 0),
        draft_checks=[
            DraftCheck(section=section, text=p.text, cited=list(p.evidence_ids), outcome="as_cited")
            for section, points in drafted
            for p in points
        ],
    )
    return _number_sources(report)


# --- planted defects: each takes the good report and breaks one thing -----------------------------


def _point_with(report: Report, phrase: str) -> Point:
    points = [*report.what_we_know, *report.context, *report.obstacles]
    return next(p for p in points if phrase in p.text)


def _cite_new_doc(report: Report, doc_id: str) -> int:
    n = max(s.n for s in report.sources) + 1
    report.sources.append(source(n, doc_id))
    return n


def dropped_section(report: Report) -> None:
    report.watch_and_do = []


def unrelated_citation(report: Report) -> None:
    """The Peskov sentence now cites a Black Sea grain deal source that says nothing of it."""
    point = _point_with(report, "Dmitry Peskov")
    point.citations, point.evidence_ids = [_cite_new_doc(report, "bsg-001")], ["bsg-001#1"]


def extra_citation(report: Report) -> None:
    """A second, irrelevant source added to a supported sentence: joint support holds, precision falls."""
    point = _point_with(report, "Dmitry Peskov")
    point.citations.append(_cite_new_doc(report, "bsg-001"))
    point.evidence_ids.append("bsg-001#1")


def uncited_fact(report: Report) -> None:
    point = _point_with(report, "Dmitry Peskov")
    point.citations, point.evidence_ids = [], []


def changed_number(report: Report) -> None:
    point = _point_with(report, "1,200 prisoners of war")
    point.text = point.text.replace("1,200", "1,500")


def fabricated_quote(report: Report) -> None:
    report.quotations[0].text = "There is no point in talking to the Kremlin any longer."


def stakeholder_removed(report: Report) -> None:
    report.stakeholders = [s for s in report.stakeholders if s.actor != "European Union"]


def position_deleted(report: Report) -> None:
    russia = next(s for s in report.stakeholders if s.actor == "Russia")
    russia.points = [sp for sp in russia.points if sp.label != "Stated position"]


def false_claim_inserted(report: Report) -> None:
    """A golden false claim stated as fact, cited to a source on the Istanbul rounds."""
    n = next(s.n for s in report.sources if s.doc_id == "ist-047")
    report.what_we_know.append(
        Point(text=golden_case().false_claims[0], evidence_ids=["ist-047#3"], citations=[n])
    )


def uncited_draft(report: Report) -> None:
    """The model drafted three facts without citing them; assembly found their sources itself, so
    the report reads the same and only the run record shows the prompt stopped the model citing."""
    assert report.run is not None
    for check in report.run.draft_checks[:3]:
        check.cited, check.outcome = [], "re_attributed"


def analysis_not_assessed(report: Report) -> None:
    """The model's second bottom-line point was unusable; assembly put its placeholder there."""
    from vantage.graph.assemble import NOT_ASSESSED

    report.bottom_line[1].text = NOT_ASSESSED


def loaded_language(report: Report) -> None:
    report.bottom_line[0].text = "The offer is a stalling tactic by a terrorist regime, not a change of position."


DEFECTS: dict[str, Callable[[Report], None]] = {
    f.__name__: f
    for f in (
        dropped_section,
        unrelated_citation,
        extra_citation,
        uncited_fact,
        changed_number,
        fabricated_quote,
        stakeholder_removed,
        position_deleted,
        false_claim_inserted,
        uncited_draft,
        analysis_not_assessed,
        loaded_language,
    )
}


def defective_report(defect: str) -> Report:
    report = good_report()
    DEFECTS[defect](report)
    return report
