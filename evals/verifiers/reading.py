"""How the lexical checks read text: one normal form, content terms, and word-form matching.

Shared by the number, polarity and actor checks and by the verifier itself. Readings of a whole
text are memoised: the same passages are read for every claim that cites them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from types import MappingProxyType

from vantage.tools.text import STOPWORDS, stem, words

from .gazetteer import SAME_ACTOR, fold_multiword
from .lexicon import CLOCK, SYNONYMS

_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
# A dollar is a dollar whoever issues it: "C$1.3bn" is read as "$1.3bn", not as a name "C".
_DOLLAR = re.compile(r"\b(?:US|C|A|NZ|HK|S)\$")


def _ascii(text: str) -> str:
    """ "Türkiye" reads as "Turkiye" and "Kyiv’s" as "Kyiv's": accents and typography are not a
    different name."""
    text = _DOLLAR.sub("$", text.translate(_TYPOGRAPHY))
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def canonical(word: str) -> str:
    """A word as the actor it may name: lower case, possessive dropped, demonyms and capitals folded
    ("Kyiv's" is "ukraine")."""
    word = word.lower().strip("'’").removesuffix("'s").removesuffix("’s")
    return SAME_ACTOR.get(word, word)


def _hour(m: re.Match[str]) -> int:
    if m.group(4):
        return int(m.group(4)) % 24
    return int(m.group(1)) % 12 + (12 if m.group(3).lower().startswith("p") else 0)


@functools.lru_cache(maxsize=1 << 14)
def normalise(text: str) -> str:
    """ASCII, names of several words as one ("the United States" is "US"), and each clock time as
    one letters-only token for its hour ("17:00" and "5 p.m." both read "clockr"), so a time is
    compared as a time, not as two numbers."""
    return CLOCK.sub(lambda m: f" clock{chr(ord('a') + _hour(m))} ", fold_multiword(_ascii(text)))


def content_terms(text: str) -> set[str]:
    """Content words, actors folded ("Kyiv" is "ukraine"), paraphrases folded ("rounds" is "talks"),
    lightly stemmed."""
    return set(_term_tuple(text))


@functools.lru_cache(maxsize=1 << 15)  # the same passages are read for every claim that cites them
def _term_tuple(text: str) -> tuple[str, ...]:
    terms = []
    for w in words(text):
        if w in STOPWORDS:
            continue
        folded = canonical(w)
        if folded != w.removesuffix("'s"):
            terms.append(folded)
        elif (paraphrase := SYNONYMS.get(folded) or SYNONYMS.get(stem(folded))) in STOPWORDS:
            continue  # "stated" is "said", which is no more content than "said" is
        else:
            terms.append(stem(paraphrase or folded))
    return tuple(terms)


def matches(term: str, vocabulary: AbstractSet[str]) -> bool:
    """Exact, or the same word in another form ("refusal"/"refused", "mobilising"/"mobilisation")."""
    if term in vocabulary:
        return True
    if term[0].isdigit():
        return False
    if len(term) < 5:  # the stemmer leaves short words whole: "vote" is "votes" ("vot"), "law" "laws"
        root = _short_root(term)
        return any(len(v) < 6 and _short_root(v) == root for v in vocabulary)
    return any(
        len(v) >= 5 and v[:5] == term[:5] and (v.startswith(term) or term.startswith(v)) for v in vocabulary
    )


def _short_root(term: str) -> str:
    """A short term without its plural "s" and final "e": "votes" and "vote" are "vot"."""
    if len(term) > 3 and term.endswith("s") and not term.endswith("ss"):
        term = term[:-1]
    return term.removesuffix("e") if len(term) > 3 else term


def same_root(word: str, vocabulary: AbstractSet[str]) -> bool:
    """ "agreed" is in a source that says "agreement"; "all" only in one that says "all"."""
    if len(word) < 5:
        return word in vocabulary
    return any(v[:5] == word[:5] for v in vocabulary)


def frozen(found: dict[str, set[str]]) -> Mapping[str, frozenset[str]]:
    """A cached reading is shared by every caller: hand it out read-only."""
    return MappingProxyType({key: frozenset(value) for key, value in found.items()})
