"""Feeds: the RSS and Atom feeds a store follows, and `update`, which fetches each feed (a conditional
request: an unchanged feed costs one 304), and ingests the items it has not seen yet.

A feed's ETag / Last-Modified are saved only after all of its new items were stored, so an update cut
short (or an item that failed) is picked up by the next one; items already seen, or whose URL is already
stored, are not fetched again."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from briefing.app import App
from briefing.errors import FetchError, InputError
from briefing.fetch import FEED_ACCEPT, FEED_TYPES, Fetcher, check_url
from briefing.ingest import Progress, ingest_items
from briefing.store import document_urls


@dataclass
class FeedItem:
    key: str  # the entry's id, else its link
    url: str
    title: str | None
    published: date | None


@dataclass
class UpdateReport:
    feeds: int = 0
    not_modified: int = 0
    new_items: int = 0
    added: list[dict] = field(default_factory=list)
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)
    requests: int = 0
    sentences: int = 0
    seconds: float = 0.0
    exit_code: int = 0


def parse_feed(body: bytes, url: str) -> tuple[str | None, list[FeedItem]]:
    """The feed's title and its items with links; FetchError if it is not a readable RSS or Atom feed."""
    import feedparser

    parsed = feedparser.parse(body)
    items = []
    for e in parsed.entries:
        link = (e.get("link") or "").strip()
        if not link.startswith(("http://", "https://")):
            continue
        when = e.get("published_parsed") or e.get("updated_parsed")
        items.append(
            FeedItem(
                key=(e.get("id") or link).strip(),
                url=link,
                title=(e.get("title") or "").strip() or None,
                published=date(*when[:3]) if when else None,
            )
        )
    if not items and (parsed.bozo or not parsed.get("version")):
        reason = str(parsed.get("bozo_exception") or "no RSS or Atom elements").splitlines()[0][:120]
        raise FetchError(
            f"{url}: not a readable RSS or Atom feed ({reason})", "check the feed's address; open it in a browser"
        )
    return (parsed.feed.get("title") or None), items


def fetch_feed(fetcher: Fetcher, url: str, etag: str | None = None, last_modified: str | None = None):
    """(response, title, items); title and items are None when the feed has not changed (304)."""
    resp = fetcher.get(url, FEED_TYPES, FEED_ACCEPT, etag, last_modified)
    if resp.not_modified:
        return resp, None, None
    title, items = parse_feed(resp.body, url)
    return resp, title, items


def add_feed(app: App, url: str) -> tuple[bool, str | None, int]:
    """Follow a feed; it is fetched once to check that it is one. (added?, its title, items it has now)."""
    url = check_url(url)
    with Fetcher(app.settings) as fetcher:
        _, title, items = fetch_feed(fetcher, url)
    with app.write_lock():
        return app.store.add_feed(url), title, len(items or [])


def remove_feed(app: App, url: str) -> None:
    with app.write_lock():
        if not app.store.remove_feed(url.strip()):
            raise InputError(f"not a followed feed: {url}", "see `briefing feeds list`")


def update(app: App, since: date | None = None, progress: Progress | None = None) -> UpdateReport:
    """Fetch every feed and ingest the items not seen before (published on or after `since`, if given)."""
    from briefing.pages import load_url

    t0 = time.perf_counter()
    report = UpdateReport()
    feeds = [dict(r) for r in app.store.feeds()]
    report.feeds = len(feeds)
    if not feeds:
        raise InputError("no feeds to update", "add one: briefing feeds add URL")
    with Fetcher(app.settings) as fetcher:
        for feed in feeds:
            url = feed["url"]
            try:
                resp, title, items = fetch_feed(fetcher, url, feed["etag"], feed["last_modified"])
            except FetchError as exc:
                report.failed.append(exc.one_line())
                report.exit_code = max(report.exit_code, exc.exit_code)
                app.store.feed_checked(url, exc.message[:300], keep_validators=True)
                continue
            if items is None:
                report.not_modified += 1
                app.store.feed_checked(url, "not modified", keep_validators=True)
                continue
            failed = _ingest_items(app, fetcher, url, items, since, report, load_url, progress)
            status = "ok" if not failed else f"{failed} items failed"
            # validators only when every new item is stored: otherwise the next update asks again
            app.store.feed_checked(
                url, status, None if failed else resp.etag, None if failed else resp.last_modified, title
            )
    report.requests = fetcher.requests
    report.seconds = time.perf_counter() - t0
    return report


def _ingest_items(app, fetcher, feed_url, items, since, report, load_url, progress) -> int:
    seen = app.store.seen_items(feed_url)
    fresh, known = [], []
    for item in items:
        if item.key in seen or (since and item.published and item.published < since):
            continue
        stored = app.store.document_for_urls([item.url])
        if stored:
            known.append((item.key, item.url, stored))
        else:
            fresh.append(item)
    report.new_items += len(fresh)
    resolved: dict[str, tuple[str, object]] = {}

    def loader(item):
        def load():
            doc = load_url(app, fetcher, item.url, item.title, item.published)
            resolved[item.key] = (item.url, doc)
            return doc

        return load

    failed = 0
    if fresh:
        result = ingest_items(app, [(i.url, loader(i)) for i in fresh], len(fresh), progress)
        report.added += result.added
        report.unchanged += len(result.unchanged)
        report.sentences += result.sentences
        report.failed += result.rejected
        report.exit_code = max(report.exit_code, result.exit_code)
        failed = len(result.rejected)
    done = list(known)
    for key, (u, doc) in resolved.items():  # stored now, or already (same text, or same canonical URL)
        stored = doc.id if app.store.has_document(doc.id) else app.store.document_for_urls(document_urls(doc))
        if stored:
            done.append((key, u, stored))
    if done:
        app.store.mark_items_seen(feed_url, done)
    return failed
