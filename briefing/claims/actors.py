"""People and roles → canonical speaker and actor, from people.yaml plus what the article itself says
("Kremlin spokesman Dmitry Peskov", "Slovak Prime Minister Robert Fico", "Ukraine's Air Force")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("people.yaml")
SYNONYMS = {
    "head of state": "president",
    "head of government": "prime minister",
    "premier": "prime minister",
    "chancellor": "chancellor",
    "top diplomat": "foreign",
}
LOCAL = re.compile(r"\b(?:city|regional|region|mayor|governor|local|district|oblast|military administration)\b", re.I)
GENERIC_SPEAKERS = re.compile(r"\b(?:experts?|analysts?|observers?|witnesses|residents|opposition|critics)\b", re.I)
GENERIC_HEADS = {
    "statement",
    "report",
    "post",
    "message",
    "communique",
    "communiqué",
    "release",
    "readout",
    "note",
    "video",
    "address",
    "interview",
    "letter",
}


@dataclass(frozen=True)
class Person:
    name: str
    actor: str | None
    role: str | None
    gender: str | None = None


@dataclass(frozen=True)
class Resolved:
    speaker: str | None
    role: str | None
    actor: str | None
    outlet: str | None = None
    person: bool = False
    gender: str | None = None


def _rx(words: list[str]) -> re.Pattern:
    alts = sorted({w for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in alts) + r")(?![\w-])")


@dataclass
class Roster:
    people: list[Person]
    variants: dict[str, Person]
    variant_rx: re.Pattern
    institutions: list[tuple[re.Pattern, str, str]]  # (pattern, name, actor)
    outlets: dict[str, str]
    outlet_rx: re.Pattern
    outlet_words: re.Pattern
    country_of: dict[str, str]
    country_rx: re.Pattern
    role_rx: re.Pattern

    def find_person(self, text: str) -> Person | None:
        m = self.variant_rx.search(text)
        return self.variants[m.group(0)] if m else None

    def country(self, text: str) -> str | None:
        m = self.country_rx.search(text)
        return self.country_of[m.group(0)] if m else None

    def institution(self, text: str) -> tuple[str, str] | None:
        for rx, name, actor in self.institutions:
            if rx.search(text):
                return name, actor
        return None

    def outlet(self, text: str) -> str | None:
        m = self.outlet_rx.search(text)
        if m:
            return self.outlets[m.group(0)]
        return None

    def has_role(self, text: str) -> bool:
        return bool(self.role_rx.search(text))


@lru_cache(maxsize=1)
def roster() -> Roster:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    people, variants = [], {}
    for p in data["people"]:
        person = Person(p["name"], p.get("actor"), p.get("role"), p.get("gender"))
        people.append(person)
        for v in [p["name"], *p.get("variants", [])]:
            variants[v] = person
            variants[tidy(v)] = person
    institutions = []
    for actor, names in data["institutions"].items():
        for n in sorted(names, key=len, reverse=True):
            institutions.append((_rx([n]), n, actor))
    institutions.sort(key=lambda t: len(t[1]), reverse=True)
    outlets = {o: o for o in data["outlets"]}
    country_of = {w: actor for actor, words in data["countries"].items() for w in words}
    return Roster(
        people,
        variants,
        _rx(list(variants)),
        institutions,
        outlets,
        _rx(list(outlets)),
        re.compile(r"\b(?:" + "|".join(re.escape(w) for w in data["outlet_words"]) + r")s?$", re.I),
        country_of,
        _rx(list(country_of)),
        re.compile(r"\b(?:" + "|".join(re.escape(w) for w in data["role_words"]) + r")s?\b", re.I),
    )


def tidy(text: str) -> str:
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(" ,;:—–-\"'“”‘’"), flags=re.I)
    return re.sub(r"\s+", " ", text)


@dataclass
class Memory:
    """What this article has said about people: surname/full name → (full name, role, actor)."""

    known: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    mentions: list[Resolved] = field(default_factory=list)  # people named so far, in order
    home: str | None = None  # the country of the dateline ("WARSAW —" → Poland)
    recent: list[Resolved] = field(default_factory=list)  # speakers and sentence subjects so far, in order

    def mention(self, name: str, role: str | None) -> None:
        r = roster()
        person = r.find_person(name)
        if person is not None:
            self.mentions.append(
                Resolved(
                    person.name,
                    f"{role or ''} {person.role or ''}".strip(),
                    person.actor,
                    person=True,
                    gender=person.gender,
                )
            )
        elif role:
            known = self.lookup(name)
            self.mentions.append(Resolved(name, role, known[2] if known else r.country(role) or self.home, person=True))

    def by_role(self, phrase: str) -> Resolved | None:
        """'the prime minister', 'the Polish prime minister' → the last person named with that role."""
        r = roster()
        country = r.country(phrase)
        core = r.country_rx.sub("", phrase).strip().lower()
        core = SYNONYMS.get(core, core)
        if not core or not r.role_rx.fullmatch(core):
            return None
        # whom the article speaks of (its speakers and subjects) before whom it merely names: in "He informed
        # Fico about his talk with U.S. President Donald Trump. ... the head of state stressed", it is "he"
        for m in [*reversed(self.recent), *reversed(self.mentions)]:
            if core in (m.role or "").lower() and (country is None or m.actor == country):
                return m
        return None

    def learn(self, name: str, role: str | None) -> None:
        r = roster()
        if not name or r.find_person(name):
            return
        actor = r.country(role) if role else None
        if actor is None and role:
            inst = r.institution(role)
            actor = inst[1] if inst else None
        entry = (name, role, actor)
        for key in {name, name.split()[-1]}:
            old = self.known.get(key)
            if old is None or (old[2] is None and actor is not None):
                self.known[key] = entry

    def lookup(self, name: str) -> tuple[str, str | None, str | None] | None:
        return self.known.get(name) or self.known.get(name.split()[-1])


def resolve(
    name: str,
    role: str | None,
    is_person: bool,
    memory: Memory | None = None,
    context: str = "",
    places: tuple[str, ...] = (),
) -> Resolved:
    """The canonical speaker, role and actor for a speaker phrase. name: the speaker's own words (a person's
    name or an organisation's noun phrase); role: an appositive or title next to it, if any."""
    r = roster()
    name = tidy(name)
    role = tidy(role) if role else None
    both = f"{role} {name}" if role else name
    person = (
        r.find_person(name)
        or (r.find_person(role) if role and not is_person else None)
        or (r.find_person(context) if is_person and context else None)
    )
    if person is not None:
        return Resolved(person.name, role or person.role, person.actor, person=True, gender=person.gender)
    if not is_person and memory is not None and name[:1].isupper() and memory.lookup(name) is not None:
        is_person = True  # a person the article named before, tagged otherwise here ("Hermans said")
    local = None
    if LOCAL.search(f"{both} {context}"):
        local = next((r.country(p) for p in places if r.country(p)), None)
    if role and r.outlet_words.search(role) and not r.has_role(role):
        return Resolved(None, None, None, outlet=name)  # "the Slovak publication Dennik N."
    if not is_person:
        outlet = r.outlet(name) or (r.outlet(role) if role else None) or (r.outlet(context) if context else None)
        if outlet and not r.has_role(name.replace(outlet, "")):
            return Resolved(None, None, None, outlet=outlet)
        if r.outlet_words.search(name) and not r.has_role(name):
            return Resolved(None, None, None, outlet=name)
    if is_person:
        known = memory.lookup(name) if memory else None
        actor = (r.country(role) or (r.institution(role) or (None, None))[1]) if role else None
        actor = local or actor
        if known is not None:
            full, krole, kactor = known
            name, role, actor = (full if len(full) > len(name) else name), role or krole, actor or kactor
        if actor is None and role and r.has_role(role) and not GENERIC_SPEAKERS.search(role) and places:
            # "In neighbouring Thailand, ... according to Defense Minister Phumtham Wechayachai": an official
            # without a country of their own is of the one country their sentence names
            named = {r.country_of[m.group(0)] for m in r.country_rx.finditer(places[-1])}
            if len(named) == 1:
                actor = next(iter(named))
        if (
            actor is None
            and memory is not None
            and memory.home
            and role
            and r.has_role(role)
            and not GENERIC_SPEAKERS.search(role)
        ):
            actor = memory.home
        return Resolved(name, role, actor, person=True)
    inst = r.institution(both)
    if inst is not None and (r.country(both) in (None, inst[1])):
        return Resolved(name, role, inst[1])
    if memory is not None and not role:
        same = memory.by_role(name)
        if same is not None:
            return same
    actor = local or r.country(both) or r.country(context)
    if (
        actor is None
        and memory is not None
        and memory.home
        and r.has_role(both)
        and not GENERIC_SPEAKERS.search(both)
        and not r.outlet_words.search(both)
    ):
        actor = memory.home
    return Resolved(name, role, actor)
