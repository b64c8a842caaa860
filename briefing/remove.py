"""Removing documents from the store and the index in steps that survive a kill at any point:
1. mark them for removal in SQLite (one transaction), 2. delete their chunk vectors from Chroma,
3. delete their rows (document, sentences, keyword index, chunks, URLs, claims, briefs citing them)
and the mark, in one transaction. A removal cut short is completed by the next `rm`, `update` or
`briefing doctor`: the mark says what is left to do, and steps 2 and 3 can run again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.errors import InputError

if TYPE_CHECKING:
    from briefing.app import App


def complete_removal(app: App, doc_id: str) -> dict:
    app.index.delete(app.store.chunk_ids_of(doc_id))
    return app.store.delete_document(doc_id)


def complete_pending(app: App) -> dict[str, dict]:
    """Finish every removal that was started and cut short (call with the write lock held)."""
    return {doc_id: complete_removal(app, doc_id) for doc_id in app.store.pending_removals()}


def remove_documents(app: App, doc_ids: list[str]) -> list[dict]:
    """Remove the documents (every id must be stored); one report per document."""
    ids = list(dict.fromkeys(d.strip() for d in doc_ids if d.strip()))
    if not ids:
        raise InputError("no document ids given", "list them with `briefing docs`")
    with app.write_lock():
        missing = [d for d in ids if app.store.document(d) is None]
        if missing:
            raise InputError(
                f"no such document: {', '.join(missing)}",
                "list the stored ones with `briefing docs`; nothing was removed",
            )
        rows = {d: app.store.document(d) for d in ids}
        app.store.mark_for_removal(ids)
        done = complete_pending(app)  # (and any removal an earlier run left half-done)
        return [{"id": d, "source": rows[d]["source"], "title": rows[d]["title"], **done.get(d, {})} for d in ids]
