"""Hybrid retrieval: dense (Chroma, chunk vectors) + keyword (SQLite FTS5 over sentences), fused
with reciprocal rank fusion into a ranked list of evidence sentences with stable ids E1..Ek."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from briefing.dates import to_epoch
from briefing.evidence import Evidence
from briefing.text import STOPWORDS, looks_like_injection, words

if TYPE_CHECKING:
    from briefing.app import App

__all__ = ["Evidence", "keyword_terms", "retrieve"]

RRF_K = 60
DENSE_MAX_DEPTH = 6144  # chunks read from the vector index, at most, to find enough distinct ones


def keyword_terms(question: str) -> list[str]:
    return [w for w in words(question) if w not in STOPWORDS and (len(w) > 2 or w.isdigit())]


def retrieve(app: App, question: str, k: int, since: date | None = None, until: date | None = None) -> list[Evidence]:
    """The k best distinct sentences. Identical sentences (syndicated copies) are one piece of evidence: they are
    collapsed before the top k is taken, cited from the earliest-published copy (then the lowest document id),
    and the other outlets carrying them are listed in `also`."""
    if k <= 0:
        return []
    store = app.store
    lo, hi = to_epoch(since), (to_epoch(until) + 86399 if until else None)
    pool = max(4 * k, 24)
    scores: dict[str, float] = {}  # by sentence key (normalised text)
    similarity: dict[str, float] = {}
    texts: dict[str, str] = {}
    order: dict[str, str] = {}  # the first row seen of each key: ties keep document order

    vector = app.embedder.embed([question])[0]
    for rank, chunk_sim, rows in _distinct_chunks(app, vector, pool, lo, hi):
        for row in rows:
            key = row["norm_key"]
            texts.setdefault(key, row["text"])
            order.setdefault(key, row["id"])
            scores.setdefault(key, 1.0 / (RRF_K + rank + 1))
            similarity.setdefault(key, chunk_sim)

    for r, row in enumerate(store.keyword_search(keyword_terms(question), pool, lo, hi)):
        key = row["norm_key"]
        texts.setdefault(key, row["text"])
        order.setdefault(key, row["id"])
        scores[key] = scores.get(key, 0.0) + 1.0 / (RRF_K + r + 1)

    ranked = sorted(scores, key=lambda key: (-scores[key], order[key]))
    chosen = [key for key in ranked if not looks_like_injection(texts[key])][:k]  # planted instructions: never
    copies: dict[str, list] = {}
    for row in store.sentence_copies(chosen, lo, hi):
        copies.setdefault(row["norm_key"], []).append(row)
    out: list[Evidence] = []
    for key in chosen:
        rows = sorted(copies.get(key, []), key=_original_first)
        if not rows:
            continue
        first = rows[0]
        also = sorted({r["source"] for r in rows[1:]} - {first["source"]})
        out.append(
            Evidence(
                f"E{len(out) + 1}",
                first["id"],
                first["doc_id"],
                first["source"],
                first["title"],
                first["published"],
                first["start"],
                first["end"],
                first["text"],
                scores[key],
                similarity.get(key, 0.0),
                also,
            )
        )
    return out


def _original_first(row) -> tuple:
    """Earliest published first (undated last), then the lowest document id: independent of ingest order."""
    return (row["published_epoch"] is None, row["published_epoch"] or 0, row["doc_id"], row["idx"])


def _distinct_chunks(app: App, vector, pool: int, lo: int | None, hi: int | None) -> list[tuple[int, float, list]]:
    """Nearest chunks as (rank, similarity, sentences). Only chunks of original documents take ranks, so a story's
    sentences are scored in their original's context however many syndicated copies exist; a copy adds only the
    sentences its original does not have (a changed number, an added line), at the rank where its chunk was
    found, without pushing anything down. The search reads deeper until `pool` ranks are filled or the index is
    exhausted."""
    depth = pool
    while True:
        hits = app.index.query(vector, depth, lo, hi)
        by_chunk: dict[str, list] = {}
        for row in app.store.sentences_of_chunks([cid for cid, _ in hits]):
            by_chunk.setdefault(row["chunk_id"], []).append(row)
        originals, copies, rank = [], [], 0
        for cid, dist in hits:
            rows = by_chunk.get(cid, [])
            if rows and not _copy_in_range(rows[0], lo, hi):
                if rank == pool:
                    break
                originals.append((rank, 1.0 - dist, rows))
                rank += 1
            elif rows:
                copies.append((rank, 1.0 - dist, rows))  # scored with the next original chunk's rank
        if rank >= pool or len(hits) < depth or depth >= DENSE_MAX_DEPTH:
            return originals + copies
        depth *= 4


def _copy_in_range(row, lo: int | None, hi: int | None) -> bool:
    """Is this sentence's document a copy of an original that the date range also holds?"""
    if row["duplicate_of"] is None:
        return False
    epoch = row["original_epoch"]
    return epoch is None or ((lo is None or epoch >= lo) and (hi is None or epoch <= hi))
