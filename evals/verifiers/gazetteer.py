"""Which names point at the same actor, and which name a state rather than a person or a body.

The lexical verifier compares who a claim names with who its source names. "Kyiv" and "Ukrainian"
are Ukraine; "the United States" is one name, not "United" and "States"; and an actor the source
swapped out is replaced by one of the same kind (Canada for the United States, Hegseth for Rubio),
so the kind is worth knowing.
"""

from __future__ import annotations

import re

# Capitals and demonyms folded to the state they stand for: "Kyiv's request" is Ukraine's request.
SAME_ACTOR = {
    "ukrainian": "ukraine", "ukrainians": "ukraine", "kyiv": "ukraine", "kiev": "ukraine",
    "russian": "russia", "russians": "russia", "moscow": "russia", "kremlin": "russia",
    "turkish": "turkey", "turkiye": "turkey", "türkiye": "turkey", "ankara": "turkey",
    "american": "us", "americans": "us", "washington": "us", "u.s": "us",
    "israeli": "israel", "israelis": "israel", "iranian": "iran", "iranians": "iran", "tehran": "iran",
    "palestinian": "palestine", "palestinians": "palestine", "qatari": "qatar", "doha": "qatar",
    "egyptian": "egypt", "cairo": "egypt", "chinese": "china", "beijing": "china",
    "taiwanese": "taiwan", "taipei": "taiwan", "indian": "india", "delhi": "india",
    "pakistani": "pakistan", "islamabad": "pakistan", "armenian": "armenia", "yerevan": "armenia",
    "azerbaijani": "azerbaijan", "baku": "azerbaijan", "sudanese": "sudan", "khartoum": "sudan",
    "british": "britain", "london": "britain", "french": "france", "paris": "france",
    "german": "germany", "berlin": "germany", "polish": "poland", "warsaw": "poland",
    "emirati": "uae", "saudi": "saudi", "omani": "oman", "muscat": "oman", "european": "europe",
    "japanese": "japan", "tokyo": "japan", "canadian": "canada", "ottawa": "canada",
    "korean": "korea", "seoul": "korea", "syrian": "syria", "damascus": "syria",
    "lebanese": "lebanon", "beirut": "lebanon", "jordanian": "jordan", "amman": "jordan",
    "iraqi": "iraq", "baghdad": "iraq", "yemeni": "yemen", "afghan": "afghanistan",
    "belarusian": "belarus", "minsk": "belarus", "georgian": "georgia", "tbilisi": "georgia",
    "italian": "italy", "rome": "italy", "spanish": "spain", "madrid": "spain",
    "dutch": "netherlands", "hague": "netherlands", "swiss": "switzerland", "geneva": "switzerland",
    "hungarian": "hungary", "budapest": "hungary", "chadian": "chad", "libyan": "libya",
    "ethiopian": "ethiopia", "eritrean": "eritrea", "kenyan": "kenya", "nairobi": "kenya",
    "algerian": "algeria", "philippine": "philippines", "filipino": "philippines", "manila": "philippines",
    "australian": "australia", "canberra": "australia", "indonesian": "indonesia", "jakarta": "indonesia",
}  # fmt: skip

# Names of more than one word that are one actor, folded before words are split.
_MULTIWORD = {
    "united states": "US", "united kingdom": "Britain", "united arab emirates": "UAE",
    "united nations": "UN", "republic of korea": "Korea", "south korea": "Korea",
    "north korea": "Pyongyang", "saudi arabia": "Saudi", "people's republic of china": "PRC",
    "republic of china": "ROC", "burkina faso": "Burkina", "sierra leone": "Sierra",
    "new zealand": "Zealand", "south africa": "Southafrica", "south sudan": "Southsudan",
}  # fmt: skip
_MULTIWORD_RE = re.compile(r"\b(?:the\s+)?(" + "|".join(map(re.escape, _MULTIWORD)) + r")\b", re.IGNORECASE)

# States, as SAME_ACTOR and _MULTIWORD fold them: a claim's missing state is swapped only for another.
STATES = frozenset(
    set(SAME_ACTOR.values()) - {"europe"}
    | {"pyongyang", "burkina", "sierra", "zealand", "southafrica", "southsudan", "prc", "roc"}
    | set(
        """
        afghanistan albania algeria angola argentina australia austria bahrain bangladesh belarus
        belgium bolivia bosnia brazil bulgaria cambodia cameroon canada chad chile colombia congo
        croatia cuba cyprus czechia denmark ecuador eritrea estonia ethiopia finland georgia ghana
        greece guyana hungary indonesia iraq ireland italy jordan kazakhstan kenya kosovo kuwait
        latvia lebanon libya lithuania malaysia mali mexico moldova mongolia morocco myanmar nepal
        netherlands niger nigeria norway panama peru philippines portugal romania rwanda senegal
        serbia singapore slovakia slovenia somalia spain sweden switzerland syria tajikistan
        thailand tunisia uganda uruguay uzbekistan venezuela vietnam yemen zambia zimbabwe korea
        """.split()
    )
)


def fold_multiword(text: str) -> str:
    """ "the United States" reads as "US", "the Republic of Korea" as "Korea"."""
    return _MULTIWORD_RE.sub(lambda m: _MULTIWORD[m.group(1).lower()], text)


def kind(name: str) -> str:
    """ "state" for a country, "other" for a person, body, place or anything else."""
    return "state" if name in STATES else "other"
