"""Ingest: documents → SQLite (one transaction each) → chunk vectors upserted into Chroma.
Chunks are marked indexed only after Chroma has them, so an interrupted ingest is completed by
the next run (or `briefing doctor`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from briefing.documents import MONTH_DAY, Document, collect_paths, parse_document, read_path
from briefing.errors import InputError
from briefing.injection import looks_like_instruction
from briefing.models import IngestReport, Progress
from briefing.splitting import make_chunks, split_sentences

PLANTED = "planted_instructions"  # documents.meta key: sentences that are instructions to a reader or a model

if TYPE_CHECKING:
    from briefing.app import App

EMBED_BATCH = 64


def _store_document(app: App, doc: Document, report: IngestReport) -> None:
    store = app.store
    from briefing.store import document_urls

    urls = document_urls(doc)
    known = doc.id if store.has_document(doc.id) else store.document_for_urls(urls)
    if known:  # the same text, or a page already stored from the same canonical URL (an AMP copy)
        store.add_urls(known, urls)  # so this address is not fetched again
        report.unchanged.append(doc.source)
        return
    sentences = split_sentences(doc.text)
    if not sentences:
        report.rejected.append(f"{doc.source}: no sentences found")
        return
    chunks = make_chunks(doc.id, doc.text, sentences, app.settings.chunk_sentences)
    planted = sum(looks_like_instruction(s.text) for s in sentences)  # kept, never evidence; the document is flagged
    doc.meta = {k: v for k, v in doc.meta.items() if k != PLANTED} | ({PLANTED: str(planted)} if planted else {})
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
                "planted_instructions": planted,
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
    from briefing.remove import complete_pending

    with app.write_lock():
        complete_pending(app)  # a removal an earlier `rm` left half-done goes first
        for n, (_name, load) in enumerate(items, 1):
            try:
                _store_document(app, load(), report)
            except InputError as exc:
                report.rejected.append(exc.one_line())
                report.exit_code = max(report.exit_code, exc.exit_code)
            if progress:
                progress("read", n, total)
        undated = [a["id"] for a in report.added if a["published"] is None]
        if undated and app.store.date_by_collection(undated, MONTH_DAY):
            headers = app.store.document_headers(undated)
            for a in report.added:
                if a["id"] in headers:
                    a["published"] = headers[a["id"]]["published"]
        from briefing.claims.derive import derive_pending_alongside

        report.claims, report.indexed = derive_pending_alongside(app.store, lambda: index_pending(app, progress))
    report.seconds = time.perf_counter() - start
    return report
