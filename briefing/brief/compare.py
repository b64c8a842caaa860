"""The parts of a brief the program derives itself: where sources disagree, the timeline of dated
events, and what changed since an earlier brief."""

from __future__ import annotations

import re
from datetime import date

from briefing.brief.models import Briefing, Change, Disagreement, TimelineEvent
from briefing.dates import DATE_WORDS, date_mentions
from briefing.evidence import Sentence
from briefing.text import alias_pattern, content_terms, normalize

VENUE = re.compile(
    r"\b(?:speaking|spoke|speech|remarks|statement|said|told|delivered|addressing|addressed)\b[^.;]{0,80}?"
    r"\b(?:at|during)\s+(?:a|an|the)\s+([^,.;:\"“”]{3,80})",
    re.I,
)
QUANTITY = re.compile(r"\b(\d[\d,]*)\s+(?:of\s+)?([A-Za-z’'\-]+(?:\s+[A-Za-z’'\-]+)?)")


VENUE_WORDS = re.compile(
    r"\b(conference|forum|summit|meeting|panel|briefing|interview|rally|session|ceremony|parliament|"
    r"assembly|council|congress|hearing|address|speech|talks|event|visit)\b",
    re.I,
)
SPEAKER_AFTER = 40  # "Speaking at a press conference, Putin said": the speaker may follow the venue closely


def _speaker(sentences: list[Sentence], i: int, venue: re.Match, actors: dict[str, list[str]]) -> str | None:
    """Who made the statement placed at `venue`: an actor named before the venue in the sentence, or
    right after it, else the actor named first in the sentence before (same article)."""
    text = sentences[i].text
    before, after = [], []
    for name, aliases in actors.items():
        for m in alias_pattern(aliases).finditer(text):
            if m.start() < venue.start():
                before.append((m.start(), name))
            elif m.start() - venue.end() <= SPEAKER_AFTER:
                after.append((m.start(), name))
    if before or after:
        return min(before or after)[1]
    if i > 0 and sentences[i - 1].doc_id == sentences[i].doc_id:
        hits = [
            (m.start(), name)
            for name, aliases in actors.items()
            if (m := alias_pattern(aliases).search(sentences[i - 1].text))
        ]
        return min(hits)[1] if hits else None
    return None


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"\b\d[\d,]*\b", DATE_WORDS.sub(" ", text))}


def _overlap(a: str, b: str) -> float:
    ta, tb = set(content_terms(a)), set(content_terms(b))
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def disagreements(sentences: list[Sentence], actors: dict[str, list[str]], parts, limit: int = 5) -> list[Disagreement]:
    """Two kinds, across different articles:
    - venue: the same actor's statement placed at different venues ("a press conference" vs "a panel at ...");
    - quantity: the same number of the same thing doing something, but what they did is told differently
      (e.g. "26 nations pledged ... security guarantees" vs "26 ... allies had pledged to deploy troops"),
      or the same thing counted with different numbers."""
    found: list[tuple[float, Disagreement]] = []
    venues: dict[str, list[tuple[str, Sentence]]] = {}
    for i, s in enumerate(sentences):
        m = VENUE.search(s.text)
        if m and (VENUE_WORDS.search(m.group(1)) or re.search(r"\b[A-Z]", m.group(1))):
            actor = _speaker(sentences, i, m, actors)
            if actor:
                venues.setdefault(actor, []).append((m.group(1).strip(), s))
    for actor, items in venues.items():
        for a in range(len(items)):
            for b in range(a + 1, len(items)):
                (va, sa), (vb, sb) = items[a], items[b]
                if sa.doc_id != sb.doc_id and _overlap(va, vb) < 0.5:
                    found.append(
                        (
                            2.0,
                            Disagreement(
                                topic=f"Where {actor}'s statement was made: “{va}” or “{vb}”",
                                sides=[parts.quoted(sa), parts.quoted(sb)],
                            ),
                        )
                    )
    quantities = []
    for s in sentences:
        undated = DATE_WORDS.sub(lambda m: " " * len(m.group()), s.text)  # "September 5", "2025" are dates, not counts
        for m in QUANTITY.finditer(undated):
            quantities.append((m.group(1).rstrip(",").replace(",", ""), s))
    for x in range(len(quantities)):
        for y in range(x + 1, len(quantities)):
            (na, sa), (nb, sb) = quantities[x], quantities[y]
            if sa.doc_id == sb.doc_id or na != nb:
                continue
            shared = set(content_terms(sa.text)) & set(content_terms(sb.text))
            if len(shared) >= 2 and _overlap(sa.text, sb.text) < 0.35:
                thing = content_terms(sa.text[sa.text.find(na) :])[1:2] or ["parties"]
                found.append(
                    (
                        1.0 + len(shared) / 10,
                        Disagreement(
                            topic=f"What the {na} {thing[0]} did, as each source tells it",
                            sides=[parts.quoted(sa), parts.quoted(sb)],
                        ),
                    )
                )
    # The same report (mostly the same words) with different numbers in it.
    numbered = [(s, _numbers(s.text)) for s in sentences]
    for x in range(len(numbered)):
        for y in range(x + 1, len(numbered)):
            (sa, na), (sb, nb) = numbered[x], numbered[y]
            if sa.doc_id != sb.doc_id and na - nb and nb - na and _overlap(sa.text, sb.text) >= 0.4:
                found.append(
                    (
                        3.0,
                        Disagreement(
                            topic=f"The numbers differ: {', '.join(sorted(na - nb))} or {', '.join(sorted(nb - na))}",
                            sides=[parts.quoted(sa), parts.quoted(sb)],
                        ),
                    )
                )
    found.sort(key=lambda x: -x[0])
    out, used = [], set()
    for _, d in found:
        key = frozenset((c.doc_id, c.start) for side in d.sides for c in side.citations)
        if key not in used:
            used.add(key)
            out.append(d)
    return out[:limit]


def timeline(sentences: list[Sentence], day_for_undated: date, parts, limit: int = 12) -> list[TimelineEvent]:
    events, seen = [], set()
    for s in sentences:
        if len(s.text.split()) < 6:
            continue  # datelines and headings
        base = date.fromisoformat(s.published) if s.published else day_for_undated
        for start, end, d in date_mentions(s.text, base):
            key = (d, normalize(s.text))
            if key in seen:
                continue
            seen.add(key)
            words = s.text[start:end]
            relative = words if not re.search(r"\d{4}", words) else None
            events.append(TimelineEvent(date=d, relative=relative, **parts.quoted(s).model_dump()))
            break
    events.sort(key=lambda e: (e.date, e.citations[0].source, e.citations[0].start))
    return events[:limit]


def changes(current: Briefing, previous: Briefing | None) -> list[Change]:
    if previous is None:
        return []
    before = {p.actor: p for p in previous.positions}
    out = []
    for p in current.positions:
        old = before.get(p.actor)
        old_points = {normalize(k.text): k.text for k in (old.key_points + [old.stance] if old else [])}
        new_points = [k for k in p.key_points + [p.stance] if p.has_position]
        added = [k for k in new_points if normalize(k.text) not in old_points]
        kept = {normalize(k.text) for k in new_points}
        dropped = [text for key, text in old_points.items() if key not in kept and old and old.has_position]
        out.append(
            Change(
                actor=p.actor, since=previous.date, added=added, dropped=dropped, unchanged=not added and not dropped
            )
        )
    return out
