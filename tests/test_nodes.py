"""Each node on its own, with scripted models."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from graph_fixtures import CLAIMS, DRAFT, PLAN
from scripted import RoutedFakeChatModel, cited
from vantage.evals.verifiers import LexicalVerifier
from vantage.graph.assemble import Draft, assemble_report
from vantage.graph.nodes.dispatch import dispatch
from vantage.graph.nodes.fact_check import make_fact_check
from vantage.graph.nodes.plan import make_plan, obstacle_query
from vantage.graph.nodes.research import make_research
from vantage.graph.nodes.stakeholders import NOT_ASSESSED, make_stakeholders, stated_position
from vantage.graph.perspectives import get_perspective
from vantage.graph.state import Claim, Evidence, ResearchTask, RunState, StakeholderTask
from vantage.tools.search import make_search

QUESTION = "Russia says it is ready to resume talks with Ukraine in Istanbul. What is your assessment?"


def state_with_evidence(corpus_file: Path, **extra: object) -> RunState:
    search = make_search("local", corpus_file)
    evidence = {
        p.id: Evidence(**p.model_dump()) for d in search.documents for p in search.index.passages if p.doc_id == d
    }
    return RunState(question=QUESTION, perspective=get_perspective("ua-01"), evidence=evidence, **extra)


def test_plan_searches_the_question_and_maps_stakeholders_to_known_actors() -> None:
    model = RoutedFakeChatModel(routes=[("Plan research", PLAN)])
    out = make_plan(model)(RunState(question=QUESTION, perspective=get_perspective("ua-01")), {})
    assert out["sub_queries"][0] == QUESTION
    assert "Istanbul prisoner exchange" in out["sub_queries"]
    assert len(out["sub_queries"]) <= 5
    # One search looks for what stands in the way: the report's obstacles come from it.
    assert out["sub_queries"][-1] == obstacle_query(QUESTION) and "rejected" in obstacle_query(QUESTION)
    assert out["stakeholders"][:2] == ["Ukraine", "Russia"]  # "Kremlin" maps to Russia
    assert "Istanbul" not in out["stakeholders"]  # a place, not an actor
    assert not out["degraded"]


def test_plan_keeps_a_perspectives_usual_counterparts_out_of_an_unrelated_question() -> None:
    # eu-01's default stakeholders are Russia and Ukraine; a Gaza question should not search them.
    plan = {"sub_queries": ["Gaza ceasefire collapse"], "stakeholders": ["Israel", "Hamas"]}
    model = RoutedFakeChatModel(routes=[("Plan research", plan)])
    question = "Why did the January 2025 Gaza ceasefire collapse in March?"
    out = make_plan(model)(RunState(question=question, perspective=get_perspective("eu-01")), {})
    assert out["stakeholders"] == ["European Union", "Israel", "Hamas"]  # its own actor, then the question's
    assert not any("Russia" in q or "Kremlin" in q for q in out["sub_queries"])
    # With nothing to go on (no plan, no actor named), the defaults are still the fallback.
    silent = RoutedFakeChatModel(routes=[("Plan research", "not json")])
    fallback = make_plan(silent)(RunState(question="What happens next?", perspective=get_perspective("eu-01")), {})
    assert fallback["stakeholders"] == list(get_perspective("eu-01").default_stakeholders)


def test_plan_degrades_when_the_model_gives_garbage() -> None:
    model = RoutedFakeChatModel(routes=[("Plan research", "not json at all")])
    out = make_plan(model)(RunState(question=QUESTION, perspective=get_perspective("ua-01")), {})
    assert out["sub_queries"][0] == QUESTION
    assert out["stakeholders"][0] == "Ukraine"
    assert out["degraded"] and "plan" in out["degraded"][0]


def test_research_keeps_one_passage_per_document_with_stable_ids(corpus_file: Path) -> None:
    research = make_research(make_search("local", corpus_file))
    out = research(ResearchTask(query="Istanbul talks Russia Ukraine", k=2, round=1))
    ids = list(out["evidence"])
    assert len({i.split("#")[0] for i in ids}) == len(ids)
    assert all(e.round == 1 and e.query for e in out["evidence"].values())
    assert (
        research(ResearchTask(query="Istanbul talks Russia Ukraine", k=2))["evidence"].keys()
        == out["evidence"].keys()
    )
    dated = research(ResearchTask(query="Istanbul talks Turkey host", k=4, as_of=date(2025, 5, 31)))
    assert all(e.published <= date(2025, 5, 31) for e in dated["evidence"].values())


def test_fact_check_verifies_claims_and_stops_when_supported(corpus_file: Path) -> None:
    model = RoutedFakeChatModel(routes=[("atomic factual claims", CLAIMS)])
    out = make_fact_check(model, LexicalVerifier())(state_with_evidence(corpus_file), {})
    assert [c.verdict for c in out["claims"]] == ["supported", "supported"]
    assert out["claims"][0].evidence_ids == ["t-001#1"]
    assert out["follow_up_queries"] == [] and out["fact_check_rounds"] == 1


def test_fact_check_fallback_skips_lead_sentences_the_report_cannot_carry(corpus_file: Path) -> None:
    # A model that returns nothing usable falls back to lead sentences; a lead of 221-240 characters
    # (too long for the sentence pattern) used to crash the node instead of being skipped.
    state = state_with_evidence(corpus_file)
    first = next(iter(state.evidence.values()))
    run_on = "Delegations " + "met and talked and argued " * 7 + "at length in Istanbul on 16 May 2025."
    assert 220 < len(run_on) <= 240
    ledger = {first.id: first.model_copy(update={"text": run_on}), **dict(list(state.evidence.items())[1:])}
    model = RoutedFakeChatModel(routes=[("atomic factual claims", "not json at all")])
    out = make_fact_check(model, LexicalVerifier())(state.model_copy(update={"evidence": ledger}), {})
    assert out["claims"] and all(c.origin == "extracted" for c in out["claims"])
    assert all(c.text != run_on for c in out["claims"])
    assert out["degraded"] and "lead sentences" in out["degraded"][0]


def test_dispatch_picks_stakeholders_from_the_first_round_of_evidence_only(corpus_file: Path) -> None:
    state = state_with_evidence(corpus_file)
    assert dispatch(state)["stakeholders"][0] == "Ukraine"  # the perspective's own actor leads
    assert dispatch(state.model_copy(update={"fact_check_rounds": 1})) == {}


def test_an_actor_found_only_by_its_own_search_is_no_stakeholder(corpus_file: Path) -> None:
    """The 0.5B plan once listed Russia for a Gaza hostages question; the search for "Russia Russian
    Moscow Kremlin" then found Russia named, and the report got a Russia section."""
    state = state_with_evidence(corpus_file)
    text = "Moscow said the Kremlin was ready to host the next round."
    own_search = Evidence(
        id="ru-1#1",
        doc_id="ru-1",
        title="t",
        publisher="p",
        url=None,
        published=None,
        text=text,
        query="Russia Kremlin",
    )
    gaza = RunState(
        question="How many hostages came home under the January deal?",
        perspective=get_perspective("il-01"),
        stakeholders=["Israel", "Russia"],
        evidence={own_search.id: own_search},
    )
    assert "Russia" not in dispatch(gaza)["stakeholders"]
    # Named by a passage another search fetched, it is one.
    other = own_search.model_copy(update={"id": "ru-2#1", "query": "hostage deal January"})
    assert "Russia" in dispatch(gaza.model_copy(update={"evidence": {other.id: other}}))["stakeholders"]
    # Named by the question, it stays whatever the evidence says.
    asked = state.model_copy(
        update={"evidence": {own_search.id: own_search}, "stakeholders": ["Ukraine", "Russia"]}
    )
    assert "Russia" in dispatch(asked)["stakeholders"]


def test_fact_check_loops_on_unverified_claims_but_only_so_often(corpus_file: Path) -> None:
    unsupported = {"claims": [cited("NATO deployed 40,000 troops to Odesa in March.", "t-001#1")]}
    model = RoutedFakeChatModel(routes=[("atomic factual claims", unsupported)])
    node = make_fact_check(model, LexicalVerifier())
    first = node(state_with_evidence(corpus_file), {})
    assert first["claims"][0].verdict == "unverified"
    assert first["follow_up_queries"] == ["NATO deployed 40,000 troops to Odesa in March."]
    last = node(state_with_evidence(corpus_file, claims=first["claims"], fact_check_rounds=2), {})
    assert last["follow_up_queries"] == []  # budget of two extra rounds spent
    assert len(model.prompts) == 1  # later rounds re-verify without asking the model again


def test_stakeholder_position_is_the_sources_sentence_about_the_actor(corpus_file: Path) -> None:
    state = state_with_evidence(corpus_file)
    position = stated_position("Turkey", QUESTION, list(state.evidence.values()))
    assert "Erdogan said Turkey was ready to host" in position.text
    assert position.evidence_ids == ["t-003#1"]


@pytest.mark.parametrize(
    "next_move",
    [
        "Ukraine's leverage is Western support.",  # a copy of another field
        "Ukraine is likely to ask its partners for先进的武器.",  # the 0.5B model drifting into Chinese
    ],
)
def test_stakeholder_analysis_that_is_unusable_is_rejected(corpus_file: Path, next_move: str) -> None:
    state = state_with_evidence(corpus_file)
    reply = {
        "interests": cited("Russia wants Ukraine to withdraw.", "t-002#1"),
        "leverage": cited("Ukraine's leverage is Western support.", "t-001#1"),
        "likely_next_move": cited(next_move, "t-001#1"),
    }
    model = RoutedFakeChatModel(routes=[("Actor to analyse: Ukraine", reply)])
    task = StakeholderTask(
        actor="Ukraine",
        question=QUESTION,
        perspective=state.perspective,
        evidence=list(state.evidence.values()),
        max_tokens=state.budgets.tokens.stakeholders,
    )
    view = make_stakeholders(model)(task, {})["views"][0]
    assert view.interests.text == NOT_ASSESSED  # written about Russia
    assert view.leverage.text == "Ukraine's leverage is Western support."
    assert view.likely_next_move.text == NOT_ASSESSED


def test_synthesis_catches_fabricated_number_and_unrelated_citation(corpus_file: Path) -> None:
    state = state_with_evidence(
        corpus_file,
        claims=[
            Claim(
                id="c1",
                text="Kyiv rejected the demand as an ultimatum.",
                evidence_ids=["t-002#1"],
                verdict="supported",
            ),
        ],
    )
    report, stats = assemble_report(state, Draft.model_validate(DRAFT), LexicalVerifier())
    known = [p.text for p in report.what_we_know]
    assert not any("5,000" in t for t in known)  # fabricated number dropped
    host = next(p for p in report.what_we_know if p.text.startswith("Turkey offered"))
    assert host.evidence_ids == ["t-003#1"]  # unrelated citation replaced by the supporting source
    assert "t-004#1" not in {e for p in report.what_we_know for e in p.evidence_ids}
    demoted = [p for p in report.obstacles if p.demoted]
    assert demoted and demoted[0].text.startswith("Moscow secretly") and not demoted[0].citations
    assert stats.dropped == 1 and stats.demoted == 1
    assert "Kyiv rejected the demand as an ultimatum." in known  # topped up from verified claims
    # The run record keeps what the model drafted and what code had to repair.
    outcomes = {c.text.split()[0]: c.outcome for c in stats.checks}
    assert outcomes["Turkey"] == "re_attributed" and outcomes["Moscow"] == "demoted"
    assert [c.outcome for c in stats.checks].count("dropped") == 1
    assert len(stats.checks) == sum(len(DRAFT[s]) for s in ("what_we_know", "context", "obstacles"))


def test_sources_are_numbered_in_reading_order_and_quotes_are_verbatim(corpus_file: Path) -> None:
    state = state_with_evidence(corpus_file)
    report, _ = assemble_report(state, Draft.model_validate(DRAFT), LexicalVerifier())
    assert [s.n for s in report.sources] == list(range(1, len(report.sources) + 1))
    first_cited = report.what_we_know[0].citations[0]
    assert first_cited == 1
    by_n = {s.n: s for s in report.sources}
    for q in report.quotations:
        assert q.text in state.evidence[q.evidence_id].text
        assert by_n[q.citation].doc_id == state.evidence[q.evidence_id].doc_id


@pytest.mark.parametrize("field", ["watch_and_do", "bottom_line"])
@pytest.mark.parametrize(
    "unusable",
    [
        "Ukraine must watch and do the following:",
        "Ukraine should press Western partners for先进的武器 before any Istanbul meeting.",
    ],
)
def test_prompt_echoes_and_language_drift_are_not_published(corpus_file: Path, field: str, unusable: str) -> None:
    draft = {**DRAFT, field: [unusable]}
    report, _ = assemble_report(state_with_evidence(corpus_file), Draft.model_validate(draft), LexicalVerifier())
    assert all(p.text != unusable for p in getattr(report, field))
    assert getattr(report, field)


@pytest.mark.parametrize("field", ["context", "obstacles"])
def test_an_unsupported_sentence_that_echoes_the_prompt_is_dropped_not_kept_as_judgement(
    corpus_file: Path, field: str
) -> None:
    """The embedded model once drafted the prompt's own "each side's motives and signalling, from
    the evidence" as context; it was published as a judgement."""
    echo = {"text": "Each side's motives and signalling, from the evidence.", "evidence_ids": ["t-001#1"]}
    draft = {**DRAFT, field: [echo, *DRAFT[field]]}
    state = state_with_evidence(corpus_file)
    report, stats = assemble_report(state, Draft.model_validate(draft), LexicalVerifier())
    assert all("signalling" not in p.text for p in getattr(report, field))
    assert [c.outcome for c in stats.checks if c.text == echo["text"]] == ["dropped"]


def test_in_short_that_copies_a_fact_is_replaced(corpus_file: Path) -> None:
    copied = "Russian and Ukrainian delegations met in Istanbul on 16 May 2025."
    draft = Draft.model_validate({**DRAFT, "in_short": copied})
    report, _ = assemble_report(state_with_evidence(corpus_file), draft, LexicalVerifier())
    assert report.in_short == report.bottom_line[0].text != copied


def test_outlets_that_disagree_are_both_reported(corpus_file: Path) -> None:
    from vantage.graph.nodes.fact_check import find_disagreements
    from vantage.graph.report import render_markdown

    state = state_with_evidence(corpus_file)
    rival = Evidence(
        id="t-009#1",
        doc_id="t-009",
        title="Swap figures disputed",
        publisher="TASS",
        url=None,
        published=date(2025, 5, 17),
        text="Russian and Ukrainian delegations in Istanbul agreed to exchange 1,200 prisoners each.",
    )
    ledger = {**state.evidence, rival.id: rival}
    claim = Claim(
        id="c1",
        text="Both sides agreed to exchange 1,000 prisoners each.",
        evidence_ids=["t-001#1"],
        verdict="supported",
    )
    twice = claim.model_copy(update={"id": "c2"})  # fact_check can keep the same claim twice
    found = find_disagreements([claim, twice], ledger, LexicalVerifier())
    assert [d.counter_evidence_id for d in found] == ["t-009#1"]
    assert "1,200" in found[0].counter and found[0].counter_publisher == "TASS"

    state = state.model_copy(update={"evidence": ledger, "claims": [claim], "disagreements": found})
    report, _ = assemble_report(state, Draft(**DRAFT_EMPTY), LexicalVerifier())
    md = render_markdown(report)
    assert "*Sources disagree:*" in md and "TASS reports" in md
    line = next(x for x in md.splitlines() if "Sources disagree" in x)
    n_rival = next(s.n for s in report.sources if s.doc_id == "t-009")
    assert f"[{n_rival}]" in line  # the rival outlet is cited, not silently dropped


DRAFT_EMPTY = {
    "what_we_know": [],
    "context": [],
    "obstacles": [],
    "watch_and_do": [],
    "bottom_line": [],
    "in_short": "x",
}
