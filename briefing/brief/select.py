"""Choosing what a brief covers: the documents of a day (or window), their sentences, the actors."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml

from briefing.dates import date_mentions
from briefing.errors import InputError
from briefing.evidence import Sentence, numbered
from briefing.injection import looks_like_instruction
from briefing.text import alias_pattern, proper_names

__all__ = [
    "alias_pattern",
    "covering_documents",
    "latest_day",
    "load_actors",
    "numbered",
    "sentences_of",
]

MIN_SHARED_NAMES = 4  # names an undated report shares with the day's dated ones to be of their story
LOOKAHEAD_DAYS = 3  # a report published up to this many days later still covers the day if it dates events in it


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
    chosen, undated = [], []
    for r in rows:
        if r["duplicate_of"]:
            continue
        pub = date.fromisoformat(r["published"]) if r["published"] else None
        if pub is not None and start <= pub <= day:
            chosen.append(r)
        elif pub is None or day < pub <= day + timedelta(days=LOOKAHEAD_DAYS):
            base = pub or day
            if any(start <= d <= day for _, _, d in date_mentions(r["text"], base)):
                (chosen if pub else undated).append(r)
    # an undated report's "on Friday" falls on every brief's Friday: it joins a day whose dated reports tell its
    # story (they share names), or a day with none
    known = set().union(*(proper_names(r["text"]) for r in chosen)) if chosen else set()
    for r in undated:
        names = proper_names(r["text"])
        shared = len(names & known)
        if not known or shared >= MIN_SHARED_NAMES or shared >= len(names) / 3:
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
        if looks_like_instruction(row["text"]):
            continue  # an instruction planted in an article is not evidence
        d = by_id[row["doc_id"]]
        out.append(
            Sentence(
                row["id"], row["doc_id"], d["source"], d["title"], d["published"], row["start"], row["end"], row["text"]
            )
        )
    return out
