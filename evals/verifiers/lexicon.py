"""The vocabulary the lexical verifier reads claims with: number and date words, denials, absolutes,
opposite reporting verbs, paraphrases, and the words that name an office rather than who holds it.

Lists, not logic: each is a plain fact about English news prose, checked against the dev split of the
labelled citation pairs, and kept here so a reader can see at a glance what the verifier knows.
"""

from __future__ import annotations

import re

from vantage.tools.text import STOPWORDS

NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
    "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
    "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
    "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100", "thousand": "1000",
    "million": "1000000", "billion": "1000000000", "dozen": "12", "decade": "10",
}  # fmt: skip
# Words that multiply the number before them: "1.5 million" is 1,500,000, as is "1.5m".
SCALES = {
    "hundred": 100, "thousand": 1000, "million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9,
    "bn": 10**9, "trillion": 10**12,
}  # fmt: skip
# Words that mark a number as rounded: "about 1,200" is vouched for by "1,212", not by "1,500".
APPROXIMATORS = frozenset(
    "about nearly almost around roughly some approximately over under more+than at+least up+to fewer+than "
    "less+than close+to".split()
)
ROUNDING = 0.1  # how far a rounded number may sit from the source's
# Durations compare across units: "48 hours" is "two days".
UNIT_HOURS = {"minute": 1 / 60, "hour": 1, "day": 24, "week": 24 * 7, "month": 24 * 30, "year": 24 * 365}
# Units a number's value carries: a duration, or money ("$500 million" is "500 million dollars").
UNIT_WORDS = frozenset([*UNIT_HOURS, "dollar", "euro", "pound", "yuan", "rouble", "ruble", "rupee"])
MONTHS = "january february march april may june july august september october november december".split()
# A day of the month is part of a date, not a quantity: "2 June", "June 2".
MONTH_ALT = "|".join(MONTHS)
DAY_OF_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_ALT})\b|\b({MONTH_ALT})\s+(\d{{1,2}})\b(?!,?\d)", re.IGNORECASE
)
# Clock times compare by the hour: "17:00" is "5 p.m.", "13:00" is "1 pm".
CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d\d))?\s*(a\.?m\.?|p\.?m\.?)(?!\w)|\b(\d{1,2}):(\d\d)\b", re.IGNORECASE)
CLOCK_TOKEN = re.compile(r"^clock[a-x]$")
# "The two sides" points back at parties already named; it counts nothing new. Nor does "one of
# the leaders" or "one another".
THE_TWO = re.compile(r"\b(the|its|their|both)\s+two\b", re.IGNORECASE)
ONE_OF = re.compile(r"\bone\s+(?=of\b|another\b)", re.IGNORECASE)
# A source's ordinal vouches for the claim's cardinal: "the first phase" is "phase one".
ORDINALS = {
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6",
    "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10",
}  # fmt: skip
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Where one clause of a sentence ends and the next begins: "agreed to X, but said no Y", a relative
# clause about someone else ("trials of suspects who are not in custody"), and a second reported
# clause ("entered without permission and that one of them rammed a vessel").
CLAUSE_BREAK = re.compile(r"[;:,]\s+|\s+(?:but|while|whereas|although|though|who|which|and that)\s+")
NEGATORS = frozenset("not no never neither nor none nothing without cannot".split())
# Words that deny what follows as a plain "not" does: "refused to join" is "did not join". A negator
# right before one cancels it: "did not rule out" is "left open". ("Against" is left out: it is
# mostly a preposition, "a warning against separatists".)
NEGATIVE_WORDS = frozenset(
    """
    refuse refuses refused refusing refusal reject rejects rejected rejecting rejection deny denies
    denied denying decline declines declined declining impossible unable unwilling oppose
    opposes opposed opposing fail fails failed failing lack lacks lacked lacking lose loses lost losing
    object objects objected objecting dismiss dismisses dismissed dismissing resist resists resisted
    resisting boycott boycotts boycotted boycotting exempt exempts exempted exempting spare spares
    spared sparing spurn spurns spurned spurning
    """.split()
)
# Denials of two words or more: "ruled out", "stayed out", "has yet to", "turned down", "put off".
NEGATIVE_PHRASES = re.compile(
    r"\b(?:rul(?:e|es|ed|ing) out|stay(?:s|ed|ing)? out|play(?:s|ed|ing)? down"
    r"|(?:has|have|had|is|are|was|were) yet to|refrain(?:s|ed|ing)? from|(?:in the )?absence of"
    r"|rather than|instead of|stop(?:s|ped)? short of|turn(?:s|ed|ing)? down|put(?:s|ting)? off"
    r"|f(?:a|e)ll(?:s|ing|en)? short of|free (?:of|from))\b",
    re.IGNORECASE,
)
# Idioms that contain a negator or a word of denial but deny nothing: "no later than 4 a.m.", "not
# only", and "objected that X", which complains that X happened.
NOT_DENIALS = re.compile(
    r"\b(?:no later than|no sooner than|not only|no doubt|no(?:t)? (?:fewer|less|more) than"
    r"|object(?:s|ed|ing)? that)\b",
    re.IGNORECASE,
)
# Verbs of saying end a denial's reach: "declined to say where Assad was" denies the saying, not Assad.
SAYING = frozenset(
    "say saying comment commenting confirm confirming disclose disclosing elaborate specify reveal "
    "identify".split()
)
CANCEL_WINDOW = 3  # "did not formally reject": the negator reaches this many words ahead
SCOPE = 2  # content words a denial governs: "would not be [obliged]", "declined [invitation]"
# Words that turn a reported step into a completed or total one ("all", "accepted", "permanent");
# a source that lacks them, in any form of the word, does not support them.
ABSOLUTES = frozenset(
    """
    all every entire whole fully completely always signed guaranteed unanimously formally final
    already permanent accepted agreed delivered destroyed confirmed banned resumed completed
    definitively definitely certainly total totally entirely permanently outright
    """.split()
)
# Of those, the ones that quantify the word after them: "all of its troops" is not vouched for by a
# source that says "all the hostages".
QUANTIFIERS = frozenset("all every entire whole".split())
# A source vouches for a claim's quantifier with any word of totality before the same thing: "the
# entire recording" is "the full recording"; "all sides" is "all parties".
TOTALITY = QUANTIFIERS | {"full", "complete", "each"}
# "Every month" is a rate, not a claim about all months.
TIME_UNITS = frozenset("day days week weeks month months year years night nights morning hour hours".split())
# Opposite verdicts in reporting verbs: "welcomed" is not supported by "criticised", nor "adopted" by
# "rejected". Each pair of groups is compared by stem; irregular forms are listed.
OPPOSITES = (
    ("accept acceptance", "reject rejection refuse refusal decline"),
    ("admit acknowledge confirm", "deny denial reject dismiss"),
    ("welcome praise", "criticise criticize condemn denounce"),
    ("support endorse", "oppose"),
    ("approve adopt ratify", "reject veto"),
    ("attend", "boycott skip"),
    ("increase raise rise rose risen", "decrease reduce cut fall fell fallen"),
    ("win won", "lose lost"),
    ("lift ease", "impose tighten"),
    ("allow permit", "ban forbid prohibit"),
    ("resume continue keep kept", "suspend halt stop stopped"),
)
NAME = re.compile(r"\b[A-Z][\w'’-]+")
# Capitalised words that name an office or a body's kind rather than who it is: "the Defence
# Ministry" in a claim when the passage says "the ministry" is the same actor, not a new one.
ROLE_WORDS = frozenset(
    """
    ministry ministries minister ministers defence defense foreign interior committee council security
    national joint coordination centre center court office department agency army forces force navy
    command government parliament assembly commission president presidential prime secretary general
    deputy chief head spokesman spokesperson spokeswoman ambassador envoy senior colonel leader
    leaders state states affairs directorate staff service headquarters delegation officials official
    """.split()
)
# Words capitalised only because a sentence starts with them.
SENTENCE_STARTS = frozenset("among asked amid despite once earlier later meanwhile separately".split())
# Adjectives of a region, not an actor: "the southern African force" is the SADC's.
REGIONS = frozenset("african asian arab arabs western".split())
NOT_NAMES = (
    frozenset(MONTHS)
    | WEEKDAYS
    | STOPWORDS
    | ROLE_WORDS
    | SENTENCE_STARTS
    | REGIONS
    | set(NUMBER_WORDS)
    | {w for w in APPROXIMATORS if "+" not in w}  # "Nearly 400 deaths were reported"
)


# Common paraphrases in news reports, each group folded to its first word so "truce" meets
# "ceasefire" and "freed" meets "released". Word forms need not be listed where the stem meets
# ("negotiations" is found through "negotiation").
PARAPHRASES = {
    "ceasefire": "truce truces armistice",
    "talks": "negotiation negotiations negotiate meeting session round",
    "offered": "proposed propose offer proposal",
    "released": "freed free release",
    "said": "stated told announced declared called described stressed noted explained emphasised emphasized "
    "insisted asserted argued replied responded remarked",
    "started": "began begin start launched",
    "stop": "halt halted ended",
    "dead": "killed deaths died",
    "exchange": "swap swapped exchanged",
    "wanted": "sought demanded demand",
    "supported": "backed",
    "vote": "voted",
    "exercises": "drills drill exercise",
    "attack": "strikes struck strike attacks hit",
    "about": "roughly around nearly almost approximately",
    "parties": "sides side party",
    "agreement": "deal deals accord accords pact agreements",
    "soldiers": "troops troop soldier servicemen",
    "fighting": "battle battles combat clashes clash hostilities",
    "captured": "seized seize capture",
    "withdrew": "withdraw withdrawal pulled retreat retreated quit exit",
    "military": "army",
    "relations": "ties",
    "border": "frontier",
    "displaced": "fled uprooted",
    "rebels": "rebel insurgents",
    "aid": "assistance",
    "allow": "permit permits permitted",
    "differences": "disagreements disagreement difference",
    "mention": "reference mentioned",
    "explicitly": "expressly",
    "dissolve": "disband disbanded disbanding dissolved dissolving",
    "additional": "extra further",
    "main": "major key principal",
    "required": "needed necessary",
    "remained": "persisted persist remain",
    "inform": "notify notified informed",
    "modify": "alter altered modified",
    "accusation": "accusations allegation allegations",
    "pledged": "promised vowed",
    "weapons": "arms",
    "fighters": "militants combatants",
    "hostages": "captives",
    "prisoners": "detainees",
    "investigation": "probe inquiry",
    "violated": "breached breach violation",
}
SYNONYMS = {variant: canonical for canonical, variants in PARAPHRASES.items() for variant in variants.split()}

# Verbs whose subject is who acted or spoke: when a claim and its source share one, they should share
# its subject too ("Egypt's foreign minister announced" / "Qatar's prime minister announced").
REPORTING_VERBS = frozenset(
    """
    said says told announced stated added signed chaired summoned proposed described warned urged
    accused denied confirmed rejected accepted offered reported presented defended launched led
    welcomed criticised condemned called declared insisted argued claimed
    """.split()
)
