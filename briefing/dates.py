"""Finding and parsing dates in article text, and resolving relative dates against a base date."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DAY_MONTH_YEAR = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON}\s*,?\s+(?P<year>(?:19|20)\d\d)\b", re.I)
MONTH_DAY_YEAR = re.compile(rf"\b{_MON}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(?P<year>(?:19|20)\d\d)\b", re.I)
ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<day>\d\d)\b")
# Dates written in a sentence ("2025", "5 September", "Sept. 5", "September 5-6"): not counts of anything.
DATE_WORDS = re.compile(
    r"\b(?:19|20)\d\d\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?\b",
    re.I,
)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _make(year: str, month: int, day: str) -> date | None:
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


def _iter_dates(text: str):
    hits = []
    for rx in (DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        for m in rx.finditer(text):
            d = _make(m["year"], MONTHS[m["mon"].lower().rstrip(".")], m["day"])
            if d:
                hits.append((m.start(), m.end(), d))
    for m in ISO.finditer(text):
        d = _make(m["year"], int(m["m"]), m["day"])
        if d:
            hits.append((m.start(), m.end(), d))
    return sorted(hits)


def parse_date(value: str) -> date | None:
    """A single date written as ISO (2025-09-05, or a timestamp), '5 September 2025' or 'Sep 5, 2025'."""
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    hits = _iter_dates(value)
    return hits[0][2] if hits else None


def find_dateline(text: str, head_lines: int = 6) -> date | None:
    """A line near the top that is only a date (a dateline) is the publication date."""
    for line in text.split("\n")[:head_lines]:
        hits = _iter_dates(line)
        if hits and len(line.strip()) - (hits[0][1] - hits[0][0]) <= 3:
            return hits[0][2]
    return None


WIRE_DATELINE = re.compile(
    rf"^[A-Z][A-Za-z .'’-]{{1,40}}(?:,\s*[A-Z][A-Za-z .'’-]{{1,30}})?,\s*{_MON}\s+(?P<day>\d{{1,2}})\b"
    r"(?!\s*,?\s*\d{4})(?:\s*\([^)\n]{1,40}\))?(?:\.?\s*/[^/\n]{1,40}/)?\s*(?:[-–—:.]|$)",
    re.I,
)


def wire_dateline(text: str, head_lines: int = 6) -> tuple[int, int] | None:
    """(month, day) of a wire dateline without a year at the start of a paragraph near the top
    ("KYIV, Sept 7 (Reuters) -", "VLADIVOSTOK, Russia, Sept. 5 -"): the day the story was filed."""
    for line in [x for x in text.split("\n") if x.strip()][:head_lines]:
        m = WIRE_DATELINE.match(line.strip())
        if m and _make("2000", MONTHS[m["mon"].lower().rstrip(".")], m["day"]):
            return MONTHS[m["mon"].lower().rstrip(".")], int(m["day"])
    return None


def dateline_in_year(month_day: tuple[int, int], text: str, window_days: int = 62) -> date | None:
    """The dateline's day in the year of the latest full date the text mentions, if that date falls in the
    weeks before it (a story cites the days just before it was filed); None when the text cannot tell."""
    hits = [d for _, _, d in _iter_dates(text)]
    if not hits:
        return None
    latest = max(hits)
    for year in (latest.year, latest.year + 1):
        d = _make(str(year), *month_day[:1], str(month_day[1]))
        if d and 0 <= (d - latest).days <= window_days:
            return d
    return None


_MON2 = _MON.replace("(?P<mon>", "(?P<mon2>")
_MONTH_DAY = re.compile(
    rf"\b(?:{_MON}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON2})\b"
    r"(?!\s*[-–]\s*\d)(?!\s*,?\s*\d{4})",
    re.I,
)
_AHEAD = re.compile(r"\b(?:will|would|next|scheduled|planned|due to|expected|until|by the end)\b", re.I)


def latest_month_day(text: str) -> tuple[int, int] | None:
    """The latest day without a year that the text says something happened on ("in the early hours of September
    7", "on 4 September"), leaving out sentences about what is still ahead: a lower bound of the report's day."""
    best = None
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        if _AHEAD.search(sentence):
            continue
        for m in _MONTH_DAY.finditer(sentence):
            mon = (m["mon"] or m["mon2"]).lower().rstrip(".")
            day = int(m["d1"] or m["d2"])
            if _make("2000", MONTHS[mon], str(day)) and (best is None or (MONTHS[mon], day) > best):
                best = (MONTHS[mon], day)
    return best


def first_full_date(text: str) -> date | None:
    hits = _iter_dates(text)
    return hits[0][2] if hits else None


def date_mentions(text: str, base: date | None) -> list[tuple[int, int, date]]:
    """Dates a sentence refers to: full dates, 'September 4-5' / 'September 5' (year from base),
    weekdays ('on Friday': the latest such day on or before base), 'yesterday', 'today'."""
    out = list(_iter_dates(text))
    taken = [(s, e) for s, e, _ in out]

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    if base is not None:
        rx = re.compile(
            rf"\b{_MON}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<d2>\d{{1,2}}))?\b(?!\s*,?\s*\d{{4}})", re.I
        )
        for m in rx.finditer(text):
            if not free(m.start(), m.end()):
                continue
            day = m["d2"] or m["d1"]
            d = _make(str(base.year), MONTHS[m["mon"].lower().rstrip(".")], day)
            if d and d > base + timedelta(days=31):
                d = _make(str(base.year - 1), d.month, day)
            if d:
                out.append((m.start(), m.end(), d))
                taken.append((m.start(), m.end()))
        for m in re.finditer(
            r"\b(?:on |last |this )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", text, re.I
        ):
            if not free(m.start(), m.end()):
                continue
            delta = (base.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7
            out.append((m.start(), m.end(), base - timedelta(days=delta)))
        for word, delta in (("yesterday", 1), ("today", 0)):
            for m in re.finditer(rf"\b{word}\b", text, re.I):
                if free(m.start(), m.end()):
                    out.append((m.start(), m.end(), base - timedelta(days=delta)))
    return sorted(out)


def to_epoch(d: date | None) -> int | None:
    if d is None:
        return None
    return (d - date(1970, 1, 1)).days * 86400
