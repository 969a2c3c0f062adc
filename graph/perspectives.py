"""Perspectives are data: datasets/perspectives/*.yaml, one vantage point per file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from vantage.tools.errors import InputError
from vantage.tools.search.corpus import datasets_dir


class Perspective(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z]{2,8}-\d{2}$")
    code: str  # "UA-01"
    agent: str  # "Ukraine Agent"
    actor: str  # whose interests the assessment serves: "Ukraine"
    organisation: str = "vantage"
    interests: list[str] = Field(min_length=1)
    red_lines: list[str] = Field(min_length=1)
    default_stakeholders: list[str] = Field(min_length=2)
    is_party: bool = Field(default=True, description="false for neutral analysts: not a stakeholder")

    @property
    def signature(self) -> str:
        return f"{self.code}, {self.agent}"


@cache
def load_perspectives(folder: Path | None = None) -> dict[str, Perspective]:
    folder = folder or datasets_dir() / "perspectives"
    found: dict[str, Perspective] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            perspective = Perspective.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ValidationError) as exc:
            raise InputError(f"{path}: invalid perspective ({str(exc).splitlines()[0]})") from exc
        found[perspective.id] = perspective
    return found


def get_perspective(name: str) -> Perspective:
    perspectives = load_perspectives()
    key = name.strip().lower()
    by_code = {p.code.lower(): p for p in perspectives.values()}
    by_actor = {p.actor.lower(): p for p in perspectives.values()}
    found = perspectives.get(key) or by_code.get(key) or by_actor.get(key)
    if found is None:
        known = ", ".join(f"{p.id} ({p.actor})" for p in perspectives.values())
        raise InputError(f"unknown perspective {name!r}; known: {known}")
    return found
