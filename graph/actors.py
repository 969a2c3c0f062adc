"""Known actors and their aliases (datasets/actors.yaml): who counts as a stakeholder, and
which words in a text name them."""

from __future__ import annotations

import re
from functools import cache

import yaml
from vantage.tools.search.corpus import datasets_dir


@cache
def known_actors() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load((datasets_dir() / "actors.yaml").read_text(encoding="utf-8")) or {}
    return {name: tuple(aliases or ()) for name, aliases in data.items()}


@cache
def _pattern(actor: str) -> re.Pattern[str]:
    names = [actor, *known_actors().get(actor, ())]
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # Aliases are matched case-sensitively ("US" the country, not "us" the pronoun).
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?:'s|’s)?(?![\w-])")


def canonical_actor(name: str) -> str | None:
    """Map a free-text name ("Kremlin", "the US") to a known actor, or None."""
    cleaned = name.strip().removeprefix("the ").removeprefix("The ").strip()
    for actor, aliases in known_actors().items():
        if cleaned.lower() in {actor.lower(), *(a.lower() for a in aliases)}:
            return actor
    return None


def mentions(actor: str, text: str) -> int:
    return len(_pattern(actor).findall(text))
