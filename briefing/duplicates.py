"""Near-duplicate articles (the same story syndicated): word 5-gram shingles, Jaccard similarity."""

from __future__ import annotations

from briefing.documents import Document
from briefing.text import words

SHINGLE = 5
THRESHOLD = 0.5


def shingles(text: str) -> set[int]:
    w = words(text)
    return {hash(" ".join(w[i : i + SHINGLE])) for i in range(max(1, len(w) - SHINGLE + 1))}


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def find_duplicate(store, doc: Document) -> str | None:
    """The id of a stored original this document nearly repeats, or None."""
    mine = shingles(doc.text)
    best, best_id = 0.0, None
    for doc_id, text in store.original_texts():
        score = jaccard(mine, shingles(text))
        if score > best:
            best, best_id = score, doc_id
    return best_id if best >= THRESHOLD else None
