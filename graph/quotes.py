"""Quotations are found in the evidence by code, so each is verbatim by construction."""

from __future__ import annotations

import re

from vantage.tools.text import tokenize

from .state import Evidence

_QUOTED = re.compile(r"“([^”]{20,400})”|\"([^\"]{20,400})\"")


def has_quotation(text: str) -> bool:
    return any(6 <= len((m.group(1) or m.group(2)).split()) <= 60 for m in _QUOTED.finditer(text))


def find_quotations(items: list[Evidence], topic: str, limit: int) -> list[tuple[str, Evidence]]:
    """Up to `limit` quoted spans (6-60 words) from the passages, most on-topic first."""
    topic_terms = set(tokenize(topic))
    found: list[tuple[float, str, Evidence]] = []
    seen: set[str] = set()
    for e in items:
        for match in _QUOTED.finditer(e.text):
            span = (match.group(1) or match.group(2)).strip()
            if not 6 <= len(span.split()) <= 60 or span.lower() in seen:
                continue
            seen.add(span.lower())
            overlap = len(topic_terms & set(tokenize(e.text)))
            found.append((overlap + e.score / 100, span, e))
    found.sort(key=lambda t: (-t[0], t[2].id))
    return [(span, e) for _, span, e in found[:limit]]
