"""Claims of stored documents: derived at ingest (one batched spaCy pipe over all new documents) and again by
`briefing claims --rebuild` after the extractor changes. The store keeps which extractor version derived them."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Callable

from briefing.claims.models import Claim

BATCH_DOCS = 200  # documents parsed in one pipe call (bounded memory on large ingests)
TWO_PROCESSES_FROM = 4000  # sentences; below this a second spaCy process costs more than it saves


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A digest of the extractor's code and data: claims derived by another version are stale."""
    h = hashlib.sha256()
    folder = Path(__file__).parent
    for path in sorted(folder.glob("*.py")) + sorted(folder.glob("*.yaml")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def derive(store, doc_ids: list[str], progress: Callable[[str, int, int], None] | None = None) -> int:
    """Extract and store the claims of the documents; returns the number of claims stored."""
    from briefing.claims.extract import extract_many

    version = extractor_version()
    stored = 0
    for i in range(0, len(doc_ids), BATCH_DOCS):
        batch = doc_ids[i : i + BATCH_DOCS]
        headers = store.document_headers(batch)
        texts = store.document_texts(batch)
        rows: dict[str, list] = {d: [] for d in batch}
        for r in store.sentences_of_docs(batch):
            rows[r["doc_id"]].append((r["id"], r["text"], r["start"], r["end"]))
        items = []
        for d in batch:
            h = headers[d]
            meta = {"id": d, "published": h["published"], "source": h["source"], "title": h["title"], "text": texts[d]}
            items.append((meta, rows[d]))
        n_sent = sum(len(r) for r in rows.values())
        found = extract_many(items, n_process=2 if n_sent >= TWO_PROCESSES_FROM else 1)
        stored += store.save_claims(dict(zip(batch, found)), version)
        if progress:
            progress("claims", min(i + BATCH_DOCS, len(doc_ids)), len(doc_ids))
    return stored


def derive_pending(store, progress=None) -> int:
    """Claims for every stored document that has none yet (new, or stored before claims existed)."""
    return derive(store, store.docs_without_claims(), progress)


def stored_claims(store, doc_id: str) -> tuple[dict, list[Claim]]:
    """A stored document (id or unique prefix) and its claims, deriving them first if they are missing."""
    from briefing.errors import InputError

    rows = store.find_documents(doc_id)
    if not rows:
        raise InputError(f"no stored document with id {doc_id}", "see `briefing docs` for the ids")
    if len(rows) > 1:
        raise InputError(f"{len(rows)} documents start with {doc_id}", "give more characters of the id")
    doc = dict(rows[0])
    if doc["id"] in store.docs_without_claims():
        derive(store, [doc["id"]])
    return doc, store.claims_of_docs([doc["id"]])
