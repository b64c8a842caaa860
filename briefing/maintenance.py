"""Keeping the Chroma index true to the SQLite store: reindex and doctor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.ingest import index_pending

if TYPE_CHECKING:
    from briefing.app import App


def reindex(app: App, progress=None) -> int:
    """Drop the collection and re-embed every chunk from the store."""
    from briefing.vectors import VectorIndex

    s = app.settings
    with app.write_lock():
        try:
            VectorIndex.drop(app.data_dir, s.chroma_url, s.collection)
        finally:
            app.forget_index()
        app.store.mark_all_unindexed()
        return index_pending(app, progress)


def doctor(app: App) -> dict:
    """Integrity of SQLite; chunks missing from Chroma are indexed, vectors with no chunk are removed."""
    with app.write_lock():
        integrity = app.store.integrity()
        stored = app.store.chunk_ids()
        indexed = app.index.ids()
        orphans = sorted(indexed - stored)
        missing = sorted(stored - indexed)
        app.index.delete(orphans)
        if missing:
            app.store.mark_indexed(missing, 0)
        repaired = index_pending(app)
        return {
            "sqlite_integrity": integrity,
            "documents": app.store.count("documents"),
            "chunks": len(stored),
            "vectors_before": len(indexed),
            "orphan_vectors_removed": len(orphans),
            "chunks_indexed_now": repaired,
            "vectors_now": app.index.count(),
            "consistent": app.index.count() == len(stored),
        }
