"""The parts of a brief built by the program from claims: each actor's position (only that actor's own
statements, led by its most senior speaker), key facts by event and day, the headline (the day's most-covered
event), the summary and the timeline (one entry per event)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from briefing.brief.claimed import (
    DAY_WORDS,
    Item,
    any_in_window,
    coverage,
    in_window,
    quoted,
    same_topic,
    seniority,
    similar,
    usable,
)
from briefing.brief.models import NO_POSITION, CitedText, KeyFact, Position, TimelineEvent
from briefing.claims.lexicon import DATELINE_DATE

MAX_POINTS = 7
MAX_FACTS = 10
FACTS_PER_EVENT = 3


def _actor_matches(actor: str | None, name: str, aliases: list[str]) -> bool:
    if not actor:
        return False
    a = actor.casefold()
    return a == name.casefold() or a in {x.casefold() for x in aliases}


def _organisation_matches(org: str | None, name: str, aliases: list[str]) -> bool:
    """The organisation a speaker speaks for is the actor asked for: the same name, or one holds the other as
    whole words ("Verhaegen Chemicals" for --actors Verhaegen, "Italian Red Cross" for "Red Cross")."""
    if not org:
        return False
    o = org.casefold()
    for a in {name, *aliases}:
        a = a.casefold()
        if o == a or re.search(rf"(?<!\w){re.escape(a)}(?!\w)", o) or re.search(rf"(?<!\w){re.escape(o)}(?!\w)", a):
            return True
    return False


def _distinct(items: list[Item]) -> list[Item]:
    """One item per wording: a syndicated copy of a sentence counts once (the earliest outlet's)."""
    out: list[Item] = []
    for it in items:
        if not any(similar(it, o, 0.8) for o in out):
            out.append(it)
    return out


STANCE = (
    r"(?:has |have |had |is |was |were )?(?:long |also |repeatedly |already |again |so far |firmly )?"
    r"(?:ruled out|rejected|refused|insisted|maintained|warned|demanded|pledged|promised|vowed|called for|urged|"
    r"offered|welcomed|condemned|denied|dismissed|opposed|backed|supported|proposed|announced|threatened|"
    r"declared|agreed|signalled|signaled|said|says|accused)\b"
)


def _reports_stance(it: Item, aliases: list[str]) -> bool:
    """A narrator's sentence whose subject is the actor itself with a stance verb ("While the United States has
    ruled out sending ground troops, ...", "The Kremlin has repeatedly rejected ..."): the actor's position as
    reported. A sentence that only mentions the actor is not."""
    if it.claim.kind != "reported_fact" or it.claim.speaker:
        return False
    names = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    rx = (
        rf"^(?:while |although |but |and |meanwhile, )?(?:the )?(?:{names})(?:\s+[a-z]+){{0,2}}"
        rf"(?:,[^,]{{1,60}},)?\s+{STANCE}"
    )
    return bool(re.match(rx, it.text.strip(), re.I))


def position(parts, actor: str, aliases: list[str], items: list[Item], day: date, window_days: int) -> Position:
    """Only statements whose speaker speaks for `actor`, made in the window (and narrators' sentences reporting
    the actor's own stance as their subject). The stance is the most senior speaker's best statement; key points
    are the other statements, best first, one per topic."""
    names = list(dict.fromkeys([actor, *aliases]))
    own = [
        it
        for it in items
        if (
            (
                it.claim.kind == "statement"
                and (
                    _actor_matches(it.claim.actor, actor, aliases)
                    or (not it.claim.actor and _organisation_matches(it.claim.organisation, actor, aliases))
                )
            )
            or _reports_stance(it, names)
        )
        and any_in_window(it.days, day, window_days)
        and usable(it.text)
    ]
    if not own:
        return Position(actor=actor, has_position=False, stance=CitedText(text=NO_POSITION), key_points=[])
    own = _distinct(own)

    def score(it: Item) -> float:
        return (
            1.5 * min(coverage(it, own), 3)
            + 1.5 * quoted(it.text)
            + 1.0 * (it.claim.said_on is not None)
            + 0.5 * (4 - min(seniority(it), 4))
            - 0.05 * it.index
        )

    ranked = sorted(own, key=lambda it: -score(it))
    top_rank = min(seniority(it) for it in own)
    lead = next(it for it in ranked if seniority(it) == top_rank)
    chosen = [lead]
    for cap in (3, MAX_POINTS + 1):  # first at most three per speaker (room for the others), then fill up
        for it in ranked:
            if len(chosen) > MAX_POINTS:
                break
            if it in chosen or any(same_topic(it, c) for c in chosen):
                continue
            if sum(c.claim.speaker == it.claim.speaker for c in chosen) >= cap:
                continue
            chosen.append(it)
    cited = [_said(parts, it) for it in chosen]
    return Position(actor=actor, has_position=True, stance=cited[0], key_points=cited[1:])


def _said(parts, it: Item) -> CitedText:
    c = parts.quoted(it.sentence)
    c.speaker = it.claim.speaker
    c.speaker_role = it.claim.speaker_role
    return c


def events_of_day(items: list[Item], day: date, window_days: int) -> list[tuple[str, date, list[Item]]]:
    """Events that happened in the window, most-covered first: (event key, day, its items)."""
    groups: dict[tuple[str, date], list[Item]] = defaultdict(list)
    for it in items:
        c = it.claim
        if c.event and c.event_date and in_window(c.event_date, day, window_days) and usable(it.text):
            groups[(c.event, c.event_date)].append(it)
    # a speaker's statements of the day are an event too ("Putin warns foreign troops"): how widely they are told
    for it in items:
        c = it.claim
        if c.kind == "statement" and c.speaker and not c.event_date and usable(it.text):
            days = sorted(d for d in it.days if in_window(d, day, window_days))
            if days:
                groups[(f"statement:{c.speaker.lower()}", days[-1])].append(it)
    # a speaker's statements join the placed event of that day where the speaker spoke (the forum, the summit)
    for key, d in list(groups):
        if not key.startswith("statement:"):
            continue
        speaker = key.split(":", 1)[1]
        spoke_at = [
            (k, kd)
            for (k, kd), g in groups.items()
            if kd == d
            and ":" in k
            and not k.startswith("statement:")
            and any(it.claim.kind == "statement" and (it.claim.speaker or "").lower() == speaker for it in g)
        ]
        if len(spoke_at) == 1:
            groups[spoke_at[0]].extend(groups.pop((key, d)))
    # an event told without its place joins the one placed event of the same kind and day, if there is one
    for key, d in list(groups):
        if ":" in key:
            continue
        placed = [k for k, kd in groups if kd == d and k.startswith(key + ":")]
        if len(placed) == 1:
            groups[(placed[0], d)].extend(groups.pop((key, d)))
    ranked = sorted(
        groups.items(),
        key=lambda kv: (-len({i.outlet for i in kv[1]}), -len(kv[1]), min(i.index for i in kv[1])),
    )
    return [(k[0], k[1], v) for k, v in ranked]


def _fact_score(it: Item, group: list[Item]) -> float:
    return 2.0 * len(it.claim.quantities) + 1.0 * min(coverage(it, group), 3) - 0.1 * it.index + 1.0 * (it.index < 4)


def undated_facts(items: list[Item], day: date, window_days: int) -> list[Item]:
    """Numbers the day's articles report outside the day's dated events: facts (or statements with numbers)
    with no day of their own, or of the day but without an event (never those dated to another day)."""
    return [
        it
        for it in items
        if (it.claim.kind == "reported_fact" or it.claim.quantities)
        and (not it.claim.event_date or (not it.claim.event and in_window(it.claim.event_date, day, window_days)))
        and (it.claim.quantities or re.search(r"\d", it.text))
        and any_in_window(it.days, day, window_days)
        and usable(it.text)
    ]


def key_facts(parts, events: list[tuple[str, date, list[Item]]], undated: list[Item] | None = None) -> list[KeyFact]:
    """The best-supported sentences of each event of the day (numbers first), grouped by event and day; then
    numbers the articles of the day report without a day of their own (not dated to another day)."""
    out: list[KeyFact] = []
    groups = list(events)
    if undated:
        groups.append((None, None, undated))
    for key, day, group in groups:
        if key and key.startswith("statement:"):
            continue  # a speaker's statements are positions, not facts
        facts = [it for it in group if it.claim.kind == "reported_fact" or it.claim.quantities]
        picked: list[Item] = []
        for it in sorted(_distinct(facts), key=lambda it: -_fact_score(it, group)):
            if len(picked) >= (FACTS_PER_EVENT if key else MAX_FACTS):
                break
            if not any(similar(it, p, 0.5) for p in picked):
                picked.append(it)
        for it in picked:
            q = parts.quoted(it.sentence)
            out.append(KeyFact(**q.model_dump(), event=key, day=day))
        if len(out) >= MAX_FACTS:
            break
    return out[:MAX_FACTS]


def lead_sentence(group: list[Item]) -> Item:
    """The sentence that best tells an event: early in its article, told by many outlets, with numbers."""
    return max(
        group,
        key=lambda it: (
            min(coverage(it, group), 3)
            + 0.5 * bool(it.claim.quantities)
            - 0.3 * min(it.index, 10)
            + 1.0 * bool(re.search(r"[.!?\"”']\s*$", it.text))  # a sentence, not a heading
            - 2.0
            * bool(re.match(r"\s*(?:he|she|they|it|this|that|these|those|[\"“])\b", it.text, re.I)),  # needs context
            len(it.text) < 300,
        ),
    )


def headline_and_summary(parts, events, fallback: list[Item]) -> tuple[CitedText, list[CitedText]]:
    leads = [lead_sentence(g) for _, _, g in events[:4]]
    if not leads:
        leads = [it for it in fallback if usable(it.text)][:3] or fallback[:1]
    cited = [parts.quoted(it.sentence) for it in leads]
    return cited[0], cited[: max(1, min(3, len(cited)))]


def timeline(parts, items: list[Item], day: date, window_days: int, limit: int = 12) -> list[TimelineEvent]:
    """One entry per event, within a week before the brief's day: a placed event (attack:kyiv) at the day most
    outlets give it (a report dating it otherwise is a disagreement), an event without a place per day."""
    by_event: dict[tuple[str, date | None], list[Item]] = defaultdict(list)
    for it in items:
        c = it.claim
        if c.event and c.event_date and not c.event.startswith("statement") and usable(it.text):
            if (day - c.event_date).days <= 7 + window_days and c.event_date <= day:
                by_event[(c.event, None if ":" in c.event else c.event_date)].append(it)
    out = []
    for (key, _), group in by_event.items():
        days: dict[date, set[str]] = defaultdict(set)
        for it in group:
            days[it.claim.event_date].add(it.outlet)
        when = max(days, key=lambda d: (len(days[d]), d == day, d))
        lead = lead_sentence([it for it in group if it.claim.event_date == when])
        filed = DATELINE_DATE.match(lead.text)  # "ROTTERDAM, Oct 15 (Harbourline) -" is the filing day
        words = DAY_WORDS.search(lead.text, filed.end() if filed else 0)
        entry = TimelineEvent(
            date=when, relative=words.group(0) if words else None, event=key, **parts.quoted(lead.sentence).model_dump()
        )
        out.append((len(days[when]), entry))
    out.sort(key=lambda x: -x[0])
    entries = [e for _, e in out[:limit]]
    entries.sort(key=lambda e: (e.date, e.citations[0].source))
    return entries
