"""Text utilities shared by search, verifiers and metrics: one tokenizer, one sentence splitter."""

from __future__ import annotations

import functools
import re

# Numbers keep their separators ("1,000", "2.5") so they survive as one token.
# A hyphen joins letters only, so "1,000-for-1,000" yields both numbers whole.
WORD = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+(?:[-'][A-Za-z]+)*|[A-Za-z0-9]+")
# Chinese, Japanese and Korean characters: the English report never uses them, but the small
# embedded model (Qwen) sometimes drifts into Chinese mid-sentence ("... with先进的武器").
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
# Split on the space after . ! ? (or after a closing quote that follows them), before a capital; not
# after a middle initial ("Múte B. Egede").
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])(?<![\s(][A-Z]\.)|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = (
    "U.S.",
    "U.N.",
    "U.K.",
    "Mr.",
    "Mrs.",
    "Dr.",
    "St.",
    "No.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "Gen.",
    "Lt.",
    "Col.",
    "Sen.",
    "Rep.",
    "vs.",
    "e.g.",
    "i.e.",
)

STOPWORDS = frozenset(
    """
    a an the and or but if then than so of to in on at by for from with without into onto over
    under about after before between during since until within as is are was were be been being
    has have had do does did will would shall should can could may might must it its this that
    these those there their they them he she his her we our you your i me my not no nor also
    which who whom whose what when where why how all any both each few more most other some
    such only own same too very just up down out off again further once here s t said says say
    according while
    """.split()
)


@functools.lru_cache(maxsize=1 << 16)  # hot: every ranking, verification and metric stems the same words
def stem(token: str) -> str:
    # Light suffix folding so "talks/talk" and "agreed/agree/agrees" meet; numbers stay intact.
    if token.isdigit() or len(token) <= 4:
        return token
    for suffix in ("ing", "ed", "es", "s"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            token = token[: -len(suffix)]
            break
    return token[:-1] if token.endswith("e") and len(token) > 4 else token


def words(text: str) -> list[str]:
    """Lower-cased words; "1,000" becomes "1000" so numbers compare by value."""
    return [w.replace(",", "") if w[0].isdigit() else w.lower() for w in WORD.findall(text)]


def tokenize(text: str) -> list[str]:
    """Content tokens for ranking and overlap: lower-case, stopwords removed, lightly stemmed."""
    return list(_tokens(text))


@functools.lru_cache(maxsize=8192)  # the same passages are ranked and verified many times per run
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(stem(w.removesuffix("'s").replace("'", "")) for w in words(text) if w not in STOPWORDS)


def split_sentences(text: str) -> list[str]:
    protected = text
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr, f"\x00{i}\x00")
    parts = _SENTENCE_END.split(protected.strip())
    sentences = []
    for part in parts:
        for i, abbr in enumerate(_ABBREVIATIONS):
            part = part.replace(f"\x00{i}\x00", abbr)
        if part.strip():
            sentences.append(part.strip())
    return sentences


def near_duplicate(a: str, b: str, threshold: float = 0.7) -> bool:
    """Most of the shorter text's content terms recur in the other: a copy, lightly reworded."""
    ta, tb = set(tokenize(a)), set(tokenize(b))
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) >= threshold


def drifts_into_cjk(text: str) -> bool:
    """The text contains Chinese, Japanese or Korean characters: a model that changed language."""
    return bool(_CJK.search(text))
