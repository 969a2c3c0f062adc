"""Quotations are found in the evidence by code, so each is verbatim by construction."""

from __future__ import annotations

import re

from vantage.tools.text import tokenize

from .state import Evidence

_QUOTED = re.compile(r"“([^”]{20,400})”|\"([^\"]{20,400})\"")


def _spans(text: str) -> list[str]:
    """Quoted spans of 6-60 words: long enough to say something, short enough to quote."""
    spans = ((m.group(1) or m.group(2)).strip() for m in _QUOTED.finditer(text))
    return [s for s in spans if 6 <= len(s.split()) <= 60]


def has_quotation(text: str) -> bool:
    return bool(_spans(text))


def find_quotations(items: list[Evidence], topic: str, limit: int) -> list[tuple[str, Evidence]]:
    """Up to `limit` quoted spans from the passages, most on-topic first."""
    topic_terms = set(tokenize(topic))
    found: list[tuple[float, str, Evidence]] = []
    seen: set[str] = set()
    for e in items:
        for span in _spans(e.text):
            if span.lower() in seen:
                continue
            seen.add(span.lower())
            overlap = len(topic_terms & set(tokenize(e.text)))
            found.append((overlap + e.score / 100, span, e))
    found.sort(key=lambda t: (-t[0], t[2].id))
    return [(span, e) for _, span, e in found[:limit]]
