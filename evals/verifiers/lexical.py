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

import functools
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import NamedTuple

from pydantic import BaseModel
from vantage.tools.text import STOPWORDS, WORD, split_sentences, stem, tokenize, words

from .base import EvidenceText, Verdict
from .gazetteer import SAME_ACTOR, STATES, fold_multiword, kind
from .lexicon import (
    ABSOLUTES,
    APPROXIMATORS,
    CANCEL_WINDOW,
    CLAUSE_BREAK,
    CLOCK,
    CLOCK_TOKEN,
    DAY_OF_MONTH,
    MONTHS,
    NAME,
    NEGATIVE_PHRASES,
    NEGATIVE_WORDS,
    NEGATORS,
    NOT_DENIALS,
    NOT_NAMES,
    NUMBER_WORDS,
    ONE_OF,
    OPPOSITES,
    ORDINALS,
    QUANTIFIERS,
    REPORTING_VERBS,
    ROLE_WORDS,
    ROUNDING,
    SCALES,
    SCOPE,
    SYNONYMS,
    THE_TWO,
    UNIT_HOURS,
    WEEKDAYS,
)
from .weights import Weights, load_weights

_YEAR = re.compile(r"^(19|20)\d\d$")
_TOKEN = re.compile(r"[\w'-]+")
_TITLE_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")  # "Wang Yi", "Li Xi", "Xi Jinping"
_PLACE = re.compile(r"\b(?:in|at|to|from|near|into|outside|across)\s+(?:the\s+)?([A-Z][\w'-]+)")
_INSTITUTION = re.compile(r"(?:[A-Z][\w'-]+\s+)+(?:" + "|".join(sorted(ROLE_WORDS)) + r")\b", re.IGNORECASE)
_PRONOUNS = frozenset("he she they it we i his her their its".split())
_AGENT_REACH = 8  # words from a verb back to its subject: "Senior Colonel Li Xi, the spokesperson, said"
_OPPOSITE_STEMS = [tuple({stem(w) for w in group.split()} for group in pair) for pair in OPPOSITES]


class Features(BaseModel):
    """What the verifier looks at; each value is readable on its own."""

    coverage: float  # share of the claim's content terms in the passages (names, dates also in the title)
    name_coverage: float  # share of the claim's named actors, people and places in the passages or title
    number_conflict: int  # claim numbers the passages lack while stating other numbers
    number_absent: int  # claim numbers where the passages state none
    number_rebound: int  # claim numbers the passages state, counting something else ("100 jets"/"100 targets")
    date_conflict: int  # claim months, weekdays or years the passages lack while dating something else
    date_absent: int
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


_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _ascii(text: str) -> str:
    """ "Türkiye" reads as "Turkiye" and "Kyiv’s" as "Kyiv's": accents and typography are not a
    different name."""
    return unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY)).encode("ascii", "ignore").decode()


def _canonical(word: str) -> str:
    word = word.lower().strip("'’").removesuffix("'s").removesuffix("’s")
    return SAME_ACTOR.get(word, word)


def _hour(m: re.Match[str]) -> int:
    if m.group(4):
        return int(m.group(4)) % 24
    return int(m.group(1)) % 12 + (12 if m.group(3).lower().startswith("p") else 0)


def _quantity(word: str) -> str | None:
    """The value of a word that counts something, or None: "1,000" and "thousand" are "1000";
    years and clock times count nothing."""
    if word[0].isdigit() and not _YEAR.match(word):
        return word.rstrip(".").removesuffix(".0")
    return NUMBER_WORDS.get(word)


def _counting_text(text: str) -> str:
    """The text without numbers that count nothing: a day of the month is part of a date ("2 June"),
    "the two sides" points back at parties already named, "one of" and "one another" pick no number."""
    text = DAY_OF_MONTH.sub(lambda m: f" {m.group(2) or m.group(3)} ", text)
    return ONE_OF.sub(" ", THE_TWO.sub(" ", text))


class _Quantity(NamedTuple):
    value: str  # "1500000" for "1.5 million"
    rounded: bool  # "about", "more than" ... before it
    end: int  # index of the token after the number and its scale word
    hours: float | None = None  # the duration, when a unit of time follows: "48 hours", "two days"


@functools.lru_cache(maxsize=1 << 14)
def _quantities(text: str) -> tuple[tuple[str, ...], tuple[_Quantity | None, ...]]:
    """The words of `text`, each with the quantity that starts there (None elsewhere): scale words
    applied ("1.5 million", "2bn"), rounding noted ("about 1,200", "more than 6,000")."""
    raw = WORD.findall(_counting_text(text))
    tokens = tuple(w.replace(",", "") if w[0].isdigit() else w.lower() for w in raw)
    found: list[_Quantity | None] = [None] * len(tokens)
    for i, w in enumerate(tokens):
        # A year never has a thousands comma: "2,000" is a quantity, "2000" a year.
        value = w if "," in raw[i] else _quantity(w)
        if value is None or (i and found[i - 1] is not None):
            continue
        end = i + 1
        if end < len(tokens) and tokens[end] in SCALES and w not in SCALES:
            value, end = _scaled(value, SCALES[tokens[end]]), end + 1
        before = {tokens[i - 1] if i else "", "+".join(tokens[max(0, i - 2) : i])}
        unit = UNIT_HOURS.get(tokens[end].removesuffix("s")) if end < len(tokens) else None
        hours = float(value) * unit if unit is not None and _is_number(value) else None
        found[i] = _Quantity(value, bool(before & APPROXIMATORS), end, hours)
    return tokens, tuple(found)


def _scaled(value: str, scale: int) -> str:
    try:
        number = float(value) * scale
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else str(number)


@functools.lru_cache(maxsize=1 << 14)
def _numbers(text: str) -> frozenset[str]:
    """Quantities and clock times; a year is a date, not a quantity."""
    tokens, found = _quantities(text)
    return frozenset({q.value for q in found if q} | {w for w in tokens if CLOCK_TOKEN.match(w)})


def _unmatched_numbers(claim: str, source: str, also: set[str]) -> set[str]:
    """Claim numbers the source does not state: not exactly, not among `also` (the ordinals it
    uses), and not within rounding of one when either side marks its number as rounded."""
    claim_q = [q for q in _quantities(claim)[1] if q]
    source_q = [q for q in _quantities(source)[1] if q]
    exact = _numbers(source) | also
    unmatched = {n for n in _numbers(claim) if n not in exact}
    for q in claim_q:
        if q.value in unmatched and any(_near(q, s) for s in source_q):
            unmatched.discard(q.value)
    return unmatched


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
def _dates(text: str) -> frozenset[str]:
    # Raw words: "2,000" keeps its comma, so it is not read as the year 2000.
    tokens = {w.lower() for w in WORD.findall(text)}
    found = {w for w in tokens if w in MONTHS or w in WEEKDAYS or _YEAR.match(w)}
    for m in DAY_OF_MONTH.finditer(text):
        day = m.group(1) or m.group(4)
        found.add(f"day{int(day)}")
    return frozenset(found)


_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w'’-]*\s+(?:of\s+|the\s+|for\s+)*)+[A-Z][\w'’-]*")


@functools.lru_cache(maxsize=1 << 14)
def _spelled_out(text: str) -> dict[str, set[str]]:
    """Acronyms a text spells out, each with the words that spell it: "The International Atomic
    Energy Agency" gives "iaea" (a sentence's leading "The" dropped), "Republic of China" both
    "rc" and "roc", "Non-Proliferation Treaty" "npt"."""
    found: dict[str, set[str]] = {}
    for run in _CAPITALISED_RUN.finditer(text):
        parts = [p for w in run.group().split() for p in w.split("-") if p]
        for start in range(len(parts)):
            tail = parts[start:]
            if not tail[0][0].isupper():
                continue
            spelled = {w.lower() for w in tail if w[0].isupper()}
            for initials in ("".join(w[0] for w in tail), "".join(w[0] for w in tail if w[0].isupper())):
                if len(initials) >= 2:
                    found.setdefault(initials.lower(), set()).update(spelled)
    return found


def _initials(text: str) -> set[str]:
    return set(_spelled_out(text))


def _name(token: str) -> str:
    """ "RSF-linked" names the RSF; "DGMOs" the DGMO."""
    head, _, tail = token.partition("-")
    if tail and tail.islower():
        token = head
    if len(token) > 2 and token[:-1].isupper() and token.endswith("s"):
        token = token[:-1]
    return _canonical(token)


@functools.lru_cache(maxsize=1 << 14)
def _names(text: str) -> frozenset[str]:
    """Capitalised words that are not sentence starts or function words: actors, people, places."""
    found = {_name(m.group()) for m in NAME.finditer(text)}
    # Two letters name someone only as a given or family name ("Xi", "Wang Yi"), never in capitals
    # ("US" is a state; "UN" an acronym the spelled-out check reads).
    short = {w.lower() for run in _TITLE_RUN.finditer(text) for w in run.group().split() if len(w) == 2}
    return frozenset(n for n in found | short if n not in NOT_NAMES and (len(n) > 2 or n in STATES or n in short))


@functools.lru_cache(maxsize=1 << 14)
def _places(text: str) -> frozenset[str]:
    """Names the text uses as places: after "in", "at", "to", "from", "near" ("talks in Istanbul")."""
    return frozenset(_name(m.group(1)) for m in _PLACE.finditer(text))


@functools.lru_cache(maxsize=1 << 14)
def _referred_back(claim: str, passage: str) -> frozenset[str]:
    """Names in a claim's institution whose head the passage uses alone: "the Mainland Affairs
    Council" in a claim, "the council" in the passage, vouches for "Mainland"."""
    vouched: set[str] = set()
    for run in _INSTITUTION.finditer(claim):
        parts = run.group().split()
        if re.search(rf"\bthe {re.escape(parts[-1].lower())}\b", passage):
            vouched |= {_name(w) for w in parts[:-1]}
    return frozenset(vouched)


def _named_in(name: str, known: set[str], terms: set[str]) -> bool:
    """Is `name` among the names a source uses? "Nagorno-Karabakh" is, where it says "Karabakh"."""
    parts = [name, *(p for p in name.split("-") if len(p) > 3)]
    return any(_matches(p, known) or _matches(stem(p), terms) for p in parts)


def _kind(name: str, text: str) -> str:
    """ "state" (from the gazetteer), "place" (as the text uses it) or "other" (a person, a body)."""
    if kind(name) == "state":
        return "state"
    return "place" if name in _places(text) else "other"


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


def _terms(text: str) -> set[str]:
    """Content words, actors folded ("Kyiv" is "ukraine"), paraphrases folded ("rounds" is "talks"),
    lightly stemmed."""
    return set(_term_tuple(text))


@functools.lru_cache(maxsize=1 << 15)  # the same passages are read for every claim that cites them
def _term_tuple(text: str) -> tuple[str, ...]:
    terms = []
    for w in words(text):
        if w in STOPWORDS:
            continue
        canonical = _canonical(w)
        if canonical != w.removesuffix("'s"):
            terms.append(canonical)
        else:
            terms.append(stem(SYNONYMS.get(canonical) or SYNONYMS.get(stem(canonical), canonical)))
    return tuple(terms)


def _matches(term: str, vocabulary: set[str]) -> bool:
    """Exact, or the same word in another form ("refusal"/"refused", "mobilising"/"mobilisation")."""
    if term in vocabulary:
        return True
    if len(term) < 5 or term[0].isdigit():
        return False
    return any(
        len(v) >= 5 and v[:5] == term[:5] and (v.startswith(term) or term.startswith(v)) for v in vocabulary
    )


def _same_root(word: str, vocabulary: set[str]) -> bool:
    """ "agreed" is in a source that says "agreement"; "all" only in one that says "all"."""
    if len(word) < 5:
        return word in vocabulary
    return any(v[:5] == word[:5] for v in vocabulary)


@functools.lru_cache(maxsize=1 << 14)
def _denied_spans(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(asserted, denied): the content terms of `text` stated and denied. A denial is a plain
    negator, a word of denial ("refused", "non-binding") or a two-word one ("ruled out"); it denies
    the next `SCOPE` content words of its clause. A negator right before a word of denial cancels
    both: "did not rule out" denies nothing."""
    asserted: set[str] = set()
    denied: set[str] = set()
    text = NEGATIVE_PHRASES.sub(" refuse ", NOT_DENIALS.sub(" ", text))
    for clause in (c for sentence in split_sentences(text) for c in CLAUSE_BREAK.split(sentence)):
        tokens = words(clause)
        plain = [i for i, w in enumerate(tokens) if w in NEGATORS or w.endswith("n't")]
        lexical = [i for i, w in enumerate(tokens) if w in NEGATIVE_WORDS or w.startswith("non-")]
        cancelled = {k for i in plain for j in lexical if 0 < j - i <= CANCEL_WINDOW for k in (i, j)}
        cues = set(plain + lexical) - cancelled
        scope = 0
        for i, w in enumerate(tokens):
            if i in cues:
                scope = SCOPE
                w = w.removeprefix("non-") if w.startswith("non-") else ""
            terms = _terms(w) if w else set()
            if terms and scope:
                denied |= terms
                scope -= 1
            else:
                asserted |= terms
    return frozenset(asserted), frozenset(denied)


def _denies(text: str) -> bool:
    return bool(_denied_spans(text)[1])


def _polarity_conflicts(claim: str, sentences: list[str]) -> int:
    """Claim terms the source states only with the opposite polarity: "Moscow was not prepared to
    continue" against "Moscow was ready to continue", "several were injured" against "there were no
    injuries". Counted only when the claim and its best-matching source sentence differ in whether
    they deny anything at all, so a denial elsewhere in a long sentence is no conflict; a term the
    source states both ways, or not at all, is no evidence either way."""
    terms = _terms(claim)
    best = max(sentences, key=lambda s: len(terms & _terms(s)), default="")
    if _denies(claim) == _denies(best):
        return 0
    claim_yes, claim_no = _denied_spans(claim)
    source_yes, source_no = set(), set()
    for sentence in sentences:
        yes, no = _denied_spans(sentence)
        source_yes |= yes
        source_no |= no

    def only(term: str, stated: set[str], other: set[str]) -> bool:
        return _matches(term, stated) and not _matches(term, other)

    return sum(only(t, source_no, source_yes) for t in claim_yes - claim_no) + sum(
        only(t, source_yes, source_no) for t in claim_no - claim_yes
    )


def _frozen(found: dict[str, set[str]]) -> Mapping[str, frozenset[str]]:
    """A cached reading is shared by every caller: hand it out read-only."""
    return MappingProxyType({key: frozenset(value) for key, value in found.items()})


@functools.lru_cache(maxsize=1 << 14)
def _counted(text: str) -> Mapping[str, frozenset[str]]:
    """Each quantity with the words right after it, the thing it counts: "200 fighter jets struck
    about 100 targets" gives {"200": {"fighter", "jet"}, "100": {"target"}}. A partitive passes
    through: in "19 of the 35 members", 19 counts members too."""
    tokens = words(_counting_text(text))
    counted: dict[str, set[str]] = {}
    for i, w in enumerate(tokens):
        number = _quantity(w)
        if number is None:
            continue
        things: list[str] = []
        for j in range(i + 1, len(tokens)):
            nxt = tokens[j]
            if _quantity(nxt) is not None:
                if tokens[j - 1] in ("of", "the"):  # the whole in "19 of the 35 members"
                    continue
                break
            if nxt in STOPWORDS:
                if nxt in ("of", "the") and any(_quantity(t) for t in tokens[j + 1 : j + 3]):
                    continue
                break
            things += _terms(nxt)
            if len(things) >= 2:
                break
        counted.setdefault(number, set()).update(things)
    return _frozen(counted)


def _number_rebound(claim: str, source: str) -> int:
    """Numbers the source states for something else, and ordinals it rules out: the claim's "100
    fighter jets" against a source's "200 fighter jets ... 100 targets"; a "fourth round" against
    "three rounds", or against a source that numbers its rounds but never a fourth."""
    claim_counts, source_counts = _counted(claim), _counted(source)
    rebound = 0
    for number, counts in claim_counts.items():
        if not counts or number not in source_counts or counts & source_counts[number]:
            continue
        if any(counts & others for n, others in source_counts.items() if n != number):
            rebound += 1
    source_ordinals = _ordinals(source)
    for rank, things in _ordinals(claim).items():
        fewer = any(things & t and int(n) < int(rank) for n, t in source_counts.items() if n.isdigit())
        other_ranks = any(things & t for r, t in source_ordinals.items() if r != rank)
        rebound += fewer or (other_ranks and not things & source_ordinals.get(rank, set()))
    return rebound


@functools.lru_cache(maxsize=1 << 14)
def _ordinals(text: str) -> Mapping[str, frozenset[str]]:
    """Each ordinal with the word it ranks: "the fourth round" gives {"4": {"talks"}}."""
    tokens = words(text)
    ranked: dict[str, set[str]] = {}
    for i, w in enumerate(tokens):
        if w in ORDINALS and i + 1 < len(tokens) and tokens[i + 1] not in STOPWORDS:
            ranked.setdefault(ORDINALS[w], set()).update(_terms(tokens[i + 1]))
    return _frozen(ranked)


@functools.lru_cache(maxsize=1 << 14)
def _agents(text: str) -> Mapping[str, tuple[frozenset[str], ...]]:
    """Who did what: for each reporting verb in `text` ("told" and "announced" fold into "said"), the
    words that identify its subject, read back from the verb (or after "by" in the passive), less
    office words: "Qatari foreign ministry spokesman Majed al-Ansari said" gives {"qatar", "majed",
    "al-ansari"}. "told>" holds whom someone told. A pronoun leaves the subject unknown ("Asked
    about the drills, she said")."""
    agents: dict[str, list[set[str]]] = {}
    for sentence in split_sentences(text):
        tokens = _TOKEN.findall(sentence)
        for i, token in enumerate(tokens):
            verb = token.lower()
            if verb not in REPORTING_VERBS:
                continue
            if tokens[i + 1 : i + 2] == ["by"]:
                phrase = tokens[i + 2 : i + 2 + _AGENT_REACH]
            else:
                phrase = tokens[max(0, i - _AGENT_REACH) : i][::-1]
            if subject := _identity(phrase):
                agents.setdefault(SYNONYMS.get(verb, verb), []).append(subject)
            if verb == "told" and (addressee := _identity(tokens[i + 1 : i + 3])):
                agents.setdefault("told>", []).append(addressee)
    return MappingProxyType({verb: tuple(map(frozenset, subjects)) for verb, subjects in agents.items()})


def _identity(phrase: list[str]) -> set[str]:
    """The words of a subject phrase that say who it is, nearest first, up to a pronoun or another
    reporting verb; empty unless the phrase names someone."""
    named, words_ = False, set()
    for token in phrase:
        low = token.lower()
        if low in _PRONOUNS or low in REPORTING_VERBS:
            break
        if token[0].isupper() and (name := _name(token)) not in NOT_NAMES:
            named = True
            words_.add(name)
        elif low not in ROLE_WORDS:
            words_ |= _terms(low)
    return words_ if named else set()


def _agent_swapped(claim: str, source: str, claim_words: set[str]) -> bool:
    """The claim and its source share a reporting verb, and the claim's subject for it shares no word
    with any of the source's, which names someone the claim does not: "Egypt's foreign minister
    announced" against "Qatar's prime minister ... announced", "told Putin" against "told Macron"."""
    theirs = _agents(source)
    for verb, mine in _agents(claim).items():
        others = theirs.get(verb, [])
        unnamed_in_claim = any(not _matches(n, claim_words) for o in others for n in o)
        if unnamed_in_claim and any(not any(_overlaps(s, o) for o in others) for s in mine):
            return True
    return False


def _overlaps(a: set[str], b: set[str]) -> bool:
    return any(_matches(t, b) for t in a)


def _opposites(claim: str, source: str) -> int:
    """Reporting verbs the source states in the opposite sense and never in the claim's: "welcomed"
    against "criticised", "adopted" against "rejected"."""
    claim_stems, source_stems = {stem(w) for w in words(claim)}, {stem(w) for w in words(source)}
    found = 0
    for one, other in _OPPOSITE_STEMS:
        for mine, theirs in ((one, other), (other, one)):
            one_sided = not claim_stems & theirs and not source_stems & mine
            if one_sided and claim_stems & mine and source_stems & theirs:
                found += 1
    return found


def _overstated(claim: str, passage_words: set[str], passage: str) -> int:
    """Absolute words the claim adds: a completion ("accepted", "signed") the passage lacks in any
    form, or a quantifier ("all", "every") the passage does not put before the same thing."""
    found = 0
    tokens = words(claim)
    for i, w in enumerate(tokens):
        if w not in ABSOLUTES:
            continue
        if w in QUANTIFIERS:
            target = next((t for nxt in tokens[i + 1 : i + 4] for t in _terms(nxt)), None)
            found += target is not None and not _quantifies(w, target, passage)
        else:
            found += not _same_root(w, passage_words)
    return found


def _quantifies(quantifier: str, target: str, text: str) -> bool:
    tokens = words(text)
    return any(
        w == quantifier and any(_matches(target, _terms(n)) for n in tokens[i + 1 : i + 4])
        for i, w in enumerate(tokens)
    )


def _vocabulary(text: str, terms: set[str], initials: set[str], names: set[str]) -> set[str]:
    """Every form a name can take in `text`: its words (actors folded, hyphenated parts apart),
    content terms, acronyms it spells out and its names."""
    known = {_canonical(w) for w in words(text)}
    return known | {part for w in known for part in w.split("-")} | terms | initials | names


@functools.lru_cache(maxsize=1 << 14)
def _normalise(text: str) -> str:
    """ASCII, names of several words as one ("the United States" is "US"), and each clock time as
    one letters-only token for its hour ("17:00" and "5 p.m." both read "clockr"), so a time is
    compared as a time, not as two numbers."""
    return CLOCK.sub(lambda m: f" clock{chr(ord('a') + _hour(m))} ", fold_multiword(_ascii(text)))


def features(claim: str, passages: list[EvidenceText]) -> Features:
    claim = _normalise(claim)
    joined = _normalise(" ".join(p.text for p in passages))
    card = _normalise(_card(passages))
    source = f"{joined} {card}"
    card_dates = _dates(card) | _card_dates(passages)
    claim_terms, passage_terms, passage_words = _terms(claim), _terms(joined), set(words(joined))
    # Content must come from the passage; the title may only vouch for who and when.
    vouched = passage_terms | _names(card) | card_dates
    covered = [t for t in claim_terms if _matches(t, vouched)]
    names = _names(claim)
    passage_names, passage_spelled = _names(joined), _spelled_out(joined)
    known = _vocabulary(source, passage_terms | _terms(card), _initials(source), _names(source))
    known |= _referred_back(claim, joined.lower())
    missing = [n for n in names if not _named_in(n, known, passage_terms)]
    claim_words = {_canonical(w) for w in words(claim)} | claim_terms | _initials(claim) | names
    claim_words |= {part for w in claim_words for part in w.split("-")}
    # The words that spell out an acronym the claim uses are named by it: "IAEA" names the
    # "International Atomic Energy Agency".
    for acronym, spelled in passage_spelled.items():
        if acronym in names:
            claim_words |= spelled
    substitutes = [n for n in passage_names if not _matches(n, claim_words)]
    sentences = [s for p in passages for s in split_sentences(_normalise(p.text))]
    best = max(sentences, key=lambda s: len(claim_terms & _terms(s)), default="")
    # Only the passage can conflict with the claim: a title summarises the whole document.
    ordinals = {ORDINALS[w] for w in passage_words if w in ORDINALS}
    numbers, source_numbers = _unmatched_numbers(claim, source, ordinals), _numbers(joined)
    dates, source_dates = _dates(claim) - _dates(joined) - card_dates, _dates(joined)
    return Features(
        coverage=len(covered) / len(claim_terms) if claim_terms else 0.0,
        name_coverage=(len(names) - len(missing)) / len(names) if names else 1.0,
        number_conflict=len(numbers) if source_numbers else 0,
        number_absent=0 if source_numbers else len(numbers),
        number_rebound=_number_rebound(claim, joined),
        date_conflict=len(dates) if source_dates else 0,
        date_absent=0 if source_dates else len(dates),
        # Swapped: the claim names an actor its source nowhere names, and the passage names another
        # of the same kind in its place (a state for a state, a person or body for a person or body).
        actor_swap=any(_kind(m, claim) == _kind(sub, joined) for m in missing for sub in substitutes)
        or _agent_swapped(claim, joined, claim_words),
        polarity_conflicts=_polarity_conflicts(claim, sentences),
        opposites=_opposites(claim, best),
        absolutes=_overstated(claim, passage_words, joined),
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
    tokens = {p.id: _terms(p.text) for p in passages}
    remaining, chosen = _terms(claim), []
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
        flipped = bool(f.polarity_conflicts) and f.name_coverage == 1
        if f.coverage >= 0.6 and (flipped or f.number_conflict or f.date_conflict):
            return Verdict(label="contradicted", score=round(p, 3), evidence_ids=ids, reason="; ".join(problems))
        reason = "; ".join(problems) or f"only {f.coverage:.0%} of claim terms found in the sources"
        return Verdict(label="unverified", score=round(p, 3), evidence_ids=ids, reason=reason)
