"""Words and patterns the claims modules share (a leaf: it imports nothing of the package): counted things, nouns
that can speak, nouns that stand for a number already given, singular forms, the dateline's filing day."""

from __future__ import annotations

import re

NOUNS = {
    "drones": {"drone", "drones", "uav", "uavs", "shahed", "shaheds", "shahed-type", "decoy", "decoys"},
    "missiles": {"missile", "missiles", "rocket", "rockets"},
    "people": {"people", "person", "persons", "civilians", "civilian", "residents", "individuals", "victims"},
    "children": {"child", "children", "kids", "minors", "teenagers"},
    "countries": {"country", "countries", "nations", "nation", "states", "allies", "members", "leaders", "governments"},
    "settlements": {"settlement", "settlements", "towns", "villages", "localities", "communities"},
    "buildings": {"building", "buildings", "houses", "homes", "apartments", "blocks"},
    "troops": {"troops", "soldiers", "servicemen", "personnel"},
    "regions": {"region", "regions", "oblasts", "provinces"},
}
NOUN_OF = {w: k for k, ws in NOUNS.items() for w in ws}

# Nouns that stand for a number already given ("the employers put the figure at 1,800"): English, not a story's.
NUMBER_NOUNS = {"figure", "number", "total", "tally", "count", "estimate"}

# Common nouns that can speak (a subject like "the war" or "the attack" cannot).
SPEAKING_NOUNS = {
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "president",
    "minister",
    "ministry",
    "leader",
    "leaders",
    "official",
    "officials",
    "government",
    "administration",
    "military",
    "army",
    "force",
    "forces",
    "command",
    "staff",
    "service",
    "services",
    "office",
    "agency",
    "council",
    "commission",
    "committee",
    "parliament",
    "lawmakers",
    "lawmaker",
    "diplomat",
    "diplomats",
    "ambassador",
    "envoy",
    "aide",
    "adviser",
    "advisor",
    "secretary",
    "chancellor",
    "premier",
    "governor",
    "mayor",
    "head",
    "chief",
    "commander",
    "authorities",
    "authority",
    "police",
    "prosecutors",
    "prosecutor",
    "department",
    "kremlin",
    "statement",
    "report",
    "post",
    "message",
    "readout",
    "communique",
    "release",
    "experts",
    "expert",
    "analysts",
    "analyst",
    "observers",
    "witnesses",
    "witness",
    "residents",
    "resident",
    "sources",
    "source",
    "representatives",
    "representative",
    "delegation",
    "side",
    "bureau",
    "operator",
    "company",
    "navy",
    "guard",
    "general",
    "counterpart",
    "state",
    "states",
    "country",
    "countries",
    "nations",
    "allies",
    "members",
    "people",
    "woman",
    "man",
    "officer",
    "officers",
    "medics",
    "doctors",
    "rescuers",
    "volunteers",
    "governments",
    "capitals",
    "palace",
    "house",
    "pentagon",
    "media",
    "newspaper",
    "outlet",
    "news",
    "broadcaster",
    "channel",
    "politicians",
    "opposition",
    "party",
    "ministers",
    "headquarters",
}

DATELINE_DATE = re.compile(r"^[A-Z][A-Z.'\- ]{2,30}?,\s+[A-Z][a-z]{2,4}\.?\s+\d{1,2}\b(?:\s*\([^)]{1,40}\))?\s*[-—–]")


def singular(word: str) -> str:
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


_BOUND_WORDS = (
    r"more than|over|at least|up to|fewer than|less than|nearly|almost|at most|as many as|upwards of|"
    r"dozens|hundreds|thousands"
)
_BOUND_BEFORE = re.compile(rf"\b(?:{_BOUND_WORDS})\s+$", re.I)
_BOUND_AT_START = re.compile(rf"(?:{_BOUND_WORDS})\s", re.I)


def is_bound(number_text: str, sentence: str) -> bool:
    """A one-sided bound ("more than 800", "at least 15"): it agrees with any value it admits, so it is never a side
    of a disagreement. A round figure ("about 2,400") is a value."""
    at = sentence.find(number_text)
    return bool(_BOUND_AT_START.match(number_text)) or bool(
        at >= 0 and _BOUND_BEFORE.search(sentence[max(0, at - 25) : at])
    )
