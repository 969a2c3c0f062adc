"""Prompt files and the hash of the prompt set that every run and eval result records."""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from vantage.tools.errors import InputError

PROMPT_DIR = Path(__file__).parent / "prompts"
# A folder of prompt variants to run instead of the package's own: to try an edit, or to probe the
# regression gate with one (python -m vantage.evals.sensitivity), without touching the package.
PROMPTS_ENV = "VANTAGE_PROMPTS"


def prompt_dir() -> Path:
    folder = os.environ.get(PROMPTS_ENV, "").strip()
    return Path(folder) if folder else PROMPT_DIR


def load_prompts(folder: Path | None = None) -> dict[str, str]:
    return _load(folder or prompt_dir())


@cache
def _load(folder: Path) -> dict[str, str]:
    prompts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}
    missing = sorted({p.stem for p in PROMPT_DIR.glob("*.md")} - prompts.keys())
    if missing:
        where = f"{PROMPTS_ENV}={folder}" if folder != PROMPT_DIR else str(folder)
        raise InputError(f"{where}: missing prompt files {', '.join(m + '.md' for m in missing)}")
    return prompts


def prompt_set_hash(folder: Path | None = None) -> str:
    """sha256 over every prompt's name and text: any edit changes it."""
    digest = hashlib.sha256()
    for name, text in sorted(load_prompts(folder).items()):
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()[:12]


def render(name: str, **values: object) -> str:
    return load_prompts()[name].format(**values).strip()
