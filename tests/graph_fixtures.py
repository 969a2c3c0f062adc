"""Scripted replies for a whole run over the mini corpus (tests/conftest.py)."""

from __future__ import annotations

from scripted import RoutedFakeChatModel, cited

PLAN = {"sub_queries": ["Istanbul prisoner exchange"], "stakeholders": ["Kremlin", "Istanbul", "Turkey"]}
CLAIMS = {
    "claims": [
        cited("Both sides agreed to exchange 1,000 prisoners each.", "t-001#1"),
        cited("Kyiv rejected the demand as an ultimatum.", "t-002#1"),
    ]
}
STAKEHOLDER = {
    "interests": cited("{actor} wants a durable settlement on its own terms.", "t-001#1"),
    "leverage": cited("{actor}'s leverage rests on its battlefield position.", "t-002#1"),
    "likely_next_move": cited("{actor} is likely to keep talking through Turkey.", "t-003#1"),
}
DRAFT = {
    "what_we_know": [
        cited("Russian and Ukrainian delegations met in Istanbul on 16 May 2025.", "t-001#1"),
        # A fabricated number: the source says 1,000.
        cited("Both sides agreed to exchange 5,000 prisoners each.", "t-001#1"),
        # A citation to an unrelated passage: the grain deal says nothing of this.
        cited("Turkey offered to host further rounds of talks in Istanbul.", "t-004#1"),
    ],
    "context": [cited("Russia demanded that Ukraine withdraw its troops from four regions.", "t-002#1")],
    "obstacles": [cited("Moscow secretly agreed to a full ceasefire in April.", "t-002#1")],
    "watch_and_do": ["Ukraine should keep humanitarian and political tracks separate."],
    "bottom_line": ["The offer is a signal more than a change of position."],
    "in_short": "The door is open, but the terms have not moved.",
}


def stakeholder_reply(actor: str) -> dict:
    return {k: {**v, "text": v["text"].format(actor=actor)} for k, v in STAKEHOLDER.items()}


def scripted_model(draft: dict | str | None = None) -> RoutedFakeChatModel:
    routes = [("Plan research", PLAN), ("atomic factual claims", CLAIMS)]
    routes += [
        (f"Actor to analyse: {a}", stakeholder_reply(a))
        for a in ("Ukraine", "Russia", "Turkey", "United States", "European Union")
    ]
    routes.append(("Write an assessment", draft or DRAFT))
    return RoutedFakeChatModel(routes=routes)
