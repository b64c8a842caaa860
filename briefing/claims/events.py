"""Which event a sentence is about (what happened + where, as a short key) and on which day,
with relative days resolved against the article's publication date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from briefing.claims.lexicon import DATELINE_DATE, NOUN_OF, SPEAKING_NOUNS, singular
from briefing.claims.nlp import text_of
from briefing.claims.places import norm_place, place_of
from briefing.dates import date_mentions

EVENT_WORDS = {
    "attack": {
        "attack",
        "attacks",
        "attacked",
        "attacking",
        "strike",
        "strikes",
        "struck",
        "striking",
        "hit",
        "shelling",
        "shelled",
        "bombardment",
        "barrage",
        "assault",
        "raid",
        "raids",
        "bombing",
        "bombed",
        "explosion",
        "explosions",
        "blast",
        "blasts",
        "launched",
        "fired",
        "targeted",
        "onslaught",
        "salvo",
    },
    "meeting": {
        "summit",
        "meeting",
        "meetings",
        "met",
        "meet",
        "meets",
        "talks",
        "conference",
        "gathering",
        "forum",
        "hosted",
        "convened",
        "session",
        "gathered",
        "gather",
    },
}
WORD_TO_KIND = {w: k for k, words in EVENT_WORDS.items() for w in words}
FIGURATIVE = {
    "note",
    "tone",
    "deal",
    "agreement",
    "chord",
    "balance",
    "compromise",
    "pose",
    "bargain",
    "nerve",
    "record",
    "wall",
}
CLAUSE_DEPS = {"ccomp", "relcl", "acl", "advcl", "parataxis", "pcomp", "xcomp", "conj", "csubj"}
PLACE_PREPS = {"in", "on", "at", "near", "over", "across", "against", "into", "outside", "around", "throughout"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
SAME_DAY = re.compile(r"\b(overnight|last night|this morning|early (?:on )?\w+day|earlier today|tonight)\b", re.I)


# Words that name an attack only in a story of weapons: elsewhere a "strike" is a walk-out, "hit" a blow to trade.
AMBIGUOUS = {"strike", "strikes", "struck", "striking", "hit", "launched", "fired", "targeted"}
NOMINAL_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "compound", "appos", "conj", "attr", "ROOT"}


def weapons_story(docs) -> bool:
    """Does the article speak of weapons or of an attack in words that mean nothing else (drones, missiles,
    shelling, bombing, ...)? Only then is a "strike" or a "hit" an attack."""
    for doc in docs:
        for tok in doc:
            low = tok.text.lower()
            if NOUN_OF.get(low) in ("drones", "missiles"):
                return True
            if WORD_TO_KIND.get(low) == "attack" and low not in AMBIGUOUS:
                return True
    return False


def title_event_noun(title_doc, body_docs) -> str | None:
    """The headline's event when it names none the program knows: the noun that is the subject of the headline's
    verb ("Floods cut power to 40,000 homes", "Port strike strands ships"), told again in the article, that is not
    a name, a speaker or a counted thing."""
    from briefing.claims.actors import roster

    places = roster().country_of

    def fits(tok) -> bool:
        noun = singular(tok.text)
        return not (
            tok.ent_type_
            or tok.text in places
            or tok.text.title() in places
            or (tok.text.isupper() and len(tok.text) > 1)
            or not tok.text.isalpha()
            or len(tok.text) < 4
            or noun in SPEAKING_NOUNS
            or noun + "s" in SPEAKING_NOUNS
            or tok.text.lower() in NOUN_OF
            or noun in NOUN_OF
            or noun in WORD_TO_KIND
            or any(c.dep_ == "prep" and c.text.lower() == "of" for c in tok.children)  # "Coalition of the willing"
            or roster().outlet_words.search(tok.text)  # "..., Japanese television reports": the reporter
        )

    from briefing.text import stem

    names = {t.text for d in body_docs for t in d if t.i > 0 and t.text[:1].isupper()}  # proper nouns of the text
    # what happens is told with its day: "A fire broke out ... on Sunday night", "rain flooded towns ... on Sunday"
    dated = {stem(t.text.lower()) for d in body_docs if any(e.label_ in ("DATE", "TIME") for e in d.ents) for t in d}

    def happens(tok) -> bool:
        return fits(tok) and tok.text not in names and stem(tok.text.lower()) in dated

    subj = next((t for t in title_doc if t.dep_ in ("nsubj", "nsubjpass") and happens(t)), None)
    if subj is not None:
        return singular(subj.text)  # "Floods force thousands from homes", "Northern Italy floods kill three"
    # a headline noun that is what happens in the lede: "... chemical plant fire ..." / "A fire broke out ..."
    title_nouns = {singular(t.text) for t in title_doc if happens(t)}
    lede = body_docs[0] if body_docs else None
    for t in lede or []:
        if t.dep_ in ("nsubj", "nsubjpass") and singular(t.text) in title_nouns and fits(t) and t.head.i != t.i:
            return singular(t.text)
    return None


def event_kind(doc, weapons: bool = True, nouns: frozenset[str] = frozenset()) -> tuple[str, int] | None:
    """(kind, token index) of the first event word, outside quotes-of-opinion heuristics. weapons: the article is
    a story of weapons (else an ambiguous attack word names an event of its own: a "strike"); nouns: the
    article's own event nouns (its headline's), each its own kind."""
    found = _known_kind(doc, weapons)
    if found is not None or not nouns:
        return found
    for tok in doc:  # the article's own event noun, where no event word the program knows is in the sentence
        if tok.dep_ in NOMINAL_DEPS and not tok.ent_type_ and singular(tok.text) in nouns:
            return singular(tok.text), tok.i
    return None


def _natural(tok):
    """'An earthquake struck Myanmar', 'a storm hit the coast': the subject of struck/hit is the event when it is a
    thing, not an attacker (a state, a force, a weapon)."""
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.ent_type_ or not subj.text.isalpha() or subj.text[:1].isupper():
        return None
    if subj.text.lower().rstrip("s") in ATTACKERS:
        return None
    return subj


ATTACKERS = {
    "drone", "missile", "rocket", "bomb", "shell", "force", "troop", "army", "military", "soldier", "jet", "plane",
    "aircraft", "warplane", "fighter", "artillery", "strike", "attack", "raid", "unit", "militant", "gunmen", "gunman",
    "attacker", "enemy", "shahed", "uav", "it", "they",
}  # fmt: skip


def _known_kind(doc, weapons: bool) -> tuple[str, int] | None:
    for tok in doc:
        low = tok.text.lower()
        kind = WORD_TO_KIND.get(low)
        if low in ("struck", "strikes", "hit", "hits") and (subj := _natural(tok)) is not None:
            return singular(subj.text), tok.i  # placed by the verb's phrase ("struck central Myanmar")
        if kind == "attack" and low in AMBIGUOUS and not weapons:
            kind = None
            if low in ("strike", "strikes") and tok.dep_ in NOMINAL_DEPS:
                kind = "strike"  # a walk-out: the noun itself
        if kind is None:
            continue
        if kind not in EVENT_WORDS:
            return kind, tok.i
        if tok.text.lower() in ("struck", "strike", "strikes", "hit") and any(
            c.dep_ == "dobj" and c.text.lower() in FIGURATIVE for c in tok.children
        ):
            continue
        if tok.text.lower() == "hit" and not any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children):
            continue
        if tok.text.lower() in ("launched", "fired") and not any(
            c.text.lower().rstrip("s") in ("drone", "missile", "rocket", "shahed", "uav", "bomb")
            or any(g.text.lower().rstrip("s") in ("drone", "missile", "rocket") for g in c.subtree)
            for c in tok.children
            if c.dep_ in ("dobj", "nsubjpass")
        ):
            continue
        return kind, tok.i
    return None


def _attached(tok, event) -> bool:
    """Is tok part of the event's own phrase: under the event word, or under the verb whose subject or
    object the event word is ("held talks in Beijing"), without crossing into another clause?"""
    anchors = {event.i}
    if event.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj") and event.head is not event:
        anchors.add(event.head.i if event.dep_ != "pobj" else event.head.head.i)
    t = tok
    for _ in range(10):
        if t.i in anchors:
            return True
        if t.head is t or t.dep_ in CLAUSE_DEPS:
            return False
        t = t.head
    return False


def event_place(doc, near: int | None = None) -> str | None:
    """The place of the event: a place entity after a locative preposition, or a place modifying the
    event noun ("the Paris meeting", "Kyiv's ..."); otherwise None."""
    from briefing.claims.actors import roster

    r = roster()
    best = None
    spans = [e for e in doc.ents if e.label_ in PLACE_LABELS]
    covered = {i for e in spans for i in range(e.start, e.end)}  # a known place tagged as a person still counts
    # known places the tagger missed or mislabelled ("Krasnodar region", "Kyiv" tagged as a time)
    spans += [
        doc[t.i : t.i + 1]
        for t in doc
        if t.i not in covered
        and t.text in r.country_of
        and t.text[:1].isupper()
        and not t.text.endswith(("ian", "ish", "ese"))
    ]
    for ent in spans:
        root = ent.root
        # "in Russia's Krasnodar region": a place inside the phrase a place preposition governs
        np_head, via = root, None
        while np_head.dep_ in ("compound", "poss", "amod", "nmod") and np_head.head is not np_head:
            via = via or np_head.dep_
            np_head = np_head.head
        head = root.head
        score = None
        if root.dep_ == "pobj" and (
            head.text.lower() in PLACE_PREPS or (head.text.lower() == "of" and near is not None and head.head.i == near)
        ):
            score = 0  # "in Kyiv", "the shelling of Kherson"
        elif (
            via is not None
            and np_head.dep_ == "pobj"
            and np_head.head.text.lower() in PLACE_PREPS
            and np_head.text.lower() not in WORD_TO_KIND
        ):
            score = 0.5 if via == "poss" else 0.25
        elif root.dep_ in ("compound", "poss", "nmod", "amod", "dobj") and near is not None and head.i == near:
            score = 0
        elif (
            root.dep_ == "pobj"
            and head.text.lower() in ("of", "to")
            and head.head.text.lower()
            in ("city", "region", "outskirts", "capital", "center", "centre", "territory", "skies", "parts", "areas")
        ):
            score = 1
        if score is None or (near is not None and not _attached(np_head if via else root, doc[near])):
            continue
        dist = abs(root.i - near) if near is not None else root.i
        key = (score, dist)
        if best is None or key < best[0]:
            best = (key, norm_place(ent.text))
    if best is None and near is not None:
        # a known place the tagger missed, as the event's object or after a place preposition ("struck Kyiv")
        from briefing.claims.actors import roster

        head = doc[near]
        r = roster()
        for t in head.children:
            cands = (
                [t]
                if t.dep_ in ("dobj", "compound", "poss")
                else (
                    [g for g in t.children if g.dep_ == "pobj"]
                    if t.dep_ == "prep" and t.text.lower() in PLACE_PREPS
                    else []
                )
            )
            for c in cands:
                if (
                    c.text in r.country_of
                    and c.text[:1].isupper()
                    and c.ent_type_ not in ("NORP",)
                    and not c.text.endswith("ian")
                ):
                    return norm_place(c.text)
        # "attacks on Russian oil infrastructure", "destroyed 69 drones over Russian regions": a country word
        # in the event's own phrase or its verb's
        owners = [head] + ([head.head] if head.dep_ in ("dobj", "nsubj", "nsubjpass") and head.head is not head else [])
        for prep in (c for o in owners for c in o.children):
            if prep.dep_ == "prep" and prep.text.lower() in PLACE_PREPS:
                for t in prep.subtree:
                    if t.ent_type_ in ("NORP", "GPE"):
                        actor = roster().country(t.text)
                        if actor:
                            return actor.lower()
    return best[1] if best else None


def event_of(doc, weapons: bool = True, nouns: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """(kind, place) for one sentence."""
    found = event_kind(doc, weapons, nouns)
    if found is None:
        return None, None
    kind, i = found
    place = event_place(doc, i)
    if kind not in EVENT_WORDS and place is not None:
        # an event of the article's own: placed only by a city or country ("at Europe's largest port" is not)
        ents = [e for e in doc.ents if norm_place(e.text) == place and e.label_ in ("GPE", "LOC")]
        place = own_place(ents[0]) if ents else None
    return kind, place


def own_place(ent) -> str | None:
    """The place of an event of the article's own kind: the country the gazetteer puts it in (outlets name
    different towns of one flood), else the city or region itself; a continent or sea is none."""
    from briefing.claims.actors import roster

    country = roster().country(ent.text)
    if country:
        return country.lower()
    return norm_place(ent.text) if ent.label_ == "GPE" else None


NTH_DAY = re.compile(
    r"\b(second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|(\d{1,2})(?:st|nd|rd|th))\s+"
    r"(?:straight\s+|consecutive\s+|full\s+)?day\b",
    re.I,
)
ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
            "tenth": 10}  # fmt: skip


def started_on(text: str, day: date | None) -> date | None:
    """ "The strike entered its second day on Wednesday": an event in its Nth day on D began on D - (N - 1)."""
    m = NTH_DAY.search(text)
    if m is None or day is None:
        return day
    n = int(m.group(2)) if m.group(2) else ORDINALS[m.group(1).lower()]
    return day - timedelta(days=n - 1) if 1 < n <= 31 else day


def _token_at(doc, char: int):
    for tok in doc:
        if tok.idx <= char < tok.idx + len(tok.text) + 1:
            return tok
    return None


def _under_verb(tok, verb_i: int | None) -> bool:
    """Is this date attached to the reporting verb (the day it was said) rather than to the event?"""
    if verb_i is None or tok is None:
        return False
    t = tok
    for _ in range(12):
        if t.i == verb_i:
            return True
        if t.head is t or t.dep_ in CLAUSE_DEPS or t.text.lower() in WORD_TO_KIND:
            return False  # a clause of its own, or "after Thursday's meeting": the event's day
        t = t.head
    return False


DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(january|february|march|april|may|june|july|august|september|"
    r"october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b(?!\s*,?\s*\d{4})",
    re.I,
)


def _mentions(text: str, published: date | None) -> list[tuple[int, int, date]]:
    """date_mentions plus '4 August' (day before month, no year: the year of publication)."""
    found = date_mentions(text, published)
    if published is not None:
        from briefing.dates import MONTHS

        taken = [(s, e) for s, e, _ in found]
        for m in DAY_MONTH.finditer(text):
            if any(not (m.end() <= a or m.start() >= b) for a, b in taken):
                continue
            try:
                day = date(published.year, MONTHS[m.group(2).lower()], int(m.group(1)))
            except ValueError:
                continue
            if day > published:
                day = day.replace(year=published.year - 1)
            found.append((m.start(), m.end(), day))
    return sorted(found)


REFERENCE_PREPS = {"before", "after", "since", "until", "till", "prior", "ahead"}


def _reference(tok) -> bool:
    """A day that only places another time ("Before Sunday's assault, the record was July 9"): not the event's,
    when the sentence names another."""
    t = tok
    for _ in range(6):
        if t is None or t.head is t:
            return False
        if t.dep_ == "pobj" and t.head.text.lower() in REFERENCE_PREPS:
            return True
        if t.dep_ in CLAUSE_DEPS:
            return False
        t = t.head
    return False


def dates_of(doc, published: date | None, verb_i: int | None) -> tuple[date | None, date | None]:
    """(event day, statement day) named in a sentence."""
    event_day = said_day = reference = None
    text = text_of(doc)
    m = DATELINE_DATE.match(text)
    filed = m.end() if m else 0
    for start, _end, day in _mentions(text, published):
        if published is not None and day > published:
            continue
        if start < filed:
            continue  # "GHENT, Nov 3 (Northgate) -": the day the story was filed, not the day of its event
        tok = _token_at(doc, start)
        if _under_verb(tok, verb_i):
            said_day = said_day or day
        elif _reference(tok):
            reference = reference or day
        else:
            event_day = event_day or day
    event_day = event_day or reference
    if event_day is None and published is not None and SAME_DAY.search(text):
        event_day = published
    return event_day, said_day


def remarks_place(doc, verb_i: int | None) -> str | None:
    """Where a statement was made: "said in Vladivostok", "Speaking in Vladivostok, ... said", "told
    reporters in Beijing"."""
    if verb_i is None:
        return None
    verb = doc[verb_i]
    heads = [verb] + [
        c for c in verb.children if c.dep_ in ("advcl", "dobj") and (c.text.lower().endswith("ing") or c.dep_ == "dobj")
    ]

    for h in heads:
        for prep in h.children:
            if prep.dep_ == "prep" and prep.text.lower() in ("in", "at"):
                for p in prep.children:
                    if p.dep_ == "pobj":
                        place = place_of(p, _countries())
                        if place and place not in ("capital", "country", "city"):
                            return place
    return None


def _countries():
    from briefing.claims.actors import roster

    return roster().country_of
