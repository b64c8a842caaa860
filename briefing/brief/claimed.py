"""The day's claims, joined to their stored sentences and outlets: what positions, key facts, the headline and
the timeline of a brief are built from."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from briefing.claims.models import Claim
from briefing.text import content_terms, normalize

if TYPE_CHECKING:
    from briefing.evidence import Sentence

FURNITURE = re.compile(
    r"^(?:photo|photograph|picture|image|video|source|author|by|read also|read more|related|©)\b|"
    r"\bmin read\b|\bread time\b|\bupdated\b.*\d{2}:\d{2}|\(reporting by\b",
    re.I,
)
MIN_WORDS = 6
DAY_WORDS = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|overnight|yesterday|today|tonight|last night|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2})\b",
    re.I,
)

# "Earlier this week, Putin said ...": said before the report's day, not on it
PAST_PERIOD = re.compile(
    r"\b(?:earlier (?:this|in the) (?P<w1>week|month)|(?P<last>last) (?P<w2>week|month)|"
    r"(?:a few|several|two|three|four|five) days (?:ago|earlier))\b",
    re.I,
)


def period_days(text: str, published: date) -> set[date] | None:
    """The days a past period of the report names ("earlier this week", "last week", "days ago"), the report's
    own day excluded; None when the sentence names none."""
    m = PAST_PERIOD.search(text)
    if m is None:
        return None
    unit = (m["w1"] or m["w2"] or "days").lower()
    if unit == "week":
        monday = published - timedelta(days=published.weekday())
        if m["last"]:
            return {monday - timedelta(days=7 - n) for n in range(7)}
        days = {monday + timedelta(days=n) for n in range((published - monday).days)}
        return days or {published - timedelta(days=1)}
    span = 30 if unit == "month" else 6
    return {published - timedelta(days=n) for n in range(1, span + 1)}


def event_name(event: str | None) -> str:
    """'attack:kyiv' → 'the attack in Kyiv'; 'statement:vladimir putin' → 'statements by Vladimir Putin'."""
    if not event:
        return "an event"
    kind, _, place = event.partition(":")
    if kind == "statement":
        return f"statements by {place.title()}"
    return f"the {kind.replace('_', ' ')}" + (f" in {place.title()}" if place else "")


@dataclass
class Item:
    """One claim with the sentence it was read from and the outlet that published it."""

    claim: Claim
    sentence: Sentence
    outlet: str
    index: int  # the sentence's position in its article
    day: date | None  # the day of the statement or fact: said on, the event's day, else the article's day
    days: set[date] = field(default_factory=set)  # the days it may belong to (one when the sentence dates it)

    @property
    def doc_id(self) -> str:
        return self.sentence.doc_id

    @property
    def text(self) -> str:
        return self.sentence.text

    def terms(self) -> set[str]:
        return set(content_terms(self.sentence.text))


def usable(text: str) -> bool:
    """Not a heading, dateline, byline, caption or credit: a sentence of some words ending as sentences end."""
    t = text.strip()
    return len(t.split()) >= MIN_WORDS and not FURNITURE.search(t) and bool(re.search(r"[.!?\"”’')]$", t))


def items_of(
    claims: list[Claim], sentences: dict[str, Sentence], outlets: dict[str, str], undated_day: date | None = None
) -> list[Item]:
    """Claims joined to their sentences. A statement without its own day takes the day of the same speaker's
    previous statement in the article (the sentences of one quote); failing that it may be of the day the article
    was published or of a day in the few before it that the article reports events of (a later round-up of a
    day's events). An undated article's undated statements are of `undated_day` (the brief's)."""
    out: list[Item] = []
    last_day: dict[tuple[str, str], date] = {}
    doc_days = _doc_days(claims)
    share_organisations(claims)
    for c in claims:
        s = sentences.get(str(c.sentence_id))
        if s is None:
            continue  # a sentence held back from evidence (an instruction planted in an article)
        day = c.said_on
        key = (c.doc_id, c.speaker or "")
        if c.kind == "statement":
            if day is None and c.event_date and DAY_WORDS.search(s.text):
                day = c.event_date  # "speaking on Thursday at an economic forum, Putin said ..."
            if day is None:
                day = last_day.get(key)
            if day is not None:
                last_day[key] = day
        elif day is None:
            day = c.event_date
        past = period_days(s.text, c.published) if c.published and not day else None
        if day:
            days = {day}
        elif past:
            days = past
        elif c.published:
            days = {c.published} | doc_days.get(c.doc_id, set())
        else:
            days = {undated_day} if undated_day else set()
        idx = int(str(c.sentence_id).rsplit(":", 1)[-1]) if ":" in str(c.sentence_id) else 0
        out.append(Item(c, s, outlets.get(c.doc_id, s.source), idx, day or c.published, days))
    return out


def _surname(speaker: str | None) -> str | None:
    last = (speaker or "").split()[-1:] or [""]
    return last[0].lower() if last[0][:1].isupper() and last[0].isalpha() else None


def share_organisations(claims: list[Claim]) -> None:
    """A person named in one report with the organisation they speak for ("FNV negotiator Marleen de Vries") speaks
    for it in the other reports that name them only ('"...," de Vries said'): same surname, one organisation among
    the claims, and nothing else said about whom they speak for."""
    orgs: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        key = _surname(c.speaker)
        if key and c.organisation:
            orgs[key].add(c.organisation)
        elif key and c.actor:
            orgs[key].add("")  # a person the roster or the article places elsewhere: not shared
    for c in claims:
        key = _surname(c.speaker)
        if key and not c.organisation and not c.actor and len(orgs.get(key, ())) == 1:
            found = next(iter(orgs[key]))
            c.organisation = found or None


def _doc_days(claims: list[Claim], before: int = 3) -> dict[str, set[date]]:
    """Per article, the day (or days, if tied) it tells most events of, in the few days up to its publication:
    a round-up's undated sentences may be of that day, not of a day it mentions in passing ("an order by Trump on
    Friday" in a report of Sunday's resignation)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for c in claims:
        if (
            c.event
            and c.event_date
            and c.published
            and timedelta(0) <= c.published - c.event_date <= timedelta(days=before)
        ):
            counts[c.doc_id][c.event_date] += 1
    return {d: {day for day, n in cs.items() if n == max(cs.values())} for d, cs in counts.items()}


def in_window(d: date | None, day: date, window_days: int) -> bool:
    return d is not None and day - timedelta(days=window_days - 1) <= d <= day


def any_in_window(days: set[date], day: date, window_days: int) -> bool:
    return any(in_window(d, day, window_days) for d in days)


def similar(a: Item, b: Item, threshold: float = 0.5) -> bool:
    ta, tb = a.terms(), b.terms()
    if not ta or not tb:
        return normalize(a.text) == normalize(b.text)
    return len(ta & tb) / min(len(ta), len(tb)) >= threshold


def same_topic(a: Item, b: Item, threshold: float = 0.4) -> bool:
    """Two statements say the same thing: shared words beyond who says it (names, roles, the actor)."""

    def topic(it: Item) -> set[str]:
        c = it.claim
        who = set(content_terms(" ".join(x for x in (c.speaker, c.speaker_role, c.actor) if x)))
        return it.terms() - who - {"said", "say", "told", "ad"}

    ta, tb = topic(a), topic(b)
    if not ta or not tb:
        return False
    return len(ta & tb) / min(len(ta), len(tb)) >= threshold


def coverage(item: Item, items: list[Item]) -> int:
    """How many outlets tell the same (similar wording)."""
    return len({o.outlet for o in items if o is item or similar(item, o)})


SENIORITY = [
    re.compile(r"\b(?:president|head of state|king|monarch)\b(?! of the european| of the council)", re.I),
    re.compile(
        r"\b(?:prime minister|premier|chancellor|commission president|council president|president of the "
        r"european)\b",
        re.I,
    ),
    re.compile(
        r"\b(?:foreign minister|defen[cs]e minister|minister|secretary|foreign policy chief|high "
        r"representative|envoy|chief of staff)\b",
        re.I,
    ),
    re.compile(r"\b(?:spokes\w*|ministry|commander|general staff|air force|army|kremlin|white house|office)\b", re.I),
]


def seniority(item: Item) -> int:
    """0 for a head of state, then head of government, minister, spokesperson or institution; 5 for the rest.
    Roles like 'head of the city's military administration' rank as the rest."""
    c = item.claim
    role = " ".join(x for x in (c.speaker_role, c.speaker) if x)
    if re.search(r"\b(?:city|regional|region|mayor|governor|district|oblast|local)\b", role, re.I):
        return 5
    for rank, rx in enumerate(SENIORITY):
        if rx.search(role):
            return rank
    return 4 if c.speaker else 6


def quoted(text: str) -> bool:
    return bool(re.search(r"[\"“”]", text))
