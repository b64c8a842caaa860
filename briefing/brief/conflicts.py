"""Where the sources disagree, from claims: the same event and the same quantity (same unit, same place it
applies to) with different values; the same event placed on different days; the same statement or the same
event placed at different venues. Never across different events, units or places, speakers for different
sides, or bounds ("more than 800") that agree with a value. Each side names the outlets that say it."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from briefing.brief.claimed import DAY_WORDS, Item, event_name, similar, usable
from briefing.brief.models import Disagreement, Side
from briefing.claims.lexicon import is_bound
from briefing.claims.models import Quantity
from briefing.dates import date_mentions

VENUE = re.compile(
    r"\b(?:at|during|before|on the sidelines of|told|addressed|addressing)\s+(?:a|an|the)\s+((?:[\w’'-]+\s+){0,6}?"
    r"(?P<head>conference|forum|session|summit|briefing|interview|meeting|rally|address|speech|panel|congress|"
    r"assembly|parliament|ceremony)(?:\s+(?:at|of)\s+the\s+[A-Z][\w’'-]*(?:\s+[A-Z0-9][\w’'()-]*){0,5})?)",
    re.I,
)
VENUE_KINDS = {
    "conference": "press",
    "briefing": "press",
    "forum": "forum",
    "session": "forum",
    "panel": "forum",
    "summit": "summit",
    "meeting": "summit",
    "interview": "interview",
    "rally": "rally",
    "address": "speech",
    "speech": "speech",
    "parliament": "parliament",
    "assembly": "parliament",
    "congress": "parliament",
    "ceremony": "ceremony",
}
FACILITY = re.compile(
    r"\b((?:[A-Z][\w’'-]+\s+){1,2})(?:oil\s+|gas\s+|power\s+|chemical\s+)?"
    r"(refinery|plant|airport|port|airfield|air base|depot|terminal|factory)\b"
)
NOT_NAMES = {
    "the", "a", "an", "this", "that", "its", "their", "one", "every", "each", "another", "any", "no", "some", "our",
    "russian", "ukrainian", "russia's", "ukraine's", "his", "her", "new", "largest", "main",
}  # fmt: skip

REMARKS = re.compile(r"\b(?:statement|remarks|speech|comments|warning|address)\b", re.I)
MAX_DISAGREEMENTS = 12


def _kind(event: str | None) -> str | None:
    return event.split(":", 1)[0] if event else None


def _place(event: str | None) -> str | None:
    return event.split(":", 1)[1] if event and ":" in event else None


WHOLE = {"country", "nationwide", "the country"}


def _scopes(quantities: list[Quantity], place: str | None) -> list[str | None]:
    """A place stated for one count of people applies to the other counts of people of the sentence ("Two people
    were killed and 18 were injured in the capital"). 'Across the country', or the event's own place, is the whole
    event: no narrower scope."""
    people = {q.scope for q in quantities if q.unit.startswith("people_") and q.scope}
    shared = next(iter(people)) if len(people) == 1 else None
    out = []
    for q in quantities:
        scope = q.scope or (shared if q.unit.startswith("people_") else None)
        out.append(None if scope in WHOLE or (scope and place and scope == place) else scope)
    return out


def _by_actor(rows: list[tuple[str, Item]]) -> list[list[tuple[str, Item]]]:
    """Counts given for different actors (Russia's ministry vs Ukraine's air force) are different claims: one
    group per actor, the narrator's counts in each."""
    actors = {it.claim.actor for _, it in rows if it.claim.actor}
    if len(actors) <= 1:
        return [rows]
    return [[(v, it) for v, it in rows if it.claim.actor in (a, None)] for a in sorted(actors)]


AGES = {"age": ("year", "age of a victim"), "age_months": ("month", "age in months of a victim"),
        "age_weeks": ("week", "age in weeks of a victim"), "age_days": ("day", "age in days of a victim")}  # fmt: skip


def unit_words(unit: str) -> str:
    """'drones_launched' → 'drones launched'; a unit read from the parse ('worker_join': the counted noun and its
    verb's stem) → 'workers (join)'."""
    from briefing.claims.lexicon import NOUNS

    counts, _, verb = unit.partition("_")
    if counts in NOUNS or not verb or unit in AGES:
        return unit.replace("_", " ")
    return f"{counts}s ({verb})" if not counts.endswith("s") else f"{counts} ({verb})"


def _said_value(v: str, unit: str, where: str) -> str:
    """'810 drones launched', '18 people injured in Kyiv', 'a 32-year-old', 'a 2-month-old'."""
    if unit in AGES:
        return f"a {v}-{AGES[unit][0]}-old"
    return f"{v} {unit_words(unit)}{where}"


def _value(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"  # 17000000, not 1.7e+07


def _outlets(items: list[Item]) -> list[str]:
    return sorted({it.outlet for it in items})


def _side(parts, value: str, items: list[Item]) -> Side:
    seen, first = set(), []
    for it in sorted(items, key=lambda it: (it.outlet, it.index)):
        if it.doc_id not in seen:
            seen.add(it.doc_id)
            first.append(it)
    cited = parts.cited(value, [it.sentence for it in first], "extractive")
    return Side(**cited.model_dump(), value=value, outlets=_outlets(first))


def _source(it: Item) -> str | None:
    c = it.claim
    return c.organisation or c.actor or c.speaker if c.kind == "statement" else None


def _far_apart(by_value: dict[str, list[Item]], factor: float = 2.0) -> bool:
    """Values more than `factor` apart: reports of one count differ by less (1,200 / 1,300 / 1,500 evacuated)."""
    values = []
    for v in by_value:
        try:
            values.append(float(v))
        except ValueError:
            continue
    return len(values) >= 2 and min(values) > 0 and max(values) / min(values) > factor


def _sides_differ(by_value: dict[str, list[Item]]) -> bool:
    """At least two values, not all told by one and the same article — unless that article gives each value to
    a different named source ("2,400 workers joined, the union said. The employers put the figure at 1,800")."""
    if len(by_value) < 2:
        return False
    docs = [frozenset(it.doc_id for it in items) for items in by_value.values()]
    if len(set().union(*docs)) > 1:
        return True
    sources = [{_source(it) for it in items} for items in by_value.values()]
    if any(None in s for s in sources):
        return False
    return all(not (a & b) for i, a in enumerate(sources) for b in sources[i + 1 :])


def _who(items: list[Item]) -> str:
    """' (per FNV)': the named sources of a value, when the sources of one article differ."""
    names = sorted({s for it in items if (s := _source(it))})
    return f" (per {', '.join(names)})" if names and len(names) <= 2 else ""


def _merge_places(groups: dict[tuple, list]) -> dict[tuple, list]:
    """An event without a place joins the one placed event of the same kind, day and unit, if there is one."""
    out: dict[tuple, list] = defaultdict(list)
    placed: dict[tuple, set] = defaultdict(set)
    for kind, day, unit, scope, place in groups:
        if place:
            placed[(kind, day, unit, scope)].add(place)
    for (kind, day, unit, scope, place), rows in groups.items():
        if place is None and len(placed[(kind, day, unit, scope)]) == 1:
            place = next(iter(placed[(kind, day, unit, scope)]))
        out[(kind, day, unit, scope, place)].extend(rows)
    return out


def quantity_conflicts(parts, items: list[Item], same_day: dict | None = None) -> list[tuple[float, Disagreement]]:
    """same_day: (event, day) → the day most outlets give it, for reports found to date that event differently
    (their numbers are still about the same event)."""
    same_day = same_day or {}
    groups: dict[tuple, list[tuple[str, Item]]] = defaultdict(list)
    for it in items:
        c = it.claim
        if not c.quantities or not c.event or not c.event_date or not usable(it.text):
            continue
        day = same_day.get((c.event, c.event_date), c.event_date)
        units = [q.unit for q in c.quantities]
        for q, scope in zip(c.quantities, _scopes(c.quantities, _place(c.event))):
            if is_bound(q.text, it.text) or q.unit in ("read", "min", "countries"):
                continue  # (countries that did no verb known: "26 members ... readiness", "35 leaders to provide")
            if units.count(q.unit) > 1 and not scope:
                continue  # "16 over the Krasnodar region, 13 over the Sea of Azov": a breakdown, each of a part
            groups[(_kind(c.event), day, q.unit, scope, _place(c.event))].append((_value(q.value), it))
    out = []
    for (kind, day, unit, scope, place), all_rows in _merge_places(groups).items():
        for rows in _by_actor(all_rows):
            by_value: dict[str, list[Item]] = defaultdict(list)
            for v, it in rows:
                if it not in by_value[v]:
                    by_value[v].append(it)
            if not _sides_differ(by_value):
                continue
            if "_" not in unit and unit not in AGES and _far_apart(by_value):
                continue  # a count whose verb is unknown: 17 million people (affected) and 144 (killed) are two counts
            what = AGES.get(unit, ("", unit_words(unit)))[1]
            where = f" in {scope.title()}" if scope else ""
            event = f"{kind}:{place}" if place else kind
            ranked = sorted(by_value.items(), key=lambda kv: (-len(_outlets(kv[1])), kv[0]))
            one_article = len({it.doc_id for its in by_value.values() for it in its}) == 1
            sides = [
                _side(parts, _said_value(v, unit, where) + (_who(its) if one_article else ""), its) for v, its in ranked
            ]
            topic = f"{what.capitalize()}{where}, {event_name(event)} of {day.isoformat()}: " + " or ".join(
                v for v, _ in ranked
            )
            weight = 3.0 + sum(len(s.outlets) for s in sides) / 10
            out.append((weight, Disagreement(topic=topic, kind="quantity", event=event, sides=sides)))
    return out


def _explicitly_dated(it: Item) -> bool:
    """The sentence itself dates what it tells ("on Thursday", "on 4 August", "Sept 4", "overnight")."""
    base = it.claim.published or it.day or date.today()
    return bool(DAY_WORDS.search(it.text)) or bool(date_mentions(it.text, base))


def date_conflicts(parts, items: list[Item]) -> tuple[list[tuple[float, Disagreement]], dict]:
    """The same placed event (e.g. meeting:paris) dated differently by different articles, each dating it in
    the sentence itself."""
    groups: dict[str, dict[date, list[Item]]] = defaultdict(lambda: defaultdict(list))
    moved: dict[tuple[str, date], date] = {}
    for it in items:
        c = it.claim
        if c.event and _place(c.event) and c.event_date and usable(it.text) and _explicitly_dated(it):
            groups[c.event][c.event_date].append(it)
    out = []
    for event, by_day in groups.items():
        if len(by_day) < 2:
            continue
        days = sorted(by_day, key=lambda d: (-len(_outlets(by_day[d])), -len({it.doc_id for it in by_day[d]}), d))
        main = days[0]
        for other in days[1:]:
            a, b = by_day[main], by_day[other]
            if {it.doc_id for it in a} & {it.doc_id for it in b} or not _related(a, b, _kind(event)):
                continue  # one article giving two days speaks of two events; unrelated sentences likewise
            sides = [_side(parts, main.isoformat(), a), _side(parts, other.isoformat(), b)]
            topic = f"When {event_name(event)} took place: {main.isoformat()} or {other.isoformat()}"
            out.append((2.5, Disagreement(topic=topic, kind="date", event=event, sides=sides)))
            moved[(event, other)] = main
    return out, moved


RECURRING = {"attack", "shelling", "drone", "missile", "explosion", "fire", "raid"}


def _related(a: list[Item], b: list[Item], kind: str | None) -> bool:
    """The two days' sentences tell the same event: a shared speaker, or shared words beyond the event's. Attacks
    recur night after night: two days of attacks on one country are one attack only when told alike."""
    if kind in RECURRING:  # and reports of different days' nights ("overnight") are of different nights
        same_day = {it.claim.published for it in a} & {it.claim.published for it in b}
        return bool(same_day) and any(similar(x, y, 0.5) for x in a for y in b)
    if {it.claim.speaker for it in a if it.claim.speaker} & {it.claim.speaker for it in b if it.claim.speaker}:
        return True
    return any(similar(x, y, 0.2) for x in a for y in b)


def _venue(text: str) -> tuple[str, str] | None:
    m = VENUE.search(text)
    if not m:
        return None
    head = m.group("head").lower()
    return m.group(1).strip(), VENUE_KINDS.get(head, head)


def _one_name(a: str, b: str) -> bool:
    wa, wb = set(re.findall(r"[a-z]+", a.lower())), set(re.findall(r"[a-z]+", b.lower()))
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def venue_conflicts(parts, items: list[Item], upto: date | None = None) -> list[tuple[float, Disagreement]]:
    """One speaker's statement of one day, told as made at different kinds of venue (a press conference or a
    forum); and one day's strike placed at differently named facilities (the Ilsky or the Afipsky refinery)."""
    out = []
    said: dict[tuple[str, date], list[tuple[str, str, Item]]] = defaultdict(list)
    statements: dict[tuple[str, str, date], list[Item]] = defaultdict(list)
    last_speaker: dict[str, tuple[int, str]] = {}
    for it in items:
        c = it.claim
        speaker = c.speaker if c.kind == "statement" else None
        if speaker and speaker != c.actor:  # a person or body, not the state itself ("Russia declares ...")
            last_speaker[it.doc_id] = (it.index, speaker)
        if not usable(it.text):
            continue
        elif REMARKS.search(it.text) and it.doc_id in last_speaker and it.index - last_speaker[it.doc_id][0] <= 3:
            speaker = last_speaker[it.doc_id][1]  # "The statement, delivered ... at the forum": the last speaker's
        if not speaker:
            continue
        for d in it.days:
            if upto and d > upto:
                continue
            if c.kind == "statement":
                statements[(speaker, it.doc_id, d)].append(it)
            v = _venue(it.text)
            if v:
                said[(speaker, d)].append((v[0], v[1], it))
    for (speaker, day), rows in said.items():
        kinds: dict[str, list[Item]] = defaultdict(list)
        names: dict[str, str] = {}
        for phrase, kind, it in rows:
            kinds[kind].append(it)
            names.setdefault(kind, phrase)
        if len(kinds) < 2:
            continue
        ks = sorted(kinds, key=lambda k: -len(_outlets(kinds[k])))
        a, b = kinds[ks[0]], kinds[ks[1]]
        if {it.doc_id for it in a} & {it.doc_id for it in b}:
            continue  # one article placing the speaker at two venues tells of two occasions
        said_a = [x for d in {it.doc_id for it in a} for x in statements[(speaker, d, day)]]
        said_b = [x for d in {it.doc_id for it in b} for x in statements[(speaker, d, day)]]
        if not any(similar(x, y, 0.3) for x in said_a for y in said_b):
            continue  # not the same statement told twice
        sides = [_side(parts, names[ks[0]], a), _side(parts, names[ks[1]], b)]
        topic = f"Where {speaker} spoke on {day.isoformat()}: {names[ks[0]]} or {names[ks[1]]}"
        out.append((2.0, Disagreement(topic=topic, kind="venue", sides=sides)))
    places: dict[tuple[str, date], dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
    for it in items:
        day = it.claim.event_date or it.day
        if not day or not usable(it.text) or (upto and day > upto):
            continue
        for m in FACILITY.finditer(it.text):
            words = [w for w in m.group(1).split() if w.lower() not in NOT_NAMES]
            if words:
                places[(m.group(2).lower(), day)][" ".join(words)].append(it)
    for (facility, day), by_name in places.items():
        if not _sides_differ(by_name):
            continue
        ranked = sorted(by_name.items(), key=lambda kv: -len(_outlets(kv[1])))
        na, a = ranked[0]
        for nb, b in ranked[1:]:
            if {it.doc_id for it in a} & {it.doc_id for it in b}:
                continue  # one article naming two facilities tells of two places
            if _one_name(na, nb):
                continue  # "Boeing's Everett" and "Everett": one place named more or less fully
            sides = [_side(parts, f"the {na} {facility}", a), _side(parts, f"the {nb} {facility}", b)]
            topic = f"Which {facility} was hit on {day.isoformat()}: {na} or {nb}"
            out.append((2.0, Disagreement(topic=topic, kind="venue", sides=sides)))
    return out


def disagreements(
    parts, items: list[Item], day: date, earlier: list[Item] | None = None, limit: int = MAX_DISAGREEMENTS
) -> list[Disagreement]:
    """Disagreements about events up to the brief's day (a later report's later events are not this day's).
    `earlier`: claims of reports from the days before, compared with the day's; each disagreement kept has a side
    told by one of the day's reports."""
    day_docs = {it.doc_id for it in items}
    items = items + (earlier or [])
    upto = [it for it in items if not (it.claim.event_date and it.claim.event_date > day)]
    dated, moved = date_conflicts(parts, upto)
    found = quantity_conflicts(parts, upto, moved) + dated + venue_conflicts(parts, items, day)
    found = [(w, d) for w, d in found if any(c.doc_id in day_docs for s in d.sides for c in s.citations)]
    found.sort(key=lambda x: -x[0])
    out, used = [], set()
    for _, d in found:
        key = frozenset((c.doc_id, c.start) for side in d.sides for c in side.citations)
        if key not in used:
            used.add(key)
            out.append(d)
    return out[:limit]
