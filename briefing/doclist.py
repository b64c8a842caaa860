"""`briefing docs`: the stored documents, filtered by date and source, with near-duplicate copies whose
dates disagree pointed out, and removals that were cut short."""

from __future__ import annotations

from datetime import date


def list_documents(
    store, since: date | None = None, until: date | None = None, source: str | None = None
) -> list[dict]:
    rows = [dict(r) for r in store.documents()]
    pending = set(store.pending_removals())
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["duplicate_of"] or r["id"], []).append(r)
    for r in rows:
        family = groups.get(r["duplicate_of"] or r["id"], [])
        r["dates_differ"] = {
            o["id"]: o["published"]
            for o in family
            if o["id"] != r["id"] and o["published"] and r["published"] and o["published"] != r["published"]
        }
        r["removal_pending"] = r["id"] in pending
    if since is not None:
        rows = [r for r in rows if r["published"] and r["published"] >= since.isoformat()]
    if until is not None:
        rows = [r for r in rows if r["published"] and r["published"] <= until.isoformat()]
    if source:
        needle = source.lower()
        rows = [r for r in rows if needle in r["source"].lower()]
    return rows
