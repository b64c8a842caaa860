"""Claims of a stored document (re-derived from its stored sentences), for `briefing claims DOC_ID`."""

from __future__ import annotations

from briefing.claims.extract import extract_claims
from briefing.claims.models import Claim
from briefing.errors import InputError


def document_claims(store, doc_id: str) -> list[Claim]:
    """doc_id may be a unique prefix of a stored document id."""
    rows = store.query("SELECT * FROM documents WHERE id LIKE ? ORDER BY id", (doc_id.replace("%", "") + "%",))
    if not rows:
        raise InputError(f"no stored document with id {doc_id}", "see `briefing docs` for the ids")
    if len(rows) > 1:
        raise InputError(f"{len(rows)} documents start with {doc_id}", "give more characters of the id")
    doc = dict(rows[0])
    sentences = store.sentences_of_docs([doc["id"]])
    meta = {"id": doc["id"], "published": doc.get("published"), "source": doc.get("source"),
            "title": doc.get("title"), "text": doc.get("text")}
    return extract_claims(meta, [(r["id"], r["text"], r["start"], r["end"]) for r in sentences])
