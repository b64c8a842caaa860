"""Where reports differ, from claims: the same event (what + where, same day) and the same quantity (unit and
scope) with different values from different articles, or the same meeting placed on different days.
Never across different events, days, units, scopes or mere wording; bounds ("more than 800") are left out."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from pydantic import BaseModel

from briefing.claims.models import Claim

DATE_KINDS = ("meeting", "remarks")  # attacks recur at one place night after night; meetings rarely do
DATE_WINDOW_DAYS = 45


class Side(BaseModel):
    value: str
    outlets: list[str]
    evidence: list[tuple[str, str]]  # (doc_id, sentence_id)


class Disagreement(BaseModel):
    event: str
    event_date: date | None
    what: str  # a quantity unit (drones_launched, people_injured, age, ...) or "date"
    scope: str | None = None
    sides: list[Side]


def _value(v: float) -> str:
    return f"{v:g}"


def _sides(per_doc: dict[str, tuple[str, str, list[tuple[str, str]]]]) -> list[Side]:
    by_value: dict[str, Side] = {}
    for value, outlet, evidence in per_doc.values():
        side = by_value.setdefault(value, Side(value=value, outlets=[], evidence=[]))
        if outlet not in side.outlets:
            side.outlets.append(outlet)
        side.evidence.extend(evidence)
    return sorted(by_value.values(), key=lambda s: (-len(s.outlets), s.value))


def find_disagreements(claims: list[Claim]) -> list[Disagreement]:
    out: list[Disagreement] = []
    # quantities: (event, day, unit, scope) → doc → the value it gives most often
    groups: dict[tuple, dict[str, list[tuple[float, Claim]]]] = defaultdict(lambda: defaultdict(list))
    for c in claims:
        if not c.event or ":" not in c.event:
            continue
        for q in c.quantities:
            if q.approx or ("_" not in q.unit and not q.unit.startswith("age")):
                continue
            groups[(c.event, c.event_date, q.unit, q.scope)][c.doc_id].append((q.value, c))
    for (event, day, unit, scope), docs in groups.items():
        if len(docs) < 2:
            continue
        per_doc = {}
        for doc_id, vals in docs.items():
            counts = Counter(v for v, _ in vals)
            best = max(counts, key=lambda v: (counts[v], v))
            evidence = [(c.doc_id, str(c.sentence_id)) for v, c in vals if v == best]
            outlet = next(c.outlet or c.doc_id for v, c in vals)
            per_doc[doc_id] = (_value(best), outlet, evidence)
        sides = _sides(per_doc)
        if len(sides) > 1:
            out.append(Disagreement(event=event, event_date=day, what=unit, scope=scope, sides=sides))
    # dates: one meeting (what + where) placed on different days by different articles
    dated: dict[str, dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    for c in claims:
        if c.event and ":" in c.event and c.event.split(":")[0] in DATE_KINDS and c.event_date:
            dated[c.event][c.doc_id].append(c)
    for event, docs in dated.items():
        per_doc = {}
        for doc_id, cs in docs.items():
            counts = Counter(c.event_date for c in cs)
            best = max(counts, key=lambda d: (counts[d], d))
            per_doc[doc_id] = (
                best.isoformat(),
                cs[0].outlet or doc_id,
                [(c.doc_id, str(c.sentence_id)) for c in cs if c.event_date == best],
            )
        sides = _sides(per_doc)
        days = [date.fromisoformat(s.value) for s in sides]
        if len(sides) > 1 and (max(days) - min(days)).days <= DATE_WINDOW_DAYS:
            out.append(Disagreement(event=event, event_date=None, what="date", sides=sides))
    return out
