"""The parts of a brief the program derives itself: where sources disagree, the timeline of dated
events, and what changed since an earlier brief."""

from __future__ import annotations

import re
from datetime import date

from briefing.brief_models import Briefing, Change, Disagreement, TimelineEvent
from briefing.brief_select import alias_pattern
from briefing.dates import date_mentions
from briefing.retrieval import Evidence
from briefing.text import content_terms, normalize

VENUE = re.compile(
    r"\b(?:speaking|spoke|speech|remarks|statement|said|told|delivered|addressing|addressed)\b[^.;]{0,80}?"
    r"\b(?:at|during)\s+(?:a|an|the)\s+([^,.;:\"“”]{3,80})", re.I)
QUANTITY = re.compile(r"\b(\d[\d,]*)\s+(?:of\s+)?([A-Za-z’'\-]+(?:\s+[A-Za-z’'\-]+)?)")
DATE_NUMBER = re.compile(r"\b(?:19|20)\d\d\b")


def _actor_of(sentences: list[Evidence], i: int, actors: dict[str, list[str]]) -> str | None:
    """The actor named first in this sentence, else in the one before it (same article)."""
    for j in (i, i - 1):
        if j < 0 or sentences[j].doc_id != sentences[i].doc_id:
            continue
        hits = [(m.start(), name) for name, aliases in actors.items() if (m := alias_pattern(aliases).search(sentences[j].text))]
        if hits:
            return min(hits)[1]
    return None


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"\b\d[\d,]*\b", text) if not DATE_NUMBER.fullmatch(n)}


def _overlap(a: str, b: str) -> float:
    ta, tb = set(content_terms(a)), set(content_terms(b))
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def disagreements(sentences: list[Evidence], actors: dict[str, list[str]], parts, limit: int = 5) -> list[Disagreement]:
    """Two kinds, across different articles:
    - venue: the same actor's statement placed at different venues ("a press conference" vs "a panel at ...");
    - quantity: the same number of the same thing doing something, but what they did is told differently
      (e.g. "26 nations pledged ... security guarantees" vs "26 ... allies had pledged to deploy troops"),
      or the same thing counted with different numbers."""
    found: list[tuple[float, Disagreement]] = []
    venues: dict[str, list[tuple[str, Evidence]]] = {}
    for i, s in enumerate(sentences):
        m = VENUE.search(s.text)
        if m:
            actor = _actor_of(sentences, i, actors)
            if actor:
                venues.setdefault(actor, []).append((m.group(1).strip(), s))
    for actor, items in venues.items():
        for a in range(len(items)):
            for b in range(a + 1, len(items)):
                (va, sa), (vb, sb) = items[a], items[b]
                if sa.doc_id != sb.doc_id and _overlap(va, vb) < 0.5:
                    found.append((2.0, Disagreement(topic=f"Where {actor}'s statement was made: “{va}” or “{vb}”",
                                                     sides=[parts.quoted(sa), parts.quoted(sb)])))
    quantities = []
    for s in sentences:
        for m in QUANTITY.finditer(s.text):
            if not DATE_NUMBER.fullmatch(m.group(1)):
                quantities.append((m.group(1).replace(",", ""), s))
    for x in range(len(quantities)):
        for y in range(x + 1, len(quantities)):
            (na, sa), (nb, sb) = quantities[x], quantities[y]
            if sa.doc_id == sb.doc_id or na != nb:
                continue
            shared = set(content_terms(sa.text)) & set(content_terms(sb.text))
            if len(shared) >= 2 and _overlap(sa.text, sb.text) < 0.35:
                thing = content_terms(sa.text[sa.text.find(na):])[1:2] or ["parties"]
                found.append((1.0 + len(shared) / 10, Disagreement(
                    topic=f"What the {na} {thing[0]} did, as each source tells it", sides=[parts.quoted(sa), parts.quoted(sb)])))
    # The same report (mostly the same words) with different numbers in it.
    numbered = [(s, _numbers(s.text)) for s in sentences]
    for x in range(len(numbered)):
        for y in range(x + 1, len(numbered)):
            (sa, na), (sb, nb) = numbered[x], numbered[y]
            if sa.doc_id != sb.doc_id and na - nb and nb - na and _overlap(sa.text, sb.text) >= 0.4:
                found.append((3.0, Disagreement(topic=f"The numbers differ: {', '.join(sorted(na - nb))} or {', '.join(sorted(nb - na))}",
                                                sides=[parts.quoted(sa), parts.quoted(sb)])))
    found.sort(key=lambda x: -x[0])
    out, used = [], set()
    for _, d in found:
        key = frozenset((c.doc_id, c.start) for side in d.sides for c in side.citations)
        if key not in used:
            used.add(key)
            out.append(d)
    return out[:limit]


def timeline(sentences: list[Evidence], day_for_undated: date, parts, limit: int = 12) -> list[TimelineEvent]:
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
        out.append(Change(actor=p.actor, since=previous.date, added=added, dropped=dropped, unchanged=not added and not dropped))
    return out
