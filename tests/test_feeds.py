"""Feeds: `briefing feeds add URL && briefing update` ingests every item with the right title, date and
source; a second `update` adds nothing and costs one conditional request per feed (a 304); `--since`;
a failing item or feed is one line and exit 7, the rest is stored, and the next update tries again."""

from __future__ import annotations

import json

import pytest

from briefing.errors import FetchError, InputError
from briefing.feeds import add_feed, remove_feed, update
from servers import one_line_error, run_briefing
from web_server import web_server


@pytest.fixture(scope="module")
def web():
    with web_server() as srv:
        yield srv


def feed_requests(web, start, name):
    return [e for e in web.log[start:] if e["path"].endswith(name)]


def test_add_update_and_a_second_update_from_the_command_line(web, tmp_path):
    d = tmp_path / "data"
    for feed in ("feed.xml", "atom.xml"):
        proc = run_briefing(["feeds", "add", f"{web.base}/web/{feed}"], d)
        assert proc.returncode == 0, proc.stderr.decode()
    proc = run_briefing(["update"], d)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr.decode()
    assert proc.stdout.decode().startswith("added 4 documents")
    docs = {r["title"]: r for r in json.loads(run_briefing(["docs", "--json"], d).stdout)}
    herald = f"The Loopback Herald ({web.base}/world/"
    assert {t: (r["published"], r["source"]) for t, r in docs.items()} == {
        "Putin warns Western troops in Ukraine would be targets": (
            "2025-09-05",
            herald + "putin-warns-troops.html)",
        ),  # page date, not the feed's 09-06
        "Zelensky meets Fico in Uzhhorod": ("2025-09-12", herald + "zelensky-fico-uzhhorod.html)"),
        "EU readies new sanctions as drones strike Kyiv": (
            "2025-09-07",
            f"Danube Wire ({web.base}/wire/eu-sanctions-drones.html)",
        ),
        "Café talks in Brussels on the reconstruction fund": (
            "2025-09-06",
            f"Danube Wire ({web.base}/web/latin1.html)",
        ),
    }

    start = len(web.log)
    proc = run_briefing(["update"], d)
    assert proc.returncode == 0 and proc.stdout == b"" and proc.stderr == b"", proc  # quiet: nothing happened
    assert [e["status"] for e in web.log[start:]] == [304, 304]  # one conditional request per feed, nothing else
    assert all(e["if_none_match"] for e in web.log[start:])
    assert len(json.loads(run_briefing(["docs", "--json"], d).stdout)) == 4
    listed = json.loads(run_briefing(["feeds", "list", "--json"], d).stdout)
    assert [(f["status"], f["items"]) for f in listed] == [("not modified", 3), ("not modified", 2)]


def test_since_takes_only_newer_items(app, web):
    add_feed(app, f"{web.base}/web/feed.xml")
    report = update(app, since=__import__("datetime").date(2025, 9, 10))
    assert [d["title"] for d in report.added] == ["Zelensky meets Fico in Uzhhorod"]


def test_a_failing_item_is_reported_and_retried(app, web):
    add_feed(app, f"{web.base}/web/mixed.xml")
    report = update(app)
    assert [d["title"] for d in report.added] == ["Zelensky meets Fico in Uzhhorod"]
    assert report.exit_code == 7 and len(report.failed) == 1 and "HTTP 500" in report.failed[0]
    start = len(web.log)
    again = update(app)  # the feed is fetched in full again (no validators saved); only the failed item is retried
    assert [e["path"] for e in web.log[start:]] == ["/web/mixed.xml", "/500"] and web.log[start]["status"] == 200
    assert not again.added and again.exit_code == 7


def test_broken_feed_is_refused_and_not_added(web, tmp_path):
    d = tmp_path / "data"
    proc = run_briefing(["feeds", "add", f"{web.base}/web/broken.xml"], d)
    assert proc.returncode == 7 and "not a readable RSS or Atom feed" in one_line_error(proc)
    proc = run_briefing(["feeds", "add", f"{web.base}/web/news.html"], d)
    assert proc.returncode == 7 and "not a readable RSS or Atom feed" in one_line_error(proc)
    assert json.loads(run_briefing(["feeds", "list", "--json"], d).stdout) == []


def test_a_feed_that_fails_later_leaves_the_store_as_it_was(app, web):
    add_feed(app, f"{web.base}/web/atom.xml")
    update(app)
    before = [dict(r) for r in app.store.documents()]
    app.store.add_feed(f"{web.base}/404")
    report = update(app)
    assert report.exit_code == 7 and report.failed == [f"{web.base}/404: HTTP 404 Not Found — check the address"]
    assert [dict(r) for r in app.store.documents()] == before and report.not_modified == 1


def test_remove_feed_and_update_without_feeds(app, web):
    add_feed(app, f"{web.base}/web/atom.xml")
    remove_feed(app, f"{web.base}/web/atom.xml")
    with pytest.raises(InputError, match="not a followed feed"):
        remove_feed(app, f"{web.base}/web/atom.xml")
    with pytest.raises(InputError, match="no feeds"):
        update(app)
    with pytest.raises(FetchError):
        add_feed(app, f"{web.base}/doc.pdf")


def test_twenty_item_feed(app):
    with web_server(bench_items=20) as srv:
        add_feed(app, f"{srv.base}/bench/feed.xml")
        first = update(app)
        assert (
            len(first.added) == 20
            and first.requests == 21
            and all(d["published"].startswith("2025-09-") for d in first.added)
        )
        second = update(app)
        assert not second.added and second.requests == 1 and second.not_modified == 1


def test_todays_items_make_todays_brief(app, web, fake_model):
    from datetime import date

    from briefing.brief.build import build_brief

    fake_model.default = "{not json"  # quoted (extractive) brief
    add_feed(app, f"{web.base}/today/feed.xml")
    report = update(app)
    assert [d["published"] for d in report.added] == [date.today().isoformat()]
    brief = build_brief(app, date.today())
    assert [d.title for d in brief.documents] == ["Putin warns Western troops in Ukraine would be targets"]


@pytest.mark.e2e
def test_the_cron_line_of_the_readme(web, tmp_path):
    import subprocess

    from servers import briefing_cmd, briefing_env

    d, out = tmp_path / "data", tmp_path / "brief.html"
    assert run_briefing(["feeds", "add", f"{web.base}/today/feed.xml"], d).returncode == 0
    cli = " ".join(briefing_cmd())
    line = f"{cli} update && {cli} brief --date today --format html --out {out}"
    proc = subprocess.run(["sh", "-c", line], capture_output=True, env=briefing_env(d), timeout=900)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "Putin warns Western troops" in out.read_text()


def test_a_page_without_a_date_takes_the_feed_items_date_not_its_captions(app, web):
    add_feed(app, f"{web.base}/web/nodate.xml")
    [doc] = update(app).added
    assert doc["published"] == "2025-09-11" and doc["title"] == "Grain corridor talks resume"
    assert json.loads(app.store.document(doc["id"])["meta"])["date_from"] == "feed"
