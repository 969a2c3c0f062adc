"""Does the source say the opposite? Denials, opposite reporting verbs and overstatement.

A denial ("not", "refused", "ruled out") governs the next few content words of its clause; a
negator right before a word of denial cancels it ("did not rule out" is "left open"). A claim term
the source states only with the other polarity is a conflict.
"""

from __future__ import annotations

import functools

from vantage.tools.text import split_sentences, stem, words

from .gazetteer import STATES
from .lexicon import (
    ABSOLUTES,
    APPROXIMATORS,
    CANCEL_WINDOW,
    CLAUSE_BREAK,
    NEGATIVE_PHRASES,
    NEGATIVE_WORDS,
    NEGATORS,
    NOT_DENIALS,
    NUMBER_WORDS,
    OPPOSITES,
    QUANTIFIERS,
    SAYING,
    SCOPE,
    TIME_UNITS,
    TOTALITY,
)
from .reading import canonical, content_terms, matches, same_root

# "Reject it": a denial of what the text named before, which the terms after it do not say.
_POINTERS = frozenset("it them this these those".split())
_POINTED = "<named before>"
# Nouns of denial deny only what they are of or to: "rejection of the plan", "refusal to sign".
_DENIAL_NOUNS = frozenset("refusal rejection".split())


def _inflections(word: str) -> set[str]:
    """The stems of a verb's regular forms: "deny" gives "denied", "admit" "admitted", "ban" "banned"."""
    doubled = word + word[-1]
    forms = {word, f"{word}s", f"{word}d", f"{word}ed", f"{word}ing", f"{doubled}ed", f"{doubled}ing"}
    if word.endswith("y"):
        forms |= {f"{word[:-1]}ied", f"{word[:-1]}ies"}
    return {stem(f) for f in forms}


_OPPOSITE_STEMS = [
    tuple({s for w in group.split() for s in _inflections(w)} for group in pair) for pair in OPPOSITES
]


@functools.lru_cache(maxsize=1 << 14)
def denied_spans(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(asserted, denied): the content terms of `text` stated and denied. A denial is a plain
    negator, a word of denial ("refused", "non-binding") or a two-word one ("ruled out"); it denies
    the next `SCOPE` content words of its clause. A negator right before a word of denial cancels
    both: "did not rule out" denies nothing. A denial of "it" or "them" denies `_POINTED`."""
    asserted: set[str] = set()
    denied: set[str] = set()
    text = NEGATIVE_PHRASES.sub(" refuse ", NOT_DENIALS.sub(" ", text))
    for clause in (c for sentence in split_sentences(text) for c in CLAUSE_BREAK.split(sentence)):
        tokens = words(clause)
        plain = [i for i, w in enumerate(tokens) if w in NEGATORS or w.endswith("n't")]
        lexical = [
            i
            for i, w in enumerate(tokens)
            if (w in NEGATIVE_WORDS and not _amount_at(tokens, i + 1) and not _noun_alone(tokens, i))
            or w.startswith("non-")
        ]
        cancelled = {k for i in plain for j in lexical if 0 < j - i <= CANCEL_WINDOW for k in (i, j)}
        cues = set(plain + lexical) - cancelled
        scope = 0
        for i, w in enumerate(tokens):
            if i in cues:
                scope = SCOPE
                if tokens[i + 1 : i + 2] and tokens[i + 1] in _POINTERS:
                    denied.add(_POINTED)
                w = w.removeprefix("non-") if w.startswith("non-") else ""
            terms = content_terms(w) if w else set()
            if terms and scope:
                denied |= terms
                # "would not send American troops" denies the troops: a state's adjective spends no scope.
                scope -= canonical(w) not in STATES
            else:
                asserted |= terms
            if w in SAYING:
                scope = 0
    return frozenset(asserted), frozenset(denied)


def _amount_at(tokens: list[str], i: int) -> bool:
    """ "Lost 85 percent" and "lost nearly $7bn" state an amount; they deny nothing."""
    return i < len(tokens) and (tokens[i][0].isdigit() or tokens[i] in NUMBER_WORDS or tokens[i] in APPROXIMATORS)


def _noun_alone(tokens: list[str], i: int) -> bool:
    """ "Decided on its rejection at a congress" denies neither the congress nor anything else."""
    return tokens[i] in _DENIAL_NOUNS and tokens[i + 1 : i + 2] not in (["of"], ["to"])


def _denies(text: str) -> bool:
    return bool(denied_spans(text)[1])


def polarity_conflicts(claim: str, sentences: list[str]) -> int:
    """Claim terms the source states only with the opposite polarity: "Moscow was not prepared to
    continue" against "Moscow was ready to continue", "several were injured" against "there were no
    injuries". Counted only when the claim and its best-matching source sentence differ in whether
    they deny anything at all, so a denial elsewhere in a long sentence is no conflict; a term the
    source states both ways, or not at all, is no evidence either way."""
    terms = content_terms(claim)
    best = max(sentences, key=lambda s: len(terms & content_terms(s)), default="")
    if _denies(claim) == _denies(best):
        return 0
    claim_yes, claim_no = denied_spans(claim)
    source_yes, source_no = set(), set()
    for sentence in sentences:
        yes, no = denied_spans(sentence)
        source_yes |= yes
        source_no |= no

    def only(term: str, stated: set[str], other: set[str]) -> bool:
        return matches(term, stated) and not matches(term, other)

    # "Voted to reject it": the source denies what it named before, so it may deny what the claim does.
    denies_unread = _POINTED in source_no
    return sum(only(t, source_no, source_yes) for t in claim_yes - claim_no) + sum(
        only(t, source_yes, source_no) for t in claim_no - claim_yes if not denies_unread
    )


def opposites(claim: str, source: str) -> int:
    """Reporting verbs the source states in the opposite sense and never in the claim's: "welcomed"
    against "criticised", "adopted" against "rejected". A verb either side denies is not stated in
    its own sense: "would no longer attend" is no opposite of "would skip"."""
    claim_stems, source_stems = _affirmed_stems(claim), _affirmed_stems(source)
    found = 0
    for one, other in _OPPOSITE_STEMS:
        for mine, theirs in ((one, other), (other, one)):
            one_sided = not claim_stems & theirs and not source_stems & mine
            if one_sided and claim_stems & mine and source_stems & theirs:
                found += 1
    return found


@functools.lru_cache(maxsize=1 << 14)  # the best source sentence is read for every claim that cites it
def _affirmed_stems(text: str) -> frozenset[str]:
    """The stems of the words `text` states, less those it only denies."""
    asserted, denied = denied_spans(text)
    only_denied = denied - asserted
    return frozenset(stem(w) for w in words(text) if not ((terms := content_terms(w)) and terms <= only_denied))


def overstated(claim: str, passage_words: set[str], passage: str) -> int:
    """Absolute words the claim adds: a completion ("accepted", "signed") the passage lacks in any
    form, or a quantifier ("all", "every") the passage does not put before the same thing."""
    found = 0
    tokens = words(claim)
    for i, w in enumerate(tokens):
        if w not in ABSOLUTES:
            continue
        if w in QUANTIFIERS:
            if tokens[i + 1 : i + 2] and tokens[i + 1] in TIME_UNITS:
                continue
            # The words it quantifies: "all of Niger's political parties" is vouched for by "all
            # political parties", whichever of its words the source repeats.
            targets = {t for nxt in tokens[i + 1 : i + 5] for t in content_terms(nxt)}
            found += bool(targets) and not any(_quantifies(t, passage) for t in targets)
        else:
            found += not same_root(w, passage_words)
    return found


def _quantifies(target: str, text: str) -> bool:
    tokens = words(text)
    return any(
        w in TOTALITY and any(matches(target, content_terms(n)) for n in tokens[i + 1 : i + 4])
        for i, w in enumerate(tokens)
    )
