"""The default verifier: deterministic, no model.

A claim is scored from a handful of readable features of (claim, cited passages): how much of the
claim's content the passages carry, and whether the details a reader would check agree — numbers,
dates, named actors, negation, and absolute words ("all", "signed") that overstate a source. A
number, date or name the passages lack counts against support; one the passages state differently
makes a contradiction. Names and dates are looked up in what the citation points at, not the
passage alone: the document's title, publisher and publication date ("He said" in a Fidan
interview titled "Fidan: ..." is Fidan speaking). The features' weights are fitted on the dev
split of the labelled citation pairs (`python -m vantage.evals.verifiers.fit lexical`), never on test.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from vantage.tools.text import drifts_into_cjk, split_sentences, tokenize, words

from . import actors, numbers, polarity
from .base import EvidenceText, Verdict
from .lexicon import MONTHS, NUMBER_WORDS, ORDINALS, SCALES
from .reading import content_terms, matches, normalise
from .weights import Weights, load_weights

# Spelled-out numbers and scales ("one", "hundred", "million"), as content terms read them ("three" is
# "thre"); not "m" or "bn", which stand in names too.
NUMBER_TERMS = frozenset(term for w in [*NUMBER_WORDS, *SCALES] if len(w) > 2 for term in content_terms(w))


class Features(BaseModel):
    """What the verifier looks at; each value is readable on its own."""

    coverage: float  # share of the claim's content terms in the passages (names, dates also in the title)
    name_coverage: float  # share of the claim's named actors, people and places in the passages or title
    number_conflict: int  # claim numbers the passages lack while stating other numbers
    number_absent: int  # claim numbers where the passages state none
    number_rebound: int  # claim numbers the passages state, counting something else ("100 jets"/"100 targets")
    date_conflict: int  # claim months, weekdays or years the passages lack while dating something else
    date_absent: int
    date_unexplained: int  # claim dates neither the passage nor its publication date gives
    actor_swap: bool  # the claim names an actor its source lacks; the passage names another of its kind
    polarity_conflicts: int  # claim terms the passages state only with the opposite polarity
    opposites: int  # reporting verbs the passages state in the opposite sense ("welcomed"/"criticised")
    absolutes: int  # absolute words the claim adds ("signed", or "all" before something the passage lacks it for)

    def vetoes(self) -> list[str]:
        """Details that rule support out whatever the overlap: a number the sources lack, a date
        they give differently, someone other than the actor they name, or the opposite polarity."""
        out = []
        if self.number_conflict or self.number_absent or self.number_rebound:
            out.append("number")
        if self.date_conflict:
            out.append("date")
        if self.actor_swap:
            out.append("actor")
        if self.polarity_conflicts:
            out.append("negation")
        if self.opposites:
            out.append("opposite")
        return out

    def vector(self) -> list[float]:
        return [
            self.coverage,
            self.name_coverage,
            float(min(self.number_conflict, 2)),
            float(min(self.number_absent, 2)),
            float(min(self.date_conflict, 2)),
            float(min(self.date_absent, 2)),
            float(self.actor_swap),
            float(min(self.polarity_conflicts, 2)),
            float(min(self.absolutes, 2)),
        ]


def _card(passages: list[EvidenceText]) -> str:
    """What a citation points at beyond the passage: its document's title and publisher."""
    return " ".join(f"{getattr(p, 'title', '')} {getattr(p, 'publisher', '')}" for p in passages)


def _card_dates(passages: list[EvidenceText]) -> set[str]:
    """A source's publication date dates what it reports: "in 2023" or "by 16 June" is supported
    by a report published then."""
    found = set()
    for p in passages:
        published = getattr(p, "published", None)
        if isinstance(published, date):
            found |= {str(published.year), MONTHS[published.month - 1], f"day{published.day}"}
    return found


def features(claim: str, passages: list[EvidenceText]) -> Features:
    joined = normalise(" ".join(p.text for p in passages))
    card = normalise(_card(passages))
    source = f"{joined} {card}"
    claim = actors.spell_blends(normalise(claim), source)
    card_dates = numbers.dates(card) | _card_dates(passages)
    claim_terms, passage_terms, passage_words = content_terms(claim), content_terms(joined), set(words(joined))
    # Number words are the number check's to vouch for: "one hundred thousand" is not three terms
    # that a source giving "100,000" lacks.
    claim_terms -= NUMBER_TERMS | content_terms(" ".join(numbers.phrase_words(claim)))
    # Content must come from the passage; the title may only vouch for who and when.
    vouched = passage_terms | actors.names(card) | card_dates
    covered = [t for t in claim_terms if matches(t, vouched)]
    names = actors.check(claim, joined, card)
    sentences = [s for p in passages for s in split_sentences(normalise(p.text))]
    best = max(sentences, key=lambda s: len(claim_terms & content_terms(s)), default="")
    # Only the passage can conflict with the claim: a title summarises the whole document.
    ordinals = {ORDINALS[w] for w in passage_words if w in ORDINALS}
    unmatched, source_numbers = numbers.unmatched_numbers(claim, source, ordinals), numbers.numbers(joined)
    source_dates = numbers.dates(joined)
    # The publication date vouches for a year, month or day the passage leaves open, not for one it
    # gives differently: "29 January 2024" is not vouched for by "29 January 2025" in a December 2024 report.
    stated = {numbers.date_kind(x) for x in source_dates}
    open_dates = {d for d in card_dates if numbers.date_kind(d) not in stated}
    dates = numbers.dates(claim) - source_dates - open_dates
    return Features(
        coverage=len(covered) / len(claim_terms) if claim_terms else 0.0,
        name_coverage=names.coverage,
        number_conflict=len(unmatched) if source_numbers else 0,
        number_absent=0 if source_numbers else len(unmatched),
        number_rebound=numbers.number_rebound(claim, joined),
        date_conflict=len(dates) if source_dates else 0,
        date_absent=0 if source_dates else len(dates),
        date_unexplained=len(dates - card_dates),
        actor_swap=names.swapped,
        polarity_conflicts=polarity.polarity_conflicts(claim, sentences),
        opposites=polarity.opposites(claim, best),
        absolutes=polarity.overstated(claim, passage_words, joined),
    )


def _problems(f: Features) -> list[str]:
    problems = []
    if f.number_conflict:
        problems.append(f"{f.number_conflict} number(s) differ from the source's")
    if f.number_absent:
        problems.append(f"{f.number_absent} number(s) the source does not give")
    if f.date_conflict:
        problems.append(f"{f.date_conflict} date(s) differ from the source's")
    if f.date_absent:
        problems.append(f"{f.date_absent} date(s) the source does not give")
    if f.name_coverage < 1:
        problems.append(f"only {f.name_coverage:.0%} of names found")
    if f.actor_swap:
        problems.append("the source names someone else")
    if f.polarity_conflicts:
        problems.append("negation differs from the source")
    if f.number_rebound:
        problems.append(f"{f.number_rebound} number(s) count something else in the source")
    if f.opposites:
        problems.append("the source reports the opposite")
    if f.absolutes:
        problems.append("absolute wording the source lacks")

    return problems


def _covering(claim: str, passages: list[EvidenceText], limit: int = 3) -> list[str]:
    """Greedy smallest set of passages covering the claim's terms: cite what supports, no more."""
    tokens = {p.id: content_terms(p.text) for p in passages}
    remaining, chosen = content_terms(claim), []
    while remaining and len(chosen) < limit:
        best = max(passages, key=lambda p: len(remaining & tokens[p.id]))
        gain = remaining & tokens[best.id]
        if not gain:
            break
        chosen.append(best.id)
        remaining -= gain
    return chosen


class LexicalVerifier:
    """Features of the text alone, weighed by a logistic model fitted on dev."""

    name = "lexical"

    def __init__(self, weights: Weights | None = None) -> None:
        self.weights = weights or load_weights(self.name)

    def feature_vector(self, claim: str, passages: list[EvidenceText]) -> list[float]:
        return features(claim, passages).vector()

    def _vector(self, f: Features, claim: str, passages: list[EvidenceText]) -> list[float]:
        return f.vector()

    def vetoed(self, claim: str, passages: list[EvidenceText]) -> bool:
        return bool(features(claim, passages).vetoes())

    def verify(self, claim: str, passages: list[EvidenceText]) -> Verdict:
        if not passages or not tokenize(claim):
            return Verdict(label="unverified", score=0.0, reason="no claim content or no passages")
        # The tokenizer reads Latin script only, so words in another script would go unchecked.
        if drifts_into_cjk(claim) and not any(drifts_into_cjk(p.text) for p in passages):
            return Verdict(label="unverified", score=0.0, reason="words in a script the sources do not use")
        f = features(claim, passages)
        p = self.weights.probability(self._vector(f, claim, passages))
        ids = _covering(claim, passages) or [x.id for x in passages]
        problems = _problems(f)
        if p >= self.weights.threshold and not f.vetoes():
            return Verdict(
                label="supported",
                score=round(p, 3),
                evidence_ids=ids,
                reason=f"{f.coverage:.0%} of claim terms found" + (f"; {'; '.join(problems)}" if problems else ""),
            )
        # On-topic but a checked detail disagrees: the sources say something else. A negation only
        # contradicts when the passage is about the same actors, not a neighbouring event; its
        # scope already keeps "agreed to X; later said no reply came" from denying that X was agreed.
        # A date contradicts only if the report's own publication date does not give it either: a
        # report of 12 November recalling talks of 23 July does not deny a statement of 12 November.
        flipped = bool(f.polarity_conflicts) and f.name_coverage == 1
        dated_otherwise = f.date_conflict and f.date_unexplained
        if f.coverage >= 0.6 and (flipped or f.number_conflict or dated_otherwise):
            return Verdict(label="contradicted", score=round(p, 3), evidence_ids=ids, reason="; ".join(problems))
        reason = "; ".join(problems) or f"only {f.coverage:.0%} of claim terms found in the sources"
        return Verdict(label="unverified", score=round(p, 3), evidence_ids=ids, reason=reason)
