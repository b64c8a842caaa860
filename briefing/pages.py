"""Articles from the web: a URL fetched and read into a Document (main text and metadata by
trafilatura), and `briefing ingest` of URLs mixed with files and folders."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from briefing.app import App
from briefing.documents import Document, collect_paths, parse_document, read_path
from briefing.fetch import PAGE_ACCEPT, PAGE_TYPES, Fetcher, check_url, is_url
from briefing.ingest import IngestReport, Progress, ingest_items


def stored_document(app: App, doc_id: str) -> Document:
    row = app.store.document(doc_id)
    return Document(
        id=row["id"],
        title=row["title"],
        source=row["source"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        text=row["text"],
    )


def load_url(app: App, fetcher: Fetcher, url: str, title: str | None = None, published: date | None = None) -> Document:
    """The article at url. A URL already stored is not fetched again (its stored document comes back).
    title/published (from a feed item) are used only when the page itself has none."""
    url = check_url(url)
    known = app.store.document_for_urls([url])
    if known:
        return stored_document(app, known)
    page = fetcher.get(url, PAGE_TYPES, PAGE_ACCEPT)
    suffix = ".txt" if page.content_type == "text/plain" else ".html"
    doc = parse_document(page.body, url, suffix, url=page.url, encoding=page.charset)
    doc.meta["url"] = url
    if page.url != url:
        doc.meta["final_url"] = page.url
    if suffix == ".txt":
        doc.source = page.url
    if title and doc.title == url:
        doc.title = title
    if doc.published is None and published is not None:
        doc.published = published
        doc.meta["date_from"] = "feed"
    return doc


def ingest_sources(app: App, args: list[str], progress: Progress | None = None) -> IngestReport:
    """Files, folders and http(s) URLs, in the order given."""
    items: list[tuple[str, Callable[[], Document]]] = []
    paths = [Path(a) for a in args if not is_url(a)]
    files = iter(collect_paths(paths)) if paths else iter(())
    for arg in args:  # (collect_paths has checked every path before anything is fetched)
        if is_url(arg):
            items.append((arg, lambda u=arg: load_url(app, fetcher, u)))
    items = [(str(p), lambda p=p: read_path(p)) for p in files] + items
    with Fetcher(app.settings) as fetcher:
        return ingest_items(app, items, len(items), progress)
