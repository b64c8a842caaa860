"""Near-duplicate articles (the same story syndicated): word 5-gram shingles, Jaccard similarity."""

from __future__ import annotations

from briefing.dates import to_epoch
from briefing.documents import Document
from briefing.text import words

SHINGLE = 5
THRESHOLD = 0.5


def shingles(text: str) -> set[int]:
    w = words(text)
    return {hash(" ".join(w[i : i + SHINGLE])) for i in range(max(1, len(w) - SHINGLE + 1))}


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def find_duplicate(store, doc: Document) -> tuple[str | None, str | None]:
    """(duplicate_of, replaces_original) for a new document: the stored original it nearly repeats, or None;
    and, when the new document is the earlier one (published first, then the lower id), the original it takes
    over from — so which copy is the original does not depend on the order of ingest."""
    mine = shingles(doc.text)
    best, best_row = 0.0, None
    for row in store.originals():
        score = jaccard(mine, shingles(row["text"]))
        if score > best:
            best, best_row = score, row
    if best_row is None or best < THRESHOLD:
        return None, None
    if _order(to_epoch(doc.published), doc.id) < _order(best_row["published_epoch"], best_row["id"]):
        return None, best_row["id"]
    return best_row["id"], None


def _order(epoch: int | None, doc_id: str) -> tuple:
    return (epoch is None, epoch or 0, doc_id)
