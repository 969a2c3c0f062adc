"""The lexical verifier: support needs overlap and agreement on numbers, names, dates, polarity."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from vantage.evals.verifiers import LexicalVerifier, make_verifier
from vantage.tools.errors import InputError

PASSAGES = [
    SimpleNamespace(
        id="a#1",
        text="Russia and Ukraine agreed on 16 May 2025 in Istanbul to exchange 1,000 "
        "prisoners each. The talks lasted under two hours.",
    ),
    SimpleNamespace(id="b#1", text="Turkey's foreign minister Hakan Fidan hosted the meeting."),
]


@pytest.mark.parametrize(
    ("claim", "label"),
    [
        ("Russia and Ukraine agreed to swap 1,000 prisoners each in Istanbul.", "supported"),
        ("Russia and Ukraine agreed to swap 1,200 prisoners each in Istanbul.", "contradicted"),
        ("Russia and Ukraine did not agree to exchange prisoners in Istanbul.", "contradicted"),
        ("Belarus and Ukraine agreed to exchange 1,000 prisoners each.", "unverified"),
        ("Russia and Ukraine agreed in June 2025 to exchange 1,000 prisoners each.", "unverified"),
        ("The European Union imposed new sanctions on Russian banks.", "unverified"),
    ],
)
def test_verdicts(claim: str, label: str) -> None:
    assert LexicalVerifier().verify(claim, PASSAGES).label == label


def test_cites_only_the_passages_that_support() -> None:
    verdict = LexicalVerifier().verify("Russia and Ukraine agreed to exchange 1,000 prisoners.", PASSAGES)
    assert verdict.evidence_ids == ["a#1"]


def test_no_passages_is_unverified() -> None:
    assert LexicalVerifier().verify("Anything at all happened.", []).label == "unverified"


def test_unknown_verifier() -> None:
    with pytest.raises(InputError, match="available"):
        make_verifier("oracle")
