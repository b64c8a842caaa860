"""Other names for what a question names, from the claims layer's roster (briefing/claims/people.yaml): a seat or
organ that speaks for a state stands for it ("Moscow", "the Kremlin" for Russia; "Washington", "the White House"
for the United States; "Brussels" for the European Union), and a speaker described by role ("the bloc's top
diplomat", "the head of the European Commission", "the Kremlin's press secretary") is the person whose stored
role says so. A city that is not a seat (Krasnodar) stands only for itself."""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.claims.actors import SYNONYMS, roster
from briefing.claims.models import Claim
from briefing.text import STOPWORDS, stem


@lru_cache(maxsize=1)
def _seats() -> dict[str, str]:
    """Institution and seat names → the actor they speak for."""
    return {name: actor for _, name, actor in roster().institutions}


def _state_words(actor: str) -> set[str]:
    """The ways articles name the actor itself: its name, its seats and organs, its own country words that share
    the name's stem (Russian, Russia's; Ukrainian)."""
    r = roster()
    words = {actor} | {n for n, a in _seats().items() if a == actor}
    head = actor.lower()[:5]
    words |= {
        w
        for w, a in r.country_of.items()
        if a == actor and (w.lower()[:5] == head or w in words or w.replace(".", "").isupper())  # US, U.S., EU
    }
    return words


def equivalents(name: str) -> list[str]:
    """Other names that stand for what `name` stands for: for a seat or organ of a state, or the state's name
    or country word written like it, the state's other such names; none for a person or a city."""
    clean = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    clean = re.sub(r"[’']s$", "", clean)
    actor = _seats().get(clean)
    if actor is None:
        actor = roster().country_of.get(clean)
        if actor is None or clean.lower()[:5] != actor.lower()[:5]:
            return []
    return sorted(_state_words(actor) - {clean}, key=len, reverse=True)


def is_seat(name: str) -> bool:
    """A place the roster lists as speaking for a state: its capital or seat (Kyiv, Moscow, Washington)."""
    clean = re.sub(r"[’']s$", "", re.sub(r"^the\s+", "", name.strip(), flags=re.I))
    return clean in _seats() and clean in roster().country_of


def state_of(name: str) -> str | None:
    """The state a name stands for when it is the state, one of its seats or organs ('Ukraine', 'Kyiv', 'Moscow')."""
    clean = re.sub(r"[’']s$", "", re.sub(r"^the\s+", "", name.strip(), flags=re.I))
    if clean in _seats():
        return _seats()[clean]
    actor = roster().country_of.get(clean)
    return actor if actor is not None and clean in _state_words(actor) else None


def _role_of(claim: Claim) -> str:
    r = roster()
    person = r.variants.get(claim.speaker or "")
    return " ".join(x for x in (claim.speaker_role, person.role if person else None, claim.speaker) if x)


def speaker_fits(phrase: str, head: str, claim: Claim | None) -> bool:
    """The claim's speaker is the one the question describes by role: the role's head word ('envoy') or what a
    synonym of it means ('top diplomat' → foreign), or the body the phrase names ('the European Commission'),
    occurs in the speaker's stored role; and the phrase's state, if it names one, is the speaker's."""
    if claim is None or claim.kind != "statement" or not claim.speaker or not phrase:
        return False
    role = _role_of(claim)
    role_stems = {stem(w) for w in re.findall(r"[a-z]+", role.lower())}
    low = phrase.lower()
    wanted = {stem(head.lower())}
    for words, meaning in SYNONYMS.items():
        if re.search(rf"\b{words}\b", low):
            wanted |= {stem(w) for w in meaning.split()}
    proper = [w for w in re.findall(r"[A-Z][\w-]+", phrase) if w.lower() not in STOPWORDS]
    fits = bool(wanted & role_stems) or bool(proper) and all(stem(w.lower()) in role_stems for w in proper)
    if not fits:
        return False
    r = roster()
    named = r.country(phrase) or (r.institution(phrase) or (None, None))[1]
    return not (named and claim.actor and named != claim.actor)


TEMPORAL = {"new", "former", "current", "acting", "incoming", "outgoing", "interim", "then"}
TITLES = {  # titles written as their initials
    "ceo": ("chief", "executive", "officer"),
    "cfo": ("chief", "financial", "officer"),
    "coo": ("chief", "operating", "officer"),
    "pm": ("prime", "minister"),
}


def holds(role: str, ent) -> bool:
    """'Who is Slovakia's foreign minister?': a person named with that office in the sentence ("Hungarian Foreign
    Minister Peter Szijjarto", "Kaja Kallas, the EU's foreign policy chief") and of that state, as the sentence or
    the roster says (Szijjarto is Hungary's, not Slovakia's)."""
    if ent.label_ != "PERSON":
        return False
    doc = ent.doc
    r = roster()
    # the office itself: "president" of "the president of the Machinists' District 751", "chief executive" of
    # "Boeing's new chief executive" (what it is of, and when, is not part of the title as written)
    core = re.split(r"\bof\b", role)[0]
    core = core.split("’s")[-1].split("'s")[-1]
    office = {
        stem(w)
        for w in re.findall(r"[A-Za-z]+", core)
        if w.lower() not in STOPWORDS and w.lower() not in TEMPORAL and not r.country(w) and not r.institution(w)
    }
    if not office:
        return False
    near = list(doc[max(0, ent.start - 5) : ent.start]) + [
        t for t in doc[ent.end : ent.end + 8] if any(a.dep_ == "appos" for a in [t, t.head])
    ]
    near_stems = {stem(t.lower_) for t in near}
    for short, words in TITLES.items():  # "CEO Kelly Ortberg" holds "chief executive"
        if short in {t.lower_ for t in near}:
            near_stems |= {stem(w) for w in words}
    if not office <= near_stems:
        return False
    state = r.country(role) or (r.institution(role) or (None, None))[1]
    if state is None:
        return True
    person = r.find_person(ent.text)
    if person is not None and person.actor:
        return person.actor == state
    said = r.country(" ".join(t.text for t in near))
    return said is None or said == state
