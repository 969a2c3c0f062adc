"""Claim verifiers shared by the graph's fact_check/synthesis nodes and the eval metrics."""

from __future__ import annotations

from vantage.tools.errors import InputError

from .base import EvidenceText, Verdict, VerdictLabel, Verifier
from .lexical import LexicalVerifier

VERIFIERS = ("lexical",)


def make_verifier(name: str | None = None) -> Verifier:
    name = (name or "lexical").strip()
    if name == "lexical":
        return LexicalVerifier()
    raise InputError(f"unknown verifier {name!r}; available: {', '.join(VERIFIERS)}")


__all__ = [
    "VERIFIERS",
    "EvidenceText",
    "LexicalVerifier",
    "Verdict",
    "VerdictLabel",
    "Verifier",
    "make_verifier",
]
