"""Who a text names, and who did what: the checks behind a swapped actor.

Names are capitalised words that are not sentence starts, office words or function words, folded to
the actor they stand for. A claim's actor is swapped when its source nowhere names it and names
another of the same kind instead, or gives a verb they share ("announced") a different subject.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from vantage.tools.text import split_sentences, stem, words

from .gazetteer import STATES, kind
from .lexicon import NAME, NOT_NAMES, REPORTING_VERBS, ROLE_WORDS, SYNONYMS
from .reading import canonical, content_terms, frozen, matches

_TOKEN = re.compile(r"[\w'-]+")
_TITLE_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")  # "Wang Yi", "Li Xi", "Xi Jinping"
_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w'’-]*\s+(?:of\s+|the\s+|for\s+)*)+[A-Z][\w'’-]*")
_ACRONYM = re.compile(r"\b[A-Z]{6,}\b")  # long enough to be a blend of word starts: "CENTCOM"
_POSSESSIVE_END = re.compile(r"(?<='s)\s+")
_PLACE = re.compile(r"\b(?:in|at|to|from|near|into|outside|across)\s+(?:the\s+)?([A-Z][\w'-]+)")
# An office or body named in full, ending in its head word: "the Mainland Affairs Council".
# Only the head word may be in lower case: "Mainland Affairs council" is one, "Rodríguez said the council" none.
_INSTITUTION = re.compile(r"(?:[A-Z][\w'-]+\s+)+(?i:" + "|".join(sorted(ROLE_WORDS)) + r")\b")
_PRONOUNS = frozenset("he she they it we i his her their its".split())
# Any verb names its agent in the passive: "the meeting was hosted by Anwar Ibrahim".
_PASSIVE_AUXILIARY = frozenset("was were is are been be being".split())
_CONJUNCTIONS = frozenset("and but".split())
_PHRASE_ENDS = frozenset("and in at on with as after before while who which that".split())
_AGENT_REACH = 8  # words from a verb back to its subject: "Senior Colonel Li Xi, the spokesperson, said"
_APPOSITION_HEAD = 3  # words of the subject before its apposition: "Secretary Antony Blinken"


@functools.lru_cache(maxsize=1 << 14)
def spelled_out(text: str) -> Mapping[str, frozenset[str]]:
    """Acronyms a text spells out, each with the words that spell it: "The International Atomic
    Energy Agency" gives "iaea" (a sentence's leading "The" dropped), "Republic of China" both
    "rc" and "roc", "Non-Proliferation Treaty" "npt"."""
    found: dict[str, set[str]] = {}
    # A possessive closes a name: "the Philippine Coast Guard's BRP Cape Engano" spells out "PCG".
    runs = (name for run in _CAPITALISED_RUN.finditer(text) for name in _POSSESSIVE_END.split(run.group()))
    for run in runs:
        parts = [p for w in run.split() for p in w.split("-") if p]
        for start in range(len(parts)):
            tail = parts[start:]
            if not tail[0][0].isupper():
                continue
            spelled = {w.lower().removesuffix("'s") for w in tail if w[0].isupper()}
            for initials in ("".join(w[0] for w in tail), "".join(w[0] for w in tail if w[0].isupper())):
                if len(initials) >= 2:
                    found.setdefault(initials.lower(), set()).update(spelled)
    return frozen(found)


def spell_blends(claim: str, source: str) -> str:
    """The claim with each acronym blended from the starts of the source's names spelled as the source
    spells it: "CENTCOM said" against "US Central Command said" reads "Central Command said" (three
    letters or more from each of two names or more; "CARICOM" is the "Caribbean Community")."""

    def spelled(m: re.Match[str]) -> str:
        acronym = m.group().lower()
        for run in _CAPITALISED_RUN.finditer(source):
            parts = [w for w in run.group().split() if w[0].isupper()]
            for start in range(len(parts)):
                if (used := _blended(acronym, [w.lower() for w in parts[start:]])) > 1:
                    return " ".join(parts[start : start + used])
        return m.group()

    return _ACRONYM.sub(spelled, claim)


def _blended(rest: str, parts: list[str]) -> int:
    """How many of `parts` spell `rest` from their starts, in order; 0 if they cannot."""
    if not rest or not parts:
        return 0
    for k in range(min(len(rest), len(parts[0])), 2, -1):
        if rest[:k] != parts[0][:k]:
            continue
        if k == len(rest):
            return 1
        if used := _blended(rest[k:], parts[1:]):
            return 1 + used
    return 0


def initials(text: str) -> set[str]:
    """The acronyms a text spells out."""
    return set(spelled_out(text))


def name_of(token: str) -> str:
    """ "RSF-linked" names the RSF; "DGMOs" the DGMO; "US-" (in "US- and Ecuador-drafted") the US."""
    token = token.strip("-")
    head, _, tail = token.partition("-")
    if tail and tail.islower():
        token = head
    if len(token) > 2 and token[:-1].isupper() and token.endswith("s"):
        token = token[:-1]
    return canonical(token)


@functools.lru_cache(maxsize=1 << 14)
def names(text: str) -> frozenset[str]:
    """Capitalised words that are not sentence starts or function words: actors, people, places."""
    found = {name_of(m.group()) for m in NAME.finditer(text) if not _opening_participle(text, m)}
    # Two letters name someone only as a given or family name ("Xi", "Wang Yi"), never in capitals
    # ("US" is a state; "UN" an acronym the spelled-out check reads).
    short = {w.lower() for run in _TITLE_RUN.finditer(text) for w in run.group().split() if len(w) == 2}
    return frozenset(n for n in found | short if n not in NOT_NAMES and (len(n) > 2 or n in STATES or n in short))


def _opening_participle(text: str, m: re.Match[str]) -> bool:
    """ "Following talks in Qatar, ..." and "Speaking in Kigali, ...": a sentence that opens on a
    participle names no one by it. ("Beijing said" does: a known name is kept.)"""
    word = m.group()
    opens = not text[: m.start()].strip() or text[: m.start()].rstrip()[-1] in '.!?:"'
    return opens and word.lower().endswith("ing") and canonical(word) not in STATES


@functools.lru_cache(maxsize=1 << 14)
def _places(text: str) -> frozenset[str]:
    """Names the text uses as places: after "in", "at", "to", "from", "near" ("talks in Istanbul")."""
    return frozenset(name_of(m.group(1)) for m in _PLACE.finditer(text))


@functools.lru_cache(maxsize=1 << 14)
def referred_back(claim: str, passage: str) -> frozenset[str]:
    """Names in a claim's institution whose head the passage uses alone: "the Mainland Affairs
    Council" in a claim, "the council" in the passage, vouches for "Mainland"."""
    vouched: set[str] = set()
    for run in _INSTITUTION.finditer(claim):
        parts = run.group().split()
        if re.search(rf"\bthe {re.escape(parts[-1].lower())}\b", passage):
            vouched |= {name_of(w) for w in parts[:-1]}
    return frozenset(vouched)


def named_in(name: str, known: set[str], terms: set[str]) -> bool:
    """Is `name` among the names a source uses? "Nagorno-Karabakh" is, where it says "Karabakh"."""
    parts = [name, *(p for p in name.split("-") if len(p) > 3 or kind(p) == "state")]
    return any(matches(p, known) or matches(stem(p), terms) for p in parts)


def kind_in(name: str, text: str) -> str:
    """ "state" (from the gazetteer), "place" (as the text uses it) or "other" (a person, a body)."""
    if kind(name) == "state":
        return "state"
    return "place" if name in _places(text) else "other"


@functools.lru_cache(maxsize=1 << 14)
def _agents(text: str) -> Mapping[str, tuple[frozenset[str], ...]]:
    """Who did what: for each reporting verb in `text` ("told" and "announced" fold into "said"), and
    any verb in the passive, the words that identify its subject, read back from the verb (or after
    "by" in the passive), less office words: "Qatari foreign ministry spokesman Majed al-Ansari said"
    gives {"qatar", "majed", "al-ansari"}. "told>" holds whom someone told. A pronoun leaves the
    subject unknown ("Asked about the drills, she said")."""
    agents: dict[str, list[set[str]]] = {}
    for sentence in split_sentences(text):
        spans = list(_TOKEN.finditer(sentence))
        tokens = [m.group() for m in spans]
        for i, token in enumerate(tokens):
            verb = token.lower()
            by = tokens[i + 1 : i + 2] == ["by"]
            auxiliary = {t.lower() for t in tokens[max(0, i - 2) : i]} & _PASSIVE_AUXILIARY
            passive = by and verb.endswith("ed") and bool(auxiliary)
            if verb not in REPORTING_VERBS and not passive:
                continue
            if by:
                phrase = _agent_phrase(tokens[i + 2 : i + 2 + _AGENT_REACH])
            elif i and tokens[i - 1].lower() in _CONJUNCTIONS:
                # "The statement thanked Oman ... and said": the words before are the first verb's object.
                phrase = []
            else:
                phrase = tokens[max(0, i - _AGENT_REACH) : i][::-1]
                phrase += _before_apposition(sentence[: spans[i].start()])
            if subject := _identity(phrase):
                agents.setdefault(SYNONYMS.get(verb, verb), []).append(subject)
            if verb == "told" and (addressee := _identity(tokens[i + 1 : i + 3])):
                agents.setdefault("told>", []).append(addressee)
    return MappingProxyType({verb: tuple(map(frozenset, subjects)) for verb, subjects in agents.items()})


def _before_apposition(before: str) -> list[str]:
    """The words that a subject's apposition follows, nearest first: in "Blinken, the highest-ranking
    US official to visit Haiti in nearly a decade, told", the verb is too far from "Blinken" to read
    back to it, and the description alone would name Haiti as the speaker."""
    before = before.rstrip()
    if not before.endswith(","):
        return []
    opening = before[:-1].rfind(",")
    return _TOKEN.findall(before[:opening])[-_APPOSITION_HEAD:][::-1] if opening > 0 else []


def _agent_phrase(tokens: list[str]) -> list[str]:
    """The agent after "by", up to where its noun phrase ends: "by Anwar Ibrahim and attended by Hun
    Manet" is Anwar Ibrahim."""
    end = next((j for j, t in enumerate(tokens) if j and t.lower() in _PHRASE_ENDS), len(tokens))
    return tokens[:end]


def _identity(phrase: list[str]) -> set[str]:
    """The words of a subject phrase that say who it is, nearest first, up to a pronoun or another
    reporting verb; empty unless the phrase names someone."""
    named, identity = False, set()
    for token in phrase:
        low = token.lower()
        if low in _PRONOUNS or low in REPORTING_VERBS:
            break
        if token[0].isupper() and (name := name_of(token)) not in NOT_NAMES:
            named = True
            identity.add(name)
        elif low not in ROLE_WORDS:
            identity |= content_terms(low)
    return identity if named else set()


def agent_swapped(claim: str, source: str, claim_words: set[str], known: set[str]) -> bool:
    """The claim and its source share a reporting verb, and the claim's subject for it shares no word
    with any of the source's, which names someone the claim does not: "Egypt's foreign minister
    announced" against "Qatar's prime minister ... announced", "told Putin" against "told Macron".
    A state's subject is not swapped by a person of no other state: "Guyana's president said"
    against "Ali said", where the source names Guyana (`known`)."""
    theirs, claim_names = _agents(source), names(claim)
    for verb, mine in _agents(claim).items():
        others = theirs.get(verb, [])
        if not any(not matches(n, claim_words) for o in others for n in o):
            continue
        theirs_states = {n for o in others for n in o if kind(n) == "state"} | _states_before(source, verb)
        for s in mine:
            if any(_overlaps(s, o) for o in others):
                continue
            states = s & claim_names
            speaks_for = bool(states) and all(kind(n) == "state" for n in states) and states <= known
            if not (speaks_for and theirs_states <= states):
                return True
    return False


@functools.lru_cache(maxsize=1 << 14)
def _states_before(text: str, verb: str) -> frozenset[str]:
    """The states a sentence names before its `verb`: whose office the speaker may hold ("Qatar's
    Prime Minister ..., Sheikh Mohammed ... Al Thani, announced" speaks for Qatar)."""
    found: set[str] = set()
    for sentence in split_sentences(text):
        tokens = _TOKEN.findall(sentence)
        for i, token in enumerate(tokens):
            if token.lower() in REPORTING_VERBS and SYNONYMS.get(token.lower(), token.lower()) == verb:
                found |= {n for t in tokens[:i] if kind(n := name_of(t)) == "state"}
    return frozenset(found)


@functools.lru_cache(maxsize=1 << 14)  # a passage is read for every claim that cites it
def _given_names(text: str) -> Mapping[str, frozenset[str]]:
    """Each surname with the given names `text` puts right before it ("Caryslia Rodríguez"), office
    words aside ("President Maduro" gives Maduro none)."""
    found: dict[str, set[str]] = {}
    for run in _TITLE_RUN.finditer(text):
        *before, surname = map(name_of, run.group().split())
        if before and before[-1] not in NOT_NAMES and before[-1] not in ROLE_WORDS:
            found.setdefault(surname, set()).add(before[-1])
    return frozen(found)


def _overlaps(a: set[str], b: set[str]) -> bool:
    return any(matches(t, b) for t in a)


def vocabulary(text: str, text_terms: set[str], acronyms: set[str], text_names: set[str]) -> set[str]:
    """Every form a name can take in `text`: its words (actors folded, hyphenated parts apart),
    content terms, acronyms it spells out and its names."""
    known = {canonical(w) for w in words(text)}
    return known | {part for w in known for part in w.split("-")} | text_terms | acronyms | text_names


class NameCheck(NamedTuple):
    coverage: float  # share of the claim's names its source uses (passage, title or publisher)
    swapped: bool  # someone else stands where the claim names an actor


def check(claim: str, passage: str, card: str) -> NameCheck:
    """Does the cited document name whom the claim names? A name may come from the passage or the
    document's title and publisher. An actor is swapped when the document nowhere names it and the
    passage names another of the same kind (a state for a state, a place for a place, a person or
    body for a person or body), or when the claim gives a verb it shares with the passage another
    subject."""
    source = f"{passage} {card}"
    passage_terms = content_terms(passage)
    claim_names = names(claim)
    known = vocabulary(source, passage_terms | content_terms(card), initials(source), names(source))
    known |= referred_back(claim, passage.lower())
    # A given name is the person's whose surname the source gives: "Barbara Leaf" where it says "Leaf".
    # Not where it gives the surname another given name: "Delcy Rodríguez" against "Caryslia Rodríguez".
    passage_names = names(passage) | {canonical(w) for w in words(passage)}
    given_there = _given_names(passage)
    for run in _TITLE_RUN.finditer(claim):
        *given, surname = map(name_of, run.group().split())
        if surname not in NOT_NAMES and kind(surname) != "state" and matches(surname, passage_names):
            others = given_there.get(surname, frozenset())
            if not others or others & set(given):
                known |= {n for n in given if kind(n) != "state"}
    missing = [n for n in claim_names if not named_in(n, known, passage_terms)]
    claim_words = {canonical(w) for w in words(claim)} | content_terms(claim) | initials(claim) | claim_names
    claim_words |= {part for w in claim_words for part in w.split("-")}
    # The words that spell out an acronym the claim uses are named by it: "IAEA" names the
    # "International Atomic Energy Agency".
    for acronym, spelled in spelled_out(passage).items():
        if acronym in claim_names:
            claim_words |= spelled
    # "Doug" stands for no one new where the claim names Ford and the passage "Premier Doug Ford".
    # Unless the claim gives Ford another given name: "Maria" stands for someone new against "Anna Kovacs".
    given_here = _given_names(claim)
    for run in _TITLE_RUN.finditer(passage):
        parts = [name_of(w) for w in run.group().split()]
        mine = given_here.get(parts[-1], frozenset())
        if parts[-1] in claim_names and (not mine or mine & set(parts)):
            claim_words |= {n for n in parts if kind(n) != "state"}
    substitutes = [n for n in names(passage) if not matches(n, claim_words)]
    swapped = any(kind_in(m, claim) == kind_in(s, passage) for m in missing for s in substitutes)
    coverage = (len(claim_names) - len(missing)) / len(claim_names) if claim_names else 1.0
    return NameCheck(coverage, swapped or agent_swapped(claim, passage, claim_words, known))
