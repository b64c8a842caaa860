"""Hybrid retrieval: dense (Chroma, chunk vectors) + keyword (SQLite FTS5 over sentences), fused
with reciprocal rank fusion into a ranked list of evidence sentences with stable ids E1..Ek."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from briefing.dates import to_epoch
from briefing.evidence import Evidence
from briefing.text import STOPWORDS, looks_like_injection, normalize, words

if TYPE_CHECKING:
    from briefing.app import App

__all__ = ["Evidence", "keyword_terms", "retrieve"]

RRF_K = 60


def keyword_terms(question: str) -> list[str]:
    return [w for w in words(question) if w not in STOPWORDS and (len(w) > 2 or w.isdigit())]


def retrieve(app: App, question: str, k: int, since: date | None = None, until: date | None = None) -> list[Evidence]:
    if k <= 0:
        return []
    store = app.store
    lo, hi = to_epoch(since), (to_epoch(until) + 86399 if until else None)
    pool = max(4 * k, 24)
    scores: dict[str, float] = {}
    rows: dict[str, dict] = {}

    vector = app.embedder.embed([question])[0]
    hits = app.index.query(vector, pool, lo, hi)
    chunk_rank = {cid: r for r, (cid, _) in enumerate(hits)}
    chunk_sim = {cid: 1.0 - dist for cid, dist in hits}
    for row in store.sentences_of_chunks(list(chunk_rank)):
        rows[row["id"]] = dict(row)
        scores[row["id"]] = 1.0 / (RRF_K + chunk_rank[row["chunk_id"]] + 1)

    for r, row in enumerate(store.keyword_search(keyword_terms(question), pool, lo, hi)):
        rows.setdefault(row["id"], dict(row))
        scores[row["id"]] = scores.get(row["id"], 0.0) + 1.0 / (RRF_K + r + 1)

    doc_ids = sorted({rows[sid]["doc_id"] for sid in scores})
    docs = store.document_headers(doc_ids)

    ranked = sorted(scores, key=lambda sid: (-scores[sid], sid))
    out: list[Evidence] = []
    seen_text: set[str] = set()
    for sid in ranked:
        row = rows[sid]
        key = normalize(row["text"])
        if key in seen_text or looks_like_injection(row["text"]):  # syndicated twice: once; instructions: never
            continue
        seen_text.add(key)
        d = docs[row["doc_id"]]
        if d["duplicate_of"]:  # a near-duplicate copy of a stored story is counted once, as its original
            continue
        out.append(
            Evidence(
                f"E{len(out) + 1}",
                sid,
                row["doc_id"],
                d["source"],
                d["title"],
                d["published"],
                row["start"],
                row["end"],
                row["text"],
                scores[sid],
                chunk_sim.get(row["chunk_id"], 0.0),
            )
        )
        if len(out) == k:
            break
    return out
