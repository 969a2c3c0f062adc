"""The default verifier: deterministic, no model.

Support needs (a) enough of the claim's content words in the cited passages taken together and
(b) agreement on the details a reader would check: every number, named actor and month in the
claim must appear in the passages, and the claim's polarity (negated or not) must match the
best-matching passage sentence. A detail the passages lack counts against support; a number or
polarity that the passages state differently is a contradiction.
"""

from __future__ import annotations

import re

from vantage.tools.text import STOPWORDS, split_sentences, tokenize, words

from .base import EvidenceText, Verdict

_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fifteen": "15",
    "twenty": "20",
    "thirty": "30",
    "fifty": "50",
    "hundred": "100",
    "thousand": "1000",
}
_MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
_NEGATIONS = {
    "not",
    "no",
    "never",
    "neither",
    "nor",
    "without",
    "refused",
    "rejected",
    "denied",
    "declined",
    "failed",
    "halted",
    "suspended",
    "withdrew",
    "dismissed",
}
_NAME = re.compile(r"\b[A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+)*")
_GENERIC_CAPS = {
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "it",
    "its",
    "this",
    "that",
    "after",
    "before",
    "during",
    "both",
    "each",
    "his",
    "her",
    "their",
    "they",
    "he",
    "she",
    "we",
}


def _numbers(text: str) -> set[str]:
    found = set()
    for w in words(text):
        if w[0].isdigit():
            found.add(w.rstrip(".").removesuffix(".0"))
        elif w in _NUMBER_WORDS:
            found.add(_NUMBER_WORDS[w])
    return found


def _names(text: str) -> set[str]:
    """Capitalised words that are not sentence-initial function words: actors, places, people."""
    names = set()
    for match in _NAME.finditer(text):
        for token in match.group().split():
            t = token.strip("'’").lower()
            if t in _GENERIC_CAPS or t in STOPWORDS or t in _MONTHS or len(t) < 3:
                continue
            names.add(tokenize(t)[0] if tokenize(t) else t)
    return names


def _negated(sentence: str) -> bool:
    return any(w in _NEGATIONS or w.endswith("n't") for w in words(sentence))


def _covering(claim_tokens: set[str], passages: list[EvidenceText], limit: int = 3) -> list[str]:
    """Greedy smallest set of passages covering the claim's terms: cite what supports, no more."""
    tokens = {p.id: set(tokenize(p.text)) for p in passages}
    remaining, chosen = set(claim_tokens), []
    while remaining and len(chosen) < limit:
        best = max(passages, key=lambda p: (len(remaining & tokens[p.id]), -len(chosen)))
        gain = remaining & tokens[best.id]
        if not gain:
            break
        chosen.append(best.id)
        remaining -= gain
    return chosen


class LexicalVerifier:
    name = "lexical"

    def __init__(self, min_coverage: float = 0.6) -> None:
        self.min_coverage = min_coverage

    def verify(self, claim: str, passages: list[EvidenceText]) -> Verdict:
        ids = [p.id for p in passages]
        claim_tokens = set(tokenize(claim))
        if not claim_tokens or not passages:
            return Verdict(
                label="unverified", score=0.0, evidence_ids=[], reason="no claim content or no passages"
            )
        joined = " ".join(p.text for p in passages)
        passage_tokens = set(tokenize(joined))
        coverage = len(claim_tokens & passage_tokens) / len(claim_tokens)

        missing_numbers = _numbers(claim) - _numbers(joined)
        passage_words = set(tokenize(joined))
        missing_names = {n for n in _names(claim) if n not in passage_words}
        missing_months = {m for m in _MONTHS & set(words(claim)) if m not in set(words(joined))}

        best = max(
            (s for p in passages for s in split_sentences(p.text)),
            key=lambda s: len(claim_tokens & set(tokenize(s))),
        )
        polarity_flip = _negated(claim) != _negated(best)
        contributing = _covering(claim_tokens, passages) or ids

        problems = []
        if missing_numbers:
            problems.append(f"numbers not in source: {', '.join(sorted(missing_numbers))}")
        if missing_names:
            problems.append(f"names not in source: {', '.join(sorted(missing_names))}")
        if missing_months:
            problems.append(f"dates not in source: {', '.join(sorted(missing_months))}")
        if polarity_flip:
            problems.append("negation differs from the source")
        penalty = 0.25 * len(problems)
        score = max(0.0, min(1.0, coverage - penalty))

        if coverage >= self.min_coverage and not problems:
            return Verdict(
                label="supported",
                score=round(score, 3),
                evidence_ids=contributing,
                reason=f"{coverage:.0%} of claim terms found; numbers, names and dates agree",
            )
        if coverage >= self.min_coverage and (polarity_flip or (missing_numbers and _numbers(joined))):
            return Verdict(
                label="contradicted",
                score=round(score, 3),
                evidence_ids=contributing,
                reason="; ".join(problems),
            )
        reason = "; ".join(problems) or f"only {coverage:.0%} of claim terms found in the sources"
        return Verdict(label="unverified", score=round(score, 3), evidence_ids=contributing, reason=reason)
