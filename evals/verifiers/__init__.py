"""Claim verifiers shared by the graph's fact_check/synthesis nodes and the eval metrics."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from vantage.tools.errors import InputError

from .base import EvidenceText, Verdict, VerdictLabel, Verifier
from .lexical import LexicalVerifier

VERIFIERS = ("lexical", "embedding", "llm")


def make_verifier(name: str | None = None, model: BaseChatModel | None = None) -> Verifier:
    """`lexical` (default, no model), `embedding` (optional extra) or `llm` (judges with `model`)."""
    name = (name or "lexical").strip()
    if name == "lexical":
        return LexicalVerifier()
    if name == "embedding":
        from .embedding import EmbeddingVerifier

        return EmbeddingVerifier()
    if name == "llm":
        if model is None:
            raise InputError("the llm verifier needs a chat model (--model)")
        from .llm import LLMVerifier

        return LLMVerifier(model)
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
