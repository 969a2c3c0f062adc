"""Fitted weights of the feature-based verifiers, stored as JSON beside them (`<name>_weights.json`)."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from pydantic import BaseModel

HERE = Path(__file__).parent


class Weights(BaseModel):
    bias: float
    weights: list[float]
    threshold: float = 0.5
    fitted_on: str = ""

    def probability(self, vector: list[float]) -> float:
        z = self.bias + sum(a * b for a, b in zip(self.weights, vector, strict=True))
        return 1 / (1 + math.exp(-z))


def weights_file(verifier: str) -> Path:
    return HERE / f"{verifier}_weights.json"


@cache
def load_weights(verifier: str) -> Weights:
    return Weights.model_validate_json(weights_file(verifier).read_text(encoding="utf-8"))
