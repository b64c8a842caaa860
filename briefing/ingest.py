"""Ingest: documents → SQLite (one transaction each) → chunk vectors upserted into Chroma.
Chunks are marked indexed only after Chroma has them, so an interrupted ingest is completed by
the next run (or `briefing doctor`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from briefing.documents import Document, collect_paths, parse_document, read_path
from briefing.errors import InputError
from briefing.splitting import make_chunks, split_sentences

if TYPE_CHECKING:
    from briefing.app import App

EMBED_BATCH = 64


@dataclass
class IngestReport:
    added: list[dict] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    sentences: int = 0
    chunks: int = 0
    claims: int = 0
    indexed: int = 0
    seconds: float = 0.0


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _store_document(app: App, doc: Document, report: IngestReport) -> None:
    store = app.store
    if store.has_document(doc.id):
        report.unchanged.append(doc.source)
        return
    sentences = split_sentences(doc.text)
    if not sentences:
        report.rejected.append(f"{doc.source}: no sentences found")
        return
    chunks = make_chunks(doc.id, doc.text, sentences, app.settings.chunk_sentences)
    from briefing.duplicates import find_duplicate

    duplicate_of, replaces = find_duplicate(store, doc)
    if store.add_document(doc, sentences, chunks, duplicate_of=duplicate_of, replaces_original=replaces):
        report.added.append(
            {
                "id": doc.id,
                "source": doc.source,
                "title": doc.title,
                "published": doc.published.isoformat() if doc.published else None,
                "sentences": len(sentences),
                "chunks": len(chunks),
                "duplicate_of": duplicate_of,
            }
        )
        report.sentences += len(sentences)
        report.chunks += len(chunks)
    else:
        report.unchanged.append(doc.source)


def index_pending(app: App, progress: Progress | None = None) -> int:
    """Embed and upsert every chunk that Chroma does not have yet."""
    pending = app.store.unindexed_chunks()
    done = 0
    for i in range(0, len(pending), EMBED_BATCH):
        batch = pending[i : i + EMBED_BATCH]
        vectors = app.embedder.embed([r["text"] for r in batch])
        app.index.upsert(
            [r["id"] for r in batch],
            vectors,
            [{"doc_id": r["doc_id"], "source": r["source"], "published": r["published_epoch"]} for r in batch],
        )
        app.store.mark_indexed([r["id"] for r in batch])
        done += len(batch)
        if progress:
            progress("index", done, len(pending))
    return done


def ingest_paths(app: App, paths: list[Path], progress: Progress | None = None) -> IngestReport:
    files = collect_paths(paths)
    return ingest_items(app, ((str(p), lambda p=p: read_path(p)) for p in files), len(files), progress)


def ingest_bytes(app: App, data: bytes, name: str = "stdin") -> IngestReport:
    return ingest_items(app, [(name, lambda: parse_document(data, name))], 1, None)


def ingest_items(
    app: App, items: Iterable[tuple[str, Callable[[], Document]]], total: int, progress: Progress | None
) -> IngestReport:
    import time

    start = time.perf_counter()
    report = IngestReport()
    with app.write_lock():
        for n, (_name, load) in enumerate(items, 1):
            try:
                _store_document(app, load(), report)
            except InputError as exc:
                report.rejected.append(exc.one_line())
            if progress:
                progress("read", n, total)
        from briefing.claims.derive import derive_pending_alongside

        report.claims, report.indexed = derive_pending_alongside(app.store, lambda: index_pending(app, progress))
    report.seconds = time.perf_counter() - start
    return report
