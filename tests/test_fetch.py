"""`briefing ingest URL`: pages fetched from a loopback web server (tests/web_server.py) are stored as
their article's sentences only, dated from the page's metadata, with the site and URL as the source;
an AMP copy is the same document (canonical URL); every bad URL is one line and exit code 7 (or 2 for
text that is not what it says), and nothing already stored changes."""

from __future__ import annotations

import json

import pytest

from briefing.errors import FetchError
from briefing.fetch import PAGE_ACCEPT, PAGE_TYPES, Fetcher
from briefing.pages import ingest_sources
from servers import run_briefing, store_counts
from web_server import BIG, web_server


@pytest.fixture(scope="module")
def web():
    with web_server() as srv:
        yield srv


def sentences_of(app, doc_id):
    return [r["text"] for r in app.store.sentences_of_docs([doc_id])]


def test_ingest_url_stores_only_the_article_dated_from_its_metadata(app, web):
    report = ingest_sources(app, [f"{web.base}/web/news.html"])
    assert len(report.added) == 1 and not report.rejected
    doc = app.store.document(report.added[0]["id"])
    assert doc["published"] == "2025-09-05" and doc["title"] == "Putin warns Western troops in Ukraine would be targets"
    assert doc["source"] == f"The Loopback Herald ({web.base}/world/putin-warns-troops.html)"
    meta = json.loads(doc["meta"])
    assert (
        meta["url"] == f"{web.base}/web/news.html"
        and meta["canonical_url"] == f"{web.base}/world/putin-warns-troops.html"
    )
    sentences = sentences_of(app, doc["id"])
    assert len(sentences) == 5 and all(s.endswith(".") for s in sentences)
    for junk in (
        "cookies",
        "min read",
        "Photo",
        "March 27",
        "Share",
        "Home",
        "Related",
        "nineteenth",
        "rights reserved",
        "VLADIVOSTOK",
        "Allies weigh",
    ):
        assert not any(junk in s for s in sentences), junk
    assert web.log[-1]["ua"].startswith("briefing/0.1.0")


def test_amp_copy_and_a_second_ingest_are_the_same_document(app, web):
    first = ingest_sources(app, [f"{web.base}/web/news.html"])
    requests = len(web.log)
    again = ingest_sources(app, [f"{web.base}/web/news.html", f"{web.base}/web/amp.html"])
    assert not again.added and len(again.unchanged) == 2 and app.store.count("documents") == 1
    assert [e["path"] for e in web.log[requests:]] == ["/web/amp.html"]  # a stored URL is not fetched again
    assert first.added[0]["id"] == app.store.documents()[0]["id"]
    requests = len(web.log)
    assert len(ingest_sources(app, [f"{web.base}/web/amp.html"]).unchanged) == 1
    assert len(web.log) == requests  # the AMP address is now known as the same document


def test_json_ld_page_and_a_declared_latin1_page(app, web):
    report = ingest_sources(app, [f"{web.base}/web/jsonld.html", f"{web.base}/web/latin1.html"])
    by_title = {d["title"]: d for d in report.added}
    sanctions = by_title["EU readies new sanctions as drones strike Kyiv"]
    assert (
        sanctions["published"] == "2025-09-07"
        and sanctions["source"] == f"Danube Wire ({web.base}/wire/eu-sanctions-drones.html)"
    )
    cafe = by_title["Café talks in Brussels on the reconstruction fund"]
    assert cafe["published"] == "2025-09-06"
    assert any("café near the Berlaymont" in s for s in sentences_of(app, cafe["id"]))


def test_urls_mix_with_files(app, web, seeds_copy):
    report = ingest_sources(app, [str(seeds_copy), f"{web.base}/web/fico.html"])
    assert len(report.added) == 4 and not report.rejected
    fico = next(d for d in report.added if "Fico" in d["title"])
    assert fico["published"] == "2025-09-12"  # from the <time datetime> of the article header


@pytest.mark.parametrize(
    "path,needle",
    [
        ("/404", "HTTP 404"),
        ("/500", "HTTP 500"),
        ("/loop", "redirects"),
        ("/doc.pdf", "application/pdf, not a web page"),
        ("/photo.png", "image/png, not a web page"),
        ("/big", "over the limit"),
    ],
)
def test_fetch_errors_are_one_line(settings, web, path, needle):
    with Fetcher(settings) as f, pytest.raises(FetchError, match=needle) as exc:
        f.get(web.base + path, PAGE_TYPES, PAGE_ACCEPT)
    assert exc.value.exit_code == 7 and "\n" not in exc.value.one_line()


def test_big_body_is_refused_while_streaming(settings, web):
    with Fetcher(settings) as f, pytest.raises(FetchError):
        f.get(web.base + "/big", PAGE_TYPES, PAGE_ACCEPT)
    import time

    time.sleep(0.5)  # the server notices the closed connection
    sent = [e["sent"] for e in web.log if e["path"] == "/big"][-1]
    assert sent < BIG // 2, sent  # stopped near the 5 MB bound, not read to 50 MB


def test_timeout(web, tmp_path):
    from briefing.settings import Settings

    with (
        Fetcher(Settings(data_dir=tmp_path, fetch_timeout_s=1)) as f,
        pytest.raises(FetchError, match="no response within 1 s"),
    ):
        f.get(web.base + "/slow", PAGE_TYPES, PAGE_ACCEPT)


# --- the command line: one line, an exit code, the store unchanged --------------------------------------
@pytest.fixture(scope="module")
def stored(tmp_path_factory, web):
    d = tmp_path_factory.mktemp("fetch") / "data"
    proc = run_briefing(["ingest", f"{web.base}/web/news.html"], d)
    assert proc.returncode == 0, proc.stderr.decode()
    return d


def docs_json(d):
    proc = run_briefing(["docs", "--json"], d)
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


@pytest.mark.parametrize(
    "path,code,needle,env",
    [
        ("/404", 7, "HTTP 404 Not Found", {}),
        ("/500", 7, "HTTP 500", {}),
        ("/slow", 7, "no response within 1 s", {"BRIEFING_FETCH_TIMEOUT_S": "1"}),
        ("/loop", 7, "redirect loop", {}),
        ("/big", 7, "over the limit", {}),
        ("/doc.pdf", 7, "application/pdf", {}),
        ("/photo.png", 7, "image/png", {}),
        ("/web/undeclared.html", 2, "not UTF-8", {}),
    ],
)
def test_bad_urls_from_the_command_line(stored, web, path, code, needle, env):
    before, docs_before = store_counts(stored), docs_json(stored)
    proc = run_briefing(["ingest", web.base + path], stored, **env)
    err = proc.stderr.decode()
    assert proc.returncode == code, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in err, err
    assert store_counts(stored) == before and docs_json(stored) == docs_before


def test_nothing_listening(stored):
    proc = run_briefing(["ingest", "http://127.0.0.1:9/nothing-listens-here.html"], stored)
    assert proc.returncode == 7 and "cannot fetch" in proc.stderr.decode()
