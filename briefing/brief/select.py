"""Choosing what a brief covers: the documents of a day (or window) and each actor's evidence."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import yaml

from briefing.dates import date_mentions
from briefing.errors import InputError
from briefing.evidence import Sentence, numbered
from briefing.text import alias_pattern, looks_like_injection

__all__ = [
    "actor_evidence",
    "alias_pattern",
    "covering_documents",
    "latest_day",
    "load_actors",
    "numbered",
    "sentences_of",
]

LOOKAHEAD_DAYS = 3  # a report published up to this many days later still covers the day if it dates events in it
STANCE_VERBS = re.compile(
    r"\b(said|says|say|warn\w*|stress\w*|declar\w*|insist\w*|argu\w*|pledg\w*|announc\w*|confirm\w*|call\w*|urg\w*|"
    r"reject\w*|dismiss\w*|accus\w*|ruled out|rule out|offer\w*|demand\w*|vow\w*|threat\w*|caution\w*|assert\w*|"
    r"welcom\w*|emphasi[sz]\w*|reiterat\w*|suggest\w*|clarif\w*|voic\w*|express\w*|lament\w*|signal\w*|want\w*|"
    r"support\w*|oppos\w*|refus\w*|propos\w*|agree\w*|den(?:y|ied|ies))\b",
    re.I,
)


def load_actors(path: Path, names: list[str] | None) -> dict[str, list[str]]:
    """Actors → aliases from the data file; an actor not in the file is its own only alias."""
    try:
        known = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the actors file {path}: {exc}", "check BRIEFING_ACTORS_FILE") from None
    if names is None:
        names = list(known)
    out: dict[str, list[str]] = {}
    lower = {k.lower(): k for k in known}
    for name in names:
        name = name.strip()
        if not name:
            continue
        key = lower.get(name.lower())
        out[key or name] = [str(a) for a in known[key]] if key else [name]
    if not out:
        raise InputError("no actors given", 'use e.g. --actors "Russia,Ukraine"')
    return out


def covering_documents(store, day: date, window_days: int) -> list[dict]:
    """Documents published in the window, plus later (up to LOOKAHEAD_DAYS) or undated ones that date
    events inside it. Near-duplicates are folded into their original."""
    start = day - timedelta(days=window_days - 1)
    rows = store.documents_with_text()
    chosen = []
    for r in rows:
        if r["duplicate_of"]:
            continue
        pub = date.fromisoformat(r["published"]) if r["published"] else None
        if pub is not None and start <= pub <= day:
            chosen.append(r)
        elif pub is None or day < pub <= day + timedelta(days=LOOKAHEAD_DAYS):
            base = pub or day
            if any(start <= d <= day for _, _, d in date_mentions(r["text"], base)):
                chosen.append(r)
    dups: dict[str, list[str]] = {}
    for r in rows:
        if r["duplicate_of"]:
            dups.setdefault(r["duplicate_of"], []).append(r["source"])
    for r in chosen:
        r["also_reported_by"] = sorted(dups.get(r["id"], []))
    return sorted(chosen, key=lambda r: (r["published"] or "9999", r["source"]))


def latest_day(store) -> date:
    row = store.latest_published()
    if not row:
        raise InputError("no stored document has a publication date", "pass --date, or give articles a published: date")
    return date.fromisoformat(row)


def sentences_of(store, docs: list[dict]) -> list[Sentence]:
    by_id = {d["id"]: d for d in docs}
    out = []
    for row in store.sentences_of_docs(list(by_id)):
        if looks_like_injection(row["text"]):
            continue  # an instruction planted in an article is not evidence
        d = by_id[row["doc_id"]]
        out.append(
            Sentence(
                row["id"], row["doc_id"], d["source"], d["title"], d["published"], row["start"], row["end"], row["text"]
            )
        )
    return out


def actor_evidence(sentences: list[Sentence], actor: str, actors: dict[str, list[str]], limit: int) -> list[Sentence]:
    """Sentences about the actor, best first: the actor named first in the sentence (usually its
    subject), a stance verb, a direct quote."""
    mine = alias_pattern(actors[actor])
    others = [alias_pattern(a) for name, a in actors.items() if name != actor]
    scored = []
    for i, s in enumerate(sentences):
        m = mine.search(s.text)
        if not m:
            continue
        first = all((o.search(s.text) is None or o.search(s.text).start() > m.start()) for o in others)
        score = (
            3.0 * first
            + min(len(mine.findall(s.text)), 3)
            + 2.0 * bool(STANCE_VERBS.search(s.text))
            + 1.0 * bool(re.search(r"[\"“”]", s.text))
            - 0.01 * i
        )
        if len(s.text.split()) < 6:
            score -= 3  # headings and fragments
        scored.append((score, i, s))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [s for score, _, s in scored[:limit] if score > 0]
