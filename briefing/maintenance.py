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
    """Integrity of SQLite; chunks missing from Chroma are indexed, vectors with no chunk are removed; an
    embedded Chroma index that cannot be loaded is moved aside and rebuilt from the store. The store is
    read first: when it cannot be, nothing in the index is touched."""
    from briefing.remove import complete_pending

    with app.write_lock():
        integrity = app.store.integrity()
        removals = complete_pending(app)  # a removal cut short: its vectors and rows go now
        stored = app.store.chunk_ids()
        moved = _open_or_move_aside(app)
        indexed = app.index.ids()
        orphans = sorted(indexed - stored)
        missing = sorted(stored - indexed)
        kept = 0
        if orphans and not stored:  # a store with no chunks beside a full index: keep the vectors, never guess
            kept, orphans = len(orphans), []
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
            **(
                {
                    "vectors_kept": f"{kept} (the store has no chunks; "
                    "run `briefing reindex` to rebuild the index from it)"
                }
                if kept
                else {}
            ),
            "removals_completed": len(removals),
            "chunks_indexed_now": repaired,
            "vectors_now": app.index.count(),
            "consistent": app.index.count() == len(stored) and not kept,
            **({"unreadable_index_moved_to": moved} if moved else {}),
        }


def _open_or_move_aside(app: App) -> str | None:
    """Open the index; an embedded one that cannot be loaded is renamed (kept for inspection) so that a new,
    empty one is created and filled from the store. Returns the new name of the old folder, if moved."""
    import os
    import time

    from briefing.vectors import IndexUnreadable, forget_embedded

    try:
        app.index.count()
        return None
    except IndexUnreadable:
        if app.settings.chroma_url:  # a server's index is the server's to repair
            raise
    app.forget_index()
    folder = app.data_dir / "chroma"
    aside = app.data_dir / f"chroma.unreadable-{time.strftime('%Y%m%d-%H%M%S')}"
    os.replace(folder, aside)
    forget_embedded(app.data_dir)
    app.store.mark_all_unindexed()
    return aside.name
