"""What the other articles report for the value an answer gives, from the claims stored at ingest.

The answer's sentence has a claim: its event (what + where), the event's day, and each number with what it
counts (unit) and where (scope). The other articles' claims about the same event on the same day, with a number
of the same unit, scope and side (the counts of one actor are not set against another's), are the other reports
of that value, found whether or not retrieval ranked their sentences. A bound ("more than 800", "at least two")
agrees with any value it admits and is never a side; a breakdown ("16 over Krasnodar, 13 over Azov") is a part,
not the whole. A meeting or statement (same kind and place) dated differently by another article, in a sentence
that itself names a day, is the other report of a date."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from briefing.claims.lexicon import is_bound
from briefing.claims.models import Claim, Quantity
from briefing.dates import MONTHS, date_mentions, parse_date

if TYPE_CHECKING:
    from briefing.evidence import Evidence

DATED_KINDS = ("meeting", "remarks")  # attacks recur at one place night after night; meetings rarely do
DATE_WINDOW_DAYS = 45
WHOLE = {"country", "nationwide", "the country"}
DAY_WORDS = re.compile(
    r"\b(?:on|last|this|next)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)"
    r"day'?s?\b",
    re.I,
)


@dataclass
class Side:
    value: str  # as an article words it: "810 drones", "a 32-year-old", "2025-09-04"
    evidence: list[Evidence]


def _place(event: str | None) -> str | None:
    return event.split(":", 1)[1] if event and ":" in event else None


def _kind(event: str | None) -> str | None:
    return event.split(":", 1)[0] if event else None


def _scope(q: Quantity, claim: Claim) -> str | None:
    """The place a count applies to; the event's own place, or the whole country, is no narrower scope. A place
    stated for one count of people applies to the sentence's other counts of people."""
    scope = q.scope
    if not scope and q.unit.startswith("people_"):
        people = {x.scope for x in claim.quantities if x.unit.startswith("people_") and x.scope}
        scope = next(iter(people)) if len(people) == 1 else None
    return None if scope in WHOLE or (scope and scope == _place(claim.event)) else scope


def _other_day(c: Claim, day: date) -> bool:
    """The sentence dates what it tells, and not to the event's day ('the previous record, 728 drones, was set on
    9 July')."""
    if c.published is None:
        return False
    days = {d for _, _, d in date_mentions(c.text, c.published)}
    return bool(days) and not any(abs((d - day).days) <= 1 for d in days)


def _comparable(q: Quantity) -> bool:
    return "_" in q.unit or q.unit.startswith("age")


def _same_side(a: Claim, b: Claim) -> bool:
    """Counts given for different actors (Russia's ministry, Ukraine's air force) are different counts."""
    return not (a.actor and b.actor and a.actor != b.actor)


def _breakdown(q: Quantity, claim: Claim) -> bool:
    """'16 over the Krasnodar region, 13 over the Sea of Azov': each number counts a part."""
    return sum(x.unit == q.unit for x in claim.quantities) > 1 and not q.scope


def shown_value(q: Quantity) -> str:
    if q.unit.startswith("age"):
        return q.text if q.text.lower().startswith(("a ", "an ")) else f"a {q.text}"
    return q.text


class Reports:
    """Claims of the stored articles, looked up by sentence and by event (read from the store on demand)."""

    def __init__(self, store, since: date | None = None, until: date | None = None, make=None):
        self.make = make  # the Evidence class (passed in: this module stays low in the import chain)
        self.store = store
        self.since, self.until = since, until
        self._by_doc: dict[str, list[Claim]] = {}
        self._docs: dict[str, object] = {}
        self._sentences: dict[str, dict[str, object]] = {}

    # --- lookups -------------------------------------------------------------------------------------------
    def claims_of(self, doc_id: str) -> list[Claim]:
        if doc_id not in self._by_doc:
            fetch = getattr(self.store, "claims_of_docs", None)
            self._by_doc[doc_id] = fetch([doc_id]) if fetch else []
        return self._by_doc[doc_id]

    def claim_at(self, e: Evidence) -> Claim | None:
        return next((c for c in self.claims_of(e.doc_id) if str(c.sentence_id) == e.sentence_id), None)

    def _event_claims(self, event: str) -> list[Claim]:
        query = getattr(self.store, "query", None)
        if query is None:
            return []
        rows = query("SELECT record FROM claims WHERE event=? ORDER BY doc_id, idx", (event,))
        out = [Claim.model_validate_json(r[0]) for r in rows]
        return [c for c in out if self._in_range(c)]

    def _in_range(self, c: Claim) -> bool:
        day = c.published
        if day is None:
            return self.since is None and self.until is None
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def evidence(self, doc_id: str, sentence_id: str) -> Evidence | None:
        if doc_id not in self._docs:
            self._docs[doc_id] = self.store.document(doc_id)
            self._sentences[doc_id] = {r["id"]: r for r in self.store.sentences_of_docs([doc_id])}
        doc, row = self._docs[doc_id], self._sentences[doc_id].get(sentence_id)
        if doc is None or row is None:
            return None
        return self.make(
            f"C{len(self._sentences)}",
            row["id"],
            doc_id,
            doc["source"],
            doc["title"],
            doc["published"],
            row["start"],
            row["end"],
            row["text"],
            0.0,
            0.0,
        )

    def units(self, counts: str) -> frozenset[str]:
        """The quantity units the store's claims use for a counted noun ('missile' → missiles_launched, ...)."""
        query = getattr(self.store, "query", None)
        if query is None or not re.fullmatch(r"[a-z]+", counts):
            return frozenset()
        rows = query(
            "SELECT DISTINCT json_extract(q.value, '$.unit') FROM claims, json_each(claims.record, '$.quantities') q "
            "WHERE claims.record LIKE ?",
            (f'%"unit":"{counts[:4]}%',),
        )
        return frozenset(r[0] for r in rows if r[0])

    # --- quantities ----------------------------------------------------------------------------------------
    def quantities(self, e: Evidence) -> list[Quantity]:
        c = self.claim_at(e)
        return list(c.quantities) if c else []

    def quantity_sides(self, e: Evidence, value: float, age: bool = False) -> list[Side] | None:
        """Each value the articles give for the quantity e states as `value` (e's first, unless it is a bound), with
        the sentences giving it; one side when they agree. None: the claims do not know that quantity well enough to
        compare it (no event, day or unit)."""
        claim = self.claim_at(e)
        if claim is None or not claim.event or ":" not in claim.event:
            return None
        qty = next(
            (q for q in claim.quantities if q.value == value and _comparable(q) and q.unit.startswith("age") == age),
            None,
        )
        if qty is None or _breakdown(qty, claim):
            return None
        scope = _scope(qty, claim)
        day = claim.event_date or self._day_of(claim, qty.unit, scope)
        if day is None:
            return None
        per_doc: dict[str, list[tuple[float, Quantity, Claim]]] = {}
        late: list[tuple[float, Quantity, Claim]] = []  # undated reports of the event: they may only join a value
        for c in self._event_claims(claim.event):
            if not _same_side(claim, c):
                continue
            if c.event_date != day and not (c.event_date and self._one_occasion(claim, c, day)):
                if c.event_date is not None or c.published is None:
                    continue
                if not (day <= c.published <= day + timedelta(days=1)):
                    continue
            if _other_day(c, day):
                continue
            for q in c.quantities:
                if q.unit != qty.unit or _scope(q, c) != scope or is_bound(q.text, c.text) or _breakdown(q, c):
                    continue
                # one value per article, or per named source within it ("2,400, the union said. The employers
                # put the figure at 1,800.")
                key = f"{c.doc_id}\x00{c.speaker or ''}"
                (per_doc.setdefault(key, []) if c.event_date else late).append((q.value, q, c))
        if not per_doc:
            return []
        by_value: dict[float, list[tuple[Quantity, Claim]]] = {}
        for rows in per_doc.values():
            counts = Counter(v for v, _, _ in rows)
            best = max(counts, key=lambda v: (counts[v], v))
            q, c = next((q, c) for v, q, c in rows if v == best)
            by_value.setdefault(best, []).append((q, c))
        for v, q, c in late:
            if v in by_value and all(x.doc_id != c.doc_id for _, x in by_value[v]):
                by_value[v].append((q, c))
        own = by_value.get(value)
        order = sorted(by_value, key=lambda v: (v != value, -len(by_value[v]), v))
        sides = []
        for v in order:
            rows = by_value[v]
            q = qty if own and v == value and not is_bound(qty.text, claim.text) else rows[0][0]
            ev = [
                e if str(c.sentence_id) == e.sentence_id else self.evidence(c.doc_id, str(c.sentence_id))
                for _, c in rows
            ]
            sides.append(Side(shown_value(q), [x for x in ev if x is not None]))
        return sides

    def _day_of(self, claim: Claim, unit: str, scope: str | None) -> date | None:
        """An undated report of an event: the one day, on or the day before its publication, for which the other
        articles give the same quantity of the event."""
        if claim.published is None:
            return None
        near = {claim.published, claim.published - timedelta(days=1)}
        days = {
            c.event_date
            for c in self._event_claims(claim.event or "")
            if c.event_date in near and any(q.unit == unit and _scope(q, c) == scope for q in c.quantities)
        }
        return next(iter(days)) if len(days) == 1 else None

    def _one_occasion(self, a: Claim, b: Claim, day: date) -> bool:
        """A meeting another article dates differently (within weeks) is the same meeting when no article of
        either date tells of two meetings there."""
        if _kind(a.event) not in DATED_KINDS or b.event_date is None:
            return False
        if abs((b.event_date - day).days) > DATE_WINDOW_DAYS:
            return False
        by_doc: dict[str, set] = {}
        for c in self._event_claims(a.event or ""):
            if c.event_date in (day, b.event_date):
                by_doc.setdefault(c.doc_id, set()).add(c.event_date)
        return all(len(d) == 1 for d in by_doc.values())

    # --- dates ---------------------------------------------------------------------------------------------
    def date_sides(self, e: Evidence, day: date) -> list[Side] | None:
        """The days on which the articles place the meeting or statement e dates to `day` (e's first), each from a
        sentence that names its day itself; None: e is not a dated meeting or statement the claims know."""
        claim = self.claim_at(e)
        if claim is None or _kind(claim.event) not in DATED_KINDS or not _place(claim.event):
            return None
        found: dict[date, list[Claim]] = {day: []}
        own_days = set()
        for kind in DATED_KINDS:
            for c in self._event_claims(f"{kind}:{_place(claim.event)}"):
                if c.event_date is None or not _dated(c) or abs((c.event_date - day).days) > DATE_WINDOW_DAYS:
                    continue
                remarks = "remarks" in (_kind(claim.event), _kind(c.event))
                if remarks and claim.speaker and c.speaker and claim.speaker != c.speaker:
                    continue  # another speaker's remarks there are another occasion
                if c.doc_id == e.doc_id:
                    own_days.add(c.event_date)
                else:
                    found.setdefault(c.event_date, []).append(c)
        sides = []
        for d in [day] + sorted(x for x in found if x != day):
            if d != day and d in own_days:
                continue  # the answer's own article gives that day too: it tells of two occasions
            ev = [e] if d == day else []
            ev += [x for x in (self.evidence(c.doc_id, str(c.sentence_id)) for c in found[d]) if x is not None]
            seen: set[str] = set()
            ev = [x for x in ev if not (x.doc_id in seen or seen.add(x.doc_id))]
            if ev:
                sides.append(Side(d.isoformat(), ev))
        return sides


DAY_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{'|'.join(MONTHS)})\b", re.I)


def _dated(c: Claim) -> bool:
    """The sentence names the day itself ("on Thursday", "on 4 August", "Sept 4")."""
    base = c.published or parse_date("2000-01-01")
    return bool(DAY_WORDS.search(c.text) or DAY_MONTH.search(c.text)) or bool(date_mentions(c.text, base))
