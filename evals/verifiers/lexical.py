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

import re
import unicodedata
from datetime import date

from pydantic import BaseModel
from vantage.tools.text import STOPWORDS, split_sentences, stem, tokenize, words

from .base import EvidenceText, Verdict
from .weights import Weights, load_weights

_NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "thousand": "1000",
    "dozen": "12", "one": "1", "decade": "10",
}  # fmt: skip
_MONTHS = "january february march april may june july august september october november december".split()
# A day of the month is part of a date, not a quantity: "2 June", "June 2".
_MONTH_ALT = "|".join(_MONTHS)
_DAY_OF_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_ALT})\b|\b({_MONTH_ALT})\s+(\d{{1,2}})\b(?!,?\d)", re.IGNORECASE
)
# Clock times compare by the hour: "17:00" is "5 p.m.", "13:00" is "1 pm".
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d\d))?\s*(a\.?m\.?|p\.?m\.?)(?!\w)|\b(\d{1,2}):(\d\d)\b", re.IGNORECASE)
_CLOCK_TOKEN = re.compile(r"^clock[a-x]$")
# "The two sides" points back at parties already named; it counts nothing new.
_THE_TWO = re.compile(r"\b(the|its|their|both)\s+two\b", re.IGNORECASE)
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Places and demonyms that name the same actor: "Kyiv's request" is Ukraine's request.
_SAME_ACTOR = {
    "ukrainian": "ukraine", "ukrainians": "ukraine", "kyiv": "ukraine", "russian": "russia",
    "russians": "russia", "moscow": "russia", "kremlin": "russia", "turkish": "turkey", "turkiye": "turkey",
    "türkiye": "turkey", "ankara": "turkey", "american": "us", "americans": "us", "washington": "us",
    "u.s": "us", "united states": "us", "israeli": "israel", "israelis": "israel", "iranian": "iran",
    "iranians": "iran", "tehran": "iran", "palestinian": "palestine", "palestinians": "palestine",
    "qatari": "qatar", "doha": "qatar", "egyptian": "egypt", "cairo": "egypt", "chinese": "china",
    "beijing": "china", "taiwanese": "taiwan", "taipei": "taiwan", "indian": "india", "delhi": "india",
    "pakistani": "pakistan", "islamabad": "pakistan", "armenian": "armenia", "yerevan": "armenia",
    "azerbaijani": "azerbaijan", "baku": "azerbaijan", "sudanese": "sudan", "khartoum": "sudan",
    "british": "britain", "london": "britain", "french": "france", "paris": "france", "german": "germany",
    "berlin": "germany", "polish": "poland", "warsaw": "poland", "emirati": "uae", "saudi": "saudi",
    "omani": "oman", "muscat": "oman", "european": "europe", "japanese": "japan", "tokyo": "japan",
}  # fmt: skip
# Where one clause of a sentence ends and the next begins: "agreed to X, but said no Y".
_CLAUSE_BREAK = re.compile(r"[;:,]\s+|\s+(?:but|while|whereas|although|though)\s+")
# Plain negators only: verbs such as "rejected" carry content and are compared as content.
_NEGATORS = frozenset("not no never neither nor none nothing without cannot".split())
# Words that turn a reported step into a completed or total one ("all", "accepted", "permanent");
# a source that lacks them, in any form of the word, does not support them.
_ABSOLUTES = frozenset(
    """
    all every entire whole fully completely always signed guaranteed unanimously formally final
    already permanent accepted agreed delivered destroyed confirmed banned resumed completed
    """.split()
)
_NAME = re.compile(r"\b[A-Z][\w'’-]+")
# Capitalised words that name an office or a body's kind rather than who it is: "the Defence
# Ministry" in a claim when the passage says "the ministry" is the same actor, not a new one.
_ROLE_WORDS = frozenset(
    """
    ministry ministries minister ministers defence defense foreign interior committee council security
    national joint coordination centre center court office department agency army forces force navy
    command government parliament assembly commission president presidential prime secretary general
    deputy chief head spokesman spokesperson spokeswoman ambassador envoy senior colonel leader
    leaders state states affairs directorate staff service headquarters delegation officials official
    """.split()
)
# Words capitalised only because a sentence starts with them.
_SENTENCE_STARTS = frozenset("among asked amid despite once earlier later meanwhile separately".split())
_NOT_NAMES = frozenset(_MONTHS) | _WEEKDAYS | STOPWORDS | _ROLE_WORDS | _SENTENCE_STARTS | set(_NUMBER_WORDS)


# Common reporting paraphrases, folded to one word so "truce" meets "ceasefire".
_SYNONYMS = {
    "truce": "ceasefire", "truces": "ceasefire", "negotiations": "talks", "negotiation": "talks",
    "negotiate": "talks", "proposed": "offered", "propose": "offered", "offer": "offered",
    "freed": "released", "free": "released", "release": "released", "stated": "said", "told": "said",
    "announced": "said", "declared": "said", "called": "said", "described": "said", "began": "started",
    "begin": "started", "start": "started", "launched": "started", "halt": "stop", "halted": "stop",
    "ended": "stop", "killed": "dead", "deaths": "dead", "died": "dead", "meeting": "talks",
    "session": "talks", "round": "talks", "swap": "exchange", "swapped": "exchange", "exchanged": "exchange",
    "sought": "wanted", "demanded": "wanted", "demand": "wanted", "backed": "supported", "voted": "vote",
    "drills": "exercises", "drill": "exercises", "exercise": "exercises", "strikes": "attack",
    "struck": "attack", "strike": "attack", "attacks": "attack", "hit": "attack", "roughly": "about",
    "around": "about", "nearly": "about", "almost": "about", "approximately": "about",
}  # fmt: skip
_YEAR = re.compile(r"^(19|20)\d\d$")


class Features(BaseModel):
    """What the verifier looks at; each value is readable on its own."""

    coverage: float  # share of the claim's content terms in the passages (names, dates also in the title)
    name_coverage: float  # share of the claim's named actors, people and places in the passages or title
    number_conflict: int  # claim numbers the passages lack while stating other numbers
    number_absent: int  # claim numbers where the passages state none
    date_conflict: int  # claim months, weekdays or years the passages lack while dating something else
    date_absent: int
    actor_swap: bool  # the claim names someone the passages lack, and they name someone it lacks
    polarity_flip: bool  # the claim and its best-matching source sentence differ in negation
    clause_flip: bool  # ...and the negation sits in the clause that carries the claim's terms
    absolutes: int  # absolute words in the claim that the passages lack

    def vetoes(self) -> list[str]:
        """Details that rule support out whatever the overlap: a number the sources lack, a date
        they give differently, someone other than the actor they name, or the opposite polarity."""
        out = []
        if self.number_conflict or self.number_absent:
            out.append("number")
        if self.date_conflict:
            out.append("date")
        if self.actor_swap:
            out.append("actor")
        if self.polarity_flip:
            out.append("negation")
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
            float(self.polarity_flip),
            float(min(self.absolutes, 2)),
        ]


_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _ascii(text: str) -> str:
    """ "Türkiye" reads as "Turkiye" and "Kyiv’s" as "Kyiv's": accents and typography are not a
    different name."""
    return unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY)).encode("ascii", "ignore").decode()


def _canonical(word: str) -> str:
    word = word.lower().strip("'’").removesuffix("'s").removesuffix("’s")
    return _SAME_ACTOR.get(word, word)


def _hour(m: re.Match[str]) -> int:
    if m.group(4):
        return int(m.group(4)) % 24
    return int(m.group(1)) % 12 + (12 if m.group(3).lower().startswith("p") else 0)


def _numbers(text: str) -> set[str]:
    """Quantities, not years: a year is a date, and so is a day of the month."""
    found = set()
    text = _THE_TWO.sub(" ", _DAY_OF_MONTH.sub(lambda m: f" {m.group(2) or m.group(3)} ", text))
    for w in words(text):
        if _CLOCK_TOKEN.match(w):
            found.add(w)
        elif w[0].isdigit() and not _YEAR.match(w):
            found.add(w.rstrip(".").removesuffix(".0"))
        elif w in _NUMBER_WORDS:
            found.add(_NUMBER_WORDS[w])
    return found


def _dates(text: str) -> set[str]:
    ws = set(words(text))
    found = {w for w in ws if w in _MONTHS or w in _WEEKDAYS or _YEAR.match(w)}
    for m in _DAY_OF_MONTH.finditer(text):
        day = m.group(1) or m.group(4)
        found.add(f"day{int(day)}")
    return found


_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w'’-]*\s+(?:of\s+|the\s+|for\s+)*)+[A-Z][\w'’-]*")


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


def _names(text: str) -> set[str]:
    """Capitalised words that are not sentence starts or function words: actors, people, places."""
    found = {_name(m.group()) for m in _NAME.finditer(text)}
    return {n for n in found if n not in _NOT_NAMES and len(n) > 2}


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
            found |= {str(published.year), _MONTHS[published.month - 1], f"day{published.day}"}
    return found


def _terms(text: str) -> set[str]:
    terms = set()
    for w in words(text):
        if w in STOPWORDS:
            continue
        canonical = _canonical(w)
        terms.add(canonical if canonical != w.removesuffix("'s") else stem(_SYNONYMS.get(canonical, canonical)))
    return terms


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


def _negations(sentence: str) -> int:
    return sum(1 for w in words(sentence) if w in _NEGATORS or w.endswith("n't"))


def _claim_clause(sentence: str, terms: set[str]) -> str:
    """The clause of a source sentence that carries most of the claim's terms."""
    return max(_CLAUSE_BREAK.split(sentence), key=lambda c: len(terms & _terms(c)))


def _vocabulary(text: str, terms: set[str], initials: set[str], names: set[str]) -> set[str]:
    """Every form a name can take in `text`: its words (actors folded, hyphenated parts apart),
    content terms, acronyms it spells out and its names."""
    known = {_canonical(w) for w in words(text)}
    return known | {part for w in known for part in w.split("-")} | terms | initials | names


def _normalise(text: str) -> str:
    """ASCII, and each clock time as one letters-only token for its hour ("17:00" and "5 p.m." both
    read "clockr"), so a time is compared as a time, not as two numbers."""
    return _CLOCK.sub(lambda m: f" clock{chr(ord('a') + _hour(m))} ", _ascii(text))


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

    def named_in(known: set[str]) -> list[str]:
        return [n for n in names if _matches(n, known) or _matches(stem(n), passage_terms)]

    found_names = named_in(_vocabulary(source, passage_terms | _terms(card), _initials(source), _names(source)))
    in_passage = named_in(_vocabulary(joined, passage_terms, set(passage_spelled), passage_names))
    claim_words = {_canonical(w) for w in words(claim)} | claim_terms | _initials(claim) | names
    claim_words |= {part for w in claim_words for part in w.split("-")}
    # The words that spell out an acronym the claim uses are named by it: "IAEA" names the
    # "International Atomic Energy Agency".
    for acronym, spelled in passage_spelled.items():
        if acronym in names:
            claim_words |= spelled
    unnamed_in_claim = [n for n in passage_names if not _matches(n, claim_words)]
    best = max(
        (s for p in passages for s in split_sentences(_normalise(p.text))),
        key=lambda s: len(claim_terms & _terms(s)),
        default="",
    )
    # Only the passage can conflict with the claim: a title summarises the whole document.
    numbers, source_numbers = _numbers(claim) - _numbers(source), _numbers(joined)
    dates, source_dates = _dates(claim) - _dates(joined) - card_dates, _dates(joined)
    negated = _negations(claim) > 0
    return Features(
        coverage=len(covered) / len(claim_terms) if claim_terms else 0.0,
        name_coverage=len(found_names) / len(names) if names else 1.0,
        number_conflict=len(numbers) if source_numbers else 0,
        number_absent=0 if source_numbers else len(numbers),
        date_conflict=len(dates) if source_dates else 0,
        date_absent=0 if source_dates else len(dates),
        # A swap is judged on the passage alone: the title may name the actor the passage
        # replaced ("Erdogan told Macron" under a headline about Putin).
        actor_swap=len(in_passage) < len(names) and bool(unnamed_in_claim),
        polarity_flip=negated != (_negations(best) > 0),
        clause_flip=negated != (_negations(_claim_clause(best, claim_terms)) > 0),
        absolutes=sum(1 for w in set(words(claim)) & _ABSOLUTES if not _same_root(w, passage_words)),
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
    if f.polarity_flip:
        problems.append("negation differs from the source")
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
        # contradicts when the passage is about the same actors, not a neighbouring event, and
        # negates the clause the claim matches: "agreed to X; later said no reply came" does not
        # deny that X was agreed.
        flipped = f.polarity_flip and f.clause_flip and f.name_coverage == 1
        if f.coverage >= 0.6 and (flipped or f.number_conflict or f.date_conflict):
            return Verdict(label="contradicted", score=round(p, 3), evidence_ids=ids, reason="; ".join(problems))
        reason = "; ".join(problems) or f"only {f.coverage:.0%} of claim terms found in the sources"
        return Verdict(label="unverified", score=round(p, 3), evidence_ids=ids, reason=reason)
