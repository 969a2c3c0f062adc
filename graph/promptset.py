"""Prompt files and the hash of the prompt set that every run and eval result records."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PROMPT_DIR = Path(__file__).parent / "prompts"


@cache
def load_prompts(folder: Path = PROMPT_DIR) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}


def prompt_set_hash(folder: Path = PROMPT_DIR) -> str:
    """sha256 over every prompt's name and text: any edit changes it."""
    digest = hashlib.sha256()
    for name, text in sorted(load_prompts(folder).items()):
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()[:12]


def render(name: str, **values: object) -> str:
    return load_prompts()[name].format(**values).strip()
