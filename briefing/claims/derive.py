"""Claims of stored documents: derived at ingest (one batched spaCy pipe over all new documents) and again by
`briefing claims --rebuild` after the extractor changes. The store keeps which extractor version derived them."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

from briefing.claims.models import Claim

T = TypeVar("T")
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


def _items(store, batch: list[str]) -> list[tuple[dict, list]]:
    headers = store.document_headers(batch)
    texts = store.document_texts(batch)
    rows: dict[str, list] = {d: [] for d in batch}
    for r in store.sentences_of_docs(batch):
        rows[r["doc_id"]].append((r["id"], r["text"], r["start"], r["end"]))
    out = []
    for d in batch:
        h = headers[d]
        meta = {"id": d, "published": h["published"], "source": h["source"], "title": h["title"], "text": texts[d]}
        out.append((meta, rows[d]))
    return out


def _extract(items: list[tuple[dict, list]], processes: int | None = None) -> list:
    from briefing.claims.extract import extract_many
    from briefing.claims.nlp import ModelMissing
    from briefing.errors import BriefingError

    n_sent = sum(len(rows) for _, rows in items)
    try:
        return extract_many(items, n_process=processes or (2 if n_sent >= TWO_PROCESSES_FROM else 1))
    except ModelMissing as exc:
        raise BriefingError(str(exc), "run `make setup` (it installs the pinned model from models.txt)") from None


def claims_as_of(store, doc_ids: list[str], day) -> dict[str, list[Claim]]:
    """The claims of undated documents read as if published on `day` (a brief's): their "on Sunday" and
    "overnight" then name days, so their numbers and statements join that day's events. Not stored."""
    items = _items(store, doc_ids)
    for meta, _rows in items:
        meta["published"] = day.isoformat()
    return dict(zip(doc_ids, _extract(items))) if items else {}


def derive(store, doc_ids: list[str], progress: Callable[[str, int, int], None] | None = None) -> int:
    """Extract and store the claims of the documents; returns the number of claims stored."""
    version = extractor_version()
    stored = 0
    for i in range(0, len(doc_ids), BATCH_DOCS):
        batch = doc_ids[i : i + BATCH_DOCS]
        stored += store.save_claims(dict(zip(batch, _extract(_items(store, batch)))), version)
        if progress:
            progress("claims", min(i + BATCH_DOCS, len(doc_ids)), len(doc_ids))
    return stored


def derive_pending(store, progress=None) -> int:
    """Claims for every stored document that has none yet (new, or stored before claims existed)."""
    return derive(store, store.docs_without_claims(), progress)


def derive_pending_alongside(store, work: Callable[[], T]) -> tuple[int, T]:
    """derive_pending, with the spaCy parse in a worker thread while `work` (embedding the new chunks) runs in
    this one: both spend most of their time in native code, so on two cores they overlap. The store is only
    used from this thread (reads before, writes after)."""
    from concurrent.futures import ThreadPoolExecutor

    ids = store.docs_without_claims()
    if not ids or len(ids) > BATCH_DOCS:
        return derive(store, ids), work()
    items = _items(store, ids)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claims") as pool:
        found = pool.submit(_extract, items, 1)  # one process: no fork beside the embedding threads
        result = work()
        claims = found.result()
    return store.save_claims(dict(zip(ids, claims)), extractor_version()), result


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
