"""Numbers, dates and what they count: does the source state the claim's quantities?

"1.5 million" is 1,500,000, "about 1,200" is vouched for by 1,212, "two days" by "48 hours"; "2,000"
is a quantity and "2000" a year. Each number is read with the words right after it, the thing it
counts, so "100 jets" is not vouched for by a source's "100 targets".
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping
from typing import NamedTuple

from vantage.tools.text import STOPWORDS, WORD, words

from .lexicon import (
    APPROXIMATORS,
    CLOCK_TOKEN,
    DAY_OF_MONTH,
    MONTHS,
    NUMBER_WORDS,
    ONE_OF,
    ORDINALS,
    ROUNDING,
    SCALES,
    THE_TWO,
    UNIT_HOURS,
    UNIT_WORDS,
    WEEKDAYS,
)
from .reading import content_terms, frozen

YEAR = re.compile(r"^(19|20)\d\d$")
_COMPARATIVES = frozenset("more additional extra further other new".split())
# Count nouns that say nothing of what was counted.
_ANYONE = frozenset("people person individual".split())
# Those who vote and what they cast: in a vote, each counts the same thing.
_VOTE_COUNTS = content_terms("votes voters ballots electors deputies lawmakers legislators MPs members seats")
# A list of names: "Niger, Mali and Burkina Faso".
_NAME = r"(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*"
_LIST = re.compile(rf"{_NAME}(?:,\s+{_NAME})*,?\s+and\s+{_NAME}")
_CLAUSE_END = re.compile(r"[,;:]\s")  # not the comma in "2,000"
_VAGUE = frozenset("several few many some".split())
_NUMBERS_APART = re.compile(r"(\d)[,;]\s+(?=\d)")


def _quantity(word: str) -> str | None:
    """The value of a word that counts something, or None: "1,000" and "thousand" are "1000";
    years and clock times count nothing."""
    if word[0].isdigit() and not YEAR.match(word):
        return word.rstrip(".").removesuffix(".0")
    tens, _, units = word.partition("-")  # "eighty-four"
    if units and tens in NUMBER_WORDS and units in NUMBER_WORDS and int(NUMBER_WORDS[units]) < 10:
        return str(int(NUMBER_WORDS[tens]) + int(NUMBER_WORDS[units]))
    return NUMBER_WORDS.get(word)


def _counting_text(text: str) -> str:
    """The text without numbers that count nothing: a day of the month is part of a date ("2 June"),
    "the two sides" points back at parties already named, "one of" and "one another" pick no number.
    Two numbers a comma and a space apart are two: "of the 190, 172 were" (not one, as "190,172" is)."""
    text = DAY_OF_MONTH.sub(lambda m: f" {m.group(2) or m.group(3)} ", text)
    return _NUMBERS_APART.sub(r"\1 and ", ONE_OF.sub(" ", THE_TWO.sub(" ", text)))


class _Quantity(NamedTuple):
    value: str  # "1500000" for "1.5 million"
    rounded: bool  # "about", "more than" ... before it
    end: int  # index of the token after the number and its scale word
    start: int  # index of the phrase's first word: "about", "more than", "half a" before the number
    phrase_end: int  # index after the phrase: `end`, or past a unit of time or money ("days", "dollars")
    hours: float | None = None  # the duration, when a unit of time follows: "48 hours", "two days"


@functools.lru_cache(maxsize=1 << 14)
def _quantities(text: str) -> tuple[tuple[str, ...], tuple[_Quantity | None, ...]]:
    """The words of `text`, each with the quantity that starts there (None elsewhere): scale words
    applied ("1.5 million", "2bn"), rounding noted ("about 1,200", "more than 6,000")."""
    raw = WORD.findall(_counting_text(text))
    tokens = tuple(w.replace(",", "") if w[0].isdigit() else w.lower() for w in raw)
    found: list[_Quantity | None] = [None] * len(tokens)
    read_to = 0  # words before this index belong to a quantity already read
    for i, w in enumerate(tokens):
        # A year never has a thousands comma: "2,000" is a quantity, "2000" a year.
        value = w if "," in raw[i] else _quantity(w)
        if value is None or i < read_to or (i and found[i - 1] is not None):
            continue
        if w in SCALES and i and tokens[i - 1] in _VAGUE:  # "several hundred thousand" gives no number
            read_to = next((j for j in range(i, len(tokens)) if tokens[j] not in SCALES), len(tokens))
            continue
        end = i + 1
        # Scale words multiply in turn: "1.5 million", "one hundred thousand".
        while end < len(tokens) and tokens[end] in SCALES and (w not in SCALES or end > i + 1):
            value, end = _scaled(value, SCALES[tokens[end]]), end + 1
        # A range shares its scale: "between three and four thousand" is 3,000 to 4,000.
        if end + 2 < len(tokens) and tokens[end] in ("and", "to", "or") and tokens[end + 2] in SCALES:
            upper = _quantity(tokens[end + 1]) or ""
            if _is_number(value) and _is_number(upper) and float(value) < float(upper):
                value = _scaled(value, SCALES[tokens[end + 2]])
        halved = tokens[max(0, i - 2) : i] == ("half", "a")
        if halved and _is_number(value):  # "half a billion"
            value = _scaled(value, 0.5)
        before = {tokens[i - 1] if i else "", "+".join(tokens[max(0, i - 2) : i])}
        start = i - 2 if halved else i
        for j in (start - 2, start - 1):  # "more than half a billion", "about 1,200"
            if j >= 0 and "+".join(tokens[j:start]) in APPROXIMATORS:
                start = j
                break
        unit_word = tokens[end].removesuffix("s") if end < len(tokens) else ""
        unit = UNIT_HOURS.get(unit_word)
        hours = float(value) * unit if unit is not None and _is_number(value) else None
        phrase_end = end + (unit_word in UNIT_WORDS)
        found[i] = _Quantity(value, bool(before & APPROXIMATORS), end, start, phrase_end, hours)
        read_to = end
    return tokens, tuple(found)


@functools.lru_cache(maxsize=1 << 14)
def phrase_words(text: str) -> frozenset[str]:
    """The words that make up the text's quantities: the number, its scale, the word that rounds it
    and its unit of time or money ("about half a billion dollars", "three weeks"). The number check
    vouches for these, so content overlap need not: "21 days" states the claim's "three weeks"."""
    tokens, found = _quantities(text)
    return frozenset(w for q in found if q for w in tokens[q.start : q.phrase_end])


def _scaled(value: str, scale: float) -> str:
    try:
        number = float(value) * scale
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else str(number)


@functools.lru_cache(maxsize=1 << 14)
def numbers(text: str) -> frozenset[str]:
    """Quantities and clock times; a year is a date, not a quantity."""
    tokens, found = _quantities(text)
    return frozenset({q.value for q in found if q} | {w for w in tokens if CLOCK_TOKEN.match(w)})


def unmatched_numbers(claim: str, source: str, also: set[str]) -> set[str]:
    """Claim numbers the source does not state: not exactly, not among `also` (the ordinals it
    uses), and not within rounding of one when either side marks its number as rounded."""
    claim_q = [q for q in _quantities(claim)[1] if q]
    source_q = [q for q in _quantities(source)[1] if q]
    exact = numbers(source) | also | _listed(source)
    unmatched = {n for n in numbers(claim) if n not in exact}
    # A total counts what its parts count: "21 drones and missiles" is "18 drones, two cruise missiles
    # and one ballistic missile", but "four police officers and two civilians" gives no "six police
    # officers", which is one part said differently.
    unmatched -= {
        n
        for n in unmatched & _totals(source)
        if sum(bool(_total_things(claim, n) & _total_things(source, part)) for part in numbers(source)) >= 2
    }
    for q in claim_q:
        if q.value in unmatched and any(_near(q, s) for s in source_q):
            unmatched.discard(q.value)
    return unmatched


@functools.lru_cache(maxsize=1 << 14)
def _listed(text: str) -> frozenset[str]:
    """How many names each list in the text gives: "Niger, Mali and Burkina Faso" vouches for the
    claim's "the three states"."""
    return frozenset(str(len(re.split(r",\s+(?:and\s+)?|\s+and\s+", m.group()))) for m in _LIST.finditer(text))


def _total_things(text: str, value: str) -> set[str]:
    """What a number counts, read across "and" up to the next number: "21 drones and missiles" counts
    drones and missiles, "two anti-ship cruise missiles" missiles too."""
    tokens, found = _quantities(text)
    things: set[str] = set()
    for q in found:
        if q is None or q.value != value:
            continue
        for j in range(q.end, min(q.end + 4, len(tokens))):
            if found[j] is not None or (tokens[j] in STOPWORDS and tokens[j] != "and"):
                break
            things |= content_terms(tokens[j])
    return things


@functools.lru_cache(maxsize=1 << 14)
def _totals(text: str) -> frozenset[str]:
    """What two or three of the text's counts add up to: "18 drones, two cruise missiles and one
    ballistic missile" vouches for the claim's "21 drones and missiles"."""
    counts = sorted({float(v) for v in numbers(text) if _is_number(v)})
    # Threes only among a few counts: across many passages, some three would add up to anything.
    sizes = (2, 3) if len(counts) <= 10 else (2,)
    sums = {sum(group) for size in sizes for group in itertools.combinations(counts, size)}
    return frozenset(str(int(x)) if x.is_integer() else str(x) for x in sums)


def _near(a: _Quantity, b: _Quantity) -> bool:
    """The same amount, as far as the text lets us tell: the same duration in other units ("48
    hours", "two days"), or close enough when either number is marked as rounded."""
    if a.hours is not None and b.hours is not None:
        x, y = a.hours, b.hours
        if x == y:
            return True
    elif _is_number(a.value) and _is_number(b.value):
        x, y = float(a.value), float(b.value)
    else:
        return False
    return (a.rounded or b.rounded) and abs(x - y) <= ROUNDING * max(x, y)


def _is_number(value: str) -> bool:
    return value.replace(".", "", 1).isdigit()


@functools.lru_cache(maxsize=1 << 14)
def dates(text: str) -> frozenset[str]:
    """Months, weekdays, years and days of the month ("day15") that a text mentions."""
    # Raw words: "2,000" keeps its comma, so it is not read as the year 2000. A month is capitalised:
    # "peacekeepers may bear arms" and "protesters march" name no month.
    raw = WORD.findall(text)
    found = {w.lower() for w in raw if w.lower() in WEEKDAYS or YEAR.match(w)}
    found |= {w.lower() for w in raw if w.lower() in MONTHS and w[0].isupper()}
    for m in DAY_OF_MONTH.finditer(text):
        day = m.group(1) or m.group(4)
        found.add(f"day{int(day)}")
    return frozenset(found)


def date_kind(element: str) -> str:
    """ "year", "month", "weekday" or "day" for an element of `dates`."""
    if element.startswith("day"):
        return "day"
    if element in MONTHS:
        return "month"
    return "year" if element.isdigit() else "weekday"


@functools.lru_cache(maxsize=1 << 14)
def _counted(text: str) -> Mapping[str, frozenset[str]]:
    """Each quantity with the words right after it, the thing it counts: "200 fighter jets struck
    about 100 targets" gives {"200": {"fighter", "jet"}, "100": {"target"}}. A partitive passes
    through: in "19 of the 35 members", 19 counts members too. A count ends at a comma: in "Naleraq
    on eight, Inuit Ataqatigiit on seven", eight counts no Inuit."""
    counted: dict[str, set[str]] = {}
    for clause in _CLAUSE_END.split(text):
        for number, things in _counted_in(clause).items():
            counted.setdefault(number, set()).update(things)
    return frozen(counted)


def _counted_in(clause: str) -> dict[str, list[str]]:
    """What each quantity of one clause counts (see `_counted`)."""
    tokens, found = _quantities(clause)
    counted: dict[str, list[str]] = {}
    for quantity in found:
        if quantity is None:
            continue
        things: list[str] = []
        for j in range(quantity.end, len(tokens)):
            nxt = tokens[j]
            if found[j] is not None:
                if tokens[j - 1] in ("of", "the"):  # the whole in "19 of the 35 members"
                    continue
                break
            if nxt in _COMPARATIVES:  # "700 more troops" counts troops
                continue
            if nxt.removesuffix("s") in _ANYONE:  # "people" is a stopword, yet it says what was counted
                things.append(nxt.removesuffix("s"))
                break
            if nxt in STOPWORDS:
                if nxt in ("of", "the") and any(found[j + 1 : j + 3]):
                    continue
                break
            things += content_terms(nxt)
            if len(things) >= 2:
                break
        counted.setdefault(quantity.value, []).extend(things)
    return counted


def number_rebound(claim: str, source: str) -> int:
    """Numbers the source states for something else, and ordinals it rules out: the claim's "100
    fighter jets" against a source's "200 fighter jets ... 100 targets"; a "fourth round" against
    "three rounds", or against a source that numbers its rounds but never a fourth."""
    claim_counts = {n: _as_counted(things) for n, things in _counted(claim).items()}
    source_counts = {n: _as_counted(things) for n, things in _counted(source).items()}
    rebound = 0
    for number, counts in claim_counts.items():
        # A source number that counts nothing we can read ("Naleraq on eight,") counts nothing else.
        if not counts or not source_counts.get(number) or counts & source_counts[number]:
            continue
        # "253 people" may be the other side's "253 voters" or "253 dead".
        if (counts | source_counts[number]) & _ANYONE:
            continue
        if any(counts & others for n, others in source_counts.items() if n != number):
            rebound += 1
    source_ordinals = _ordinals(source)
    for rank, things in _ordinals(claim).items():
        fewer = any(things & t and int(n) < int(rank) for n, t in source_counts.items() if n.isdigit())
        other_ranks = any(things & t for r, t in source_ordinals.items() if r != rank)
        rebound += fewer or (other_ranks and not things & source_ordinals.get(rank, set()))
    return rebound


def _as_counted(things: frozenset[str]) -> frozenset[str]:
    """A count of votes is a count of those who cast them: "84 votes" is "84 deputies", "225
    ballots" "225 electors"."""
    return things | {"vote"} if things & _VOTE_COUNTS else things


@functools.lru_cache(maxsize=1 << 14)
def _ordinals(text: str) -> Mapping[str, frozenset[str]]:
    """Each ordinal with the word it ranks: "the fourth round" gives {"4": {"talks"}}."""
    tokens = words(text)
    ranked: dict[str, set[str]] = {}
    for i, w in enumerate(tokens):
        if w in ORDINALS and i + 1 < len(tokens) and tokens[i + 1] not in STOPWORDS:
            ranked.setdefault(ORDINALS[w], set()).update(content_terms(tokens[i + 1]))
    return frozen(ranked)
