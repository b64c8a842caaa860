"""`briefing rm` and DELETE /v1/documents/{id}: a document leaves SQLite (document, sentences, keyword
index, chunks, URLs, saved briefs citing it) and Chroma; answers and briefs no longer cite it; doctor
finds nothing to repair; a removal killed with SIGKILL mid-way is completed by `briefing doctor`."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from briefing.answer import ask
from briefing.brief.build import build_brief
from briefing.errors import InputError
from briefing.maintenance import doctor
from briefing.pages import ingest_sources
from briefing.remove import remove_documents
from conftest import SEEDS
from servers import article_copies, chunk_ids, output, run_briefing, start_briefing, wait_until
from test_kill_ingest import chroma_ids
from web_server import web_server

QUESTION = "What did Peskov say about foreign military contingents near Russia's borders?"


@pytest.fixture(scope="module")
def web():
    with web_server() as srv:
        yield srv


def fts_integrity(path) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('integrity-check')")  # raises if the index is off
    finally:
        db.close()


def test_removed_document_is_no_longer_cited(seeded, web, fake_model):
    fake_model.default = "{not json"  # every model call fails validation: quoted (extractive) answers and briefs
    doc_id = ingest_sources(seeded, [f"{web.base}/web/news.html"]).added[0]["id"]
    chunks = set(seeded.store.chunk_ids_of(doc_id))
    assert doc_id in {c.doc_id for c in ask(seeded, QUESTION).citations}
    brief = build_brief(seeded, date(2025, 9, 5))
    assert doc_id in {d.doc_id for d in brief.documents} and seeded.store.brief(date(2025, 9, 5)) is not None
    assert seeded.store.keyword_search(["contingents"], 5)

    removed = remove_documents(seeded, [doc_id])
    assert removed[0]["id"] == doc_id and removed[0]["sentences"] == 5 and removed[0]["briefs"] == 1

    assert seeded.store.document(doc_id) is None and not seeded.store.sentences_of_docs([doc_id])
    assert not seeded.store.keyword_search(["contingents"], 5) and not (chunks & seeded.index.ids())
    assert seeded.store.brief(date(2025, 9, 5)) is None  # the saved brief that cited it is gone
    fts_integrity(seeded.data_dir / "store.sqlite")
    answer = ask(seeded, QUESTION)
    assert doc_id not in {c.doc_id for c in answer.citations + answer.closest}
    brief = build_brief(seeded, date(2025, 9, 5))
    assert doc_id not in brief.model_dump_json()
    report = doctor(seeded)
    assert (
        report["consistent"]
        and report["removals_completed"] == report["orphan_vectors_removed"] == report["chunks_indexed_now"] == 0
    )
    # its URL is free again: the page can be ingested anew
    assert len(ingest_sources(seeded, [f"{web.base}/web/news.html"]).added) == 1


def test_removing_an_original_promotes_its_copy(app, web):
    report = ingest_sources(app, [f"{web.base}/web/news.html", f"{web.base}/web/wire-copy.html"])
    original, copy = (d["id"] for d in report.added)
    assert app.store.document(copy)["duplicate_of"] == original
    remove_documents(app, [original])
    assert app.store.document(copy)["duplicate_of"] is None


def test_a_removal_cut_short_is_completed_by_the_next_ingest(seeded, web):
    victim = seeded.store.documents()[0]["id"]
    chunks = set(seeded.store.chunk_ids_of(victim))
    seeded.store.mark_for_removal([victim])  # as a killed `rm` leaves it: marked, nothing deleted yet
    ingest_sources(seeded, [f"{web.base}/web/fico.html"])
    assert (
        seeded.store.document(victim) is None
        and not seeded.store.pending_removals()
        and not (chunks & seeded.index.ids())
    )


def test_unknown_id_removes_nothing(seeded):
    before = seeded.store.count("documents")
    some = seeded.store.documents()[0]["id"]
    with pytest.raises(InputError, match="no such document: nope"):
        remove_documents(seeded, [some, "nope"])
    assert seeded.store.count("documents") == before and not seeded.store.pending_removals()


def test_delete_route(seeded, web):
    from test_service import serving

    doc_id = ingest_sources(seeded, [f"{web.base}/web/fico.html"]).added[0]["id"]
    with serving(seeded) as client:
        r = client.delete(f"/v1/documents/{doc_id}")
        assert r.status_code == 200 and r.json()["id"] == doc_id, r.text
        r = client.delete(f"/v1/documents/{doc_id}")
        assert r.status_code == 404 and "no such document" in r.json()["error"]
        assert doc_id not in {d["id"] for d in client.get("/v1/documents").json()}
        assert [d["id"] for d in client.get("/v1/documents", params={"source": "loopback"}).json()] == []
        assert len(client.get("/v1/documents", params={"until": "2025-09-05"}).json()) == 1  # 000 (002 is undated)


def test_docs_filters(seeded, web):
    ingest_sources(seeded, [f"{web.base}/web/news.html", f"{web.base}/web/wire-copy.html"])
    from briefing.doclist import list_documents

    rows = list_documents(seeded.store, since=date(2025, 9, 6), source="steppe")
    assert [r["source"] for r in rows] == [f"Steppe Daily ({web.base}/steppe/putin-warns.html)"]
    assert list(rows[0]["dates_differ"].values()) == ["2025-09-05"]  # its near-duplicate original is dated otherwise
    assert all(r["published"] <= "2025-09-05" for r in list_documents(seeded.store, until=date(2025, 9, 5)))


# --- kill -9 during rm ----------------------------------------------------------------------------------
def pending(data) -> int:
    try:
        db = sqlite3.connect(f"file:{data / 'store.sqlite'}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM removals").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def test_sigkilled_rm_is_completed_by_doctor(tmp_path):
    data = tmp_path / "data"
    articles = article_copies(SEEDS, tmp_path / "articles", 4)
    assert run_briefing(["ingest", str(articles)], data).returncode == 0
    docs = json.loads(run_briefing(["docs", "--json"], data).stdout)
    victims = [d["id"] for d in docs[: len(docs) // 2]]

    proc = start_briefing(["rm", *victims], data, tmp_path / "rm")
    try:
        wait_until(lambda: pending(data) > 0, proc, 120, "the removal was marked")
    finally:
        proc.kill()
        proc.wait(30)
    assert proc.returncode == -9, output(proc).stderr.decode()
    left = pending(data)
    assert left > 0, "the removal finished before the kill"
    listed = run_briefing(["docs"], data).stdout.decode()
    assert "removal cut short" in listed

    report = json.loads(run_briefing(["doctor", "--json"], data).stdout)
    assert report["removals_completed"] == left and report["consistent"] and report["sqlite_integrity"] == "ok"
    remaining = {d["id"] for d in json.loads(run_briefing(["docs", "--json"], data).stdout)}
    assert remaining == {d["id"] for d in docs} - set(victims)
    assert chroma_ids(data) == chunk_ids(data) == chunk_ids(data, indexed_only=True)
    fts_integrity(data / "store.sqlite")
    again = json.loads(run_briefing(["doctor", "--json"], data).stdout)
    assert again["removals_completed"] == again["orphan_vectors_removed"] == again["chunks_indexed_now"] == 0


@pytest.mark.e2e
def test_rm_from_the_command_line_with_the_real_model(web, tmp_path):
    data = tmp_path / "data"
    assert run_briefing(["ingest", str(SEEDS), f"{web.base}/web/news.html"], data).returncode == 0
    doc_id = next(d["id"] for d in json.loads(run_briefing(["docs", "--json", "--source", "Loopback"], data).stdout))
    cited = json.loads(run_briefing(["ask", QUESTION, "--json"], data).stdout)
    assert doc_id in {c["doc_id"] for c in cited["citations"]}, cited

    proc = run_briefing(["rm", doc_id], data)
    assert proc.returncode == 0 and proc.stdout.decode().startswith(f"removed {doc_id}"), proc.stderr.decode()
    answer = run_briefing(["ask", QUESTION, "--json"], data)
    assert answer.returncode == 0 and doc_id not in answer.stdout.decode()
    brief = run_briefing(["brief", "--date", "2025-09-05", "--format", "json"], data)
    assert brief.returncode == 0 and doc_id not in brief.stdout.decode(), brief.stderr.decode()
    report = json.loads(run_briefing(["doctor", "--json"], data).stdout)
    assert (
        report["consistent"]
        and report["removals_completed"] == report["orphan_vectors_removed"] == report["chunks_indexed_now"] == 0
    )
    proc = run_briefing(["rm", doc_id], data)
    assert proc.returncode == 2 and "no such document" in proc.stderr.decode()


def test_removing_the_indexed_copy_of_a_sentence_keeps_its_other_copies_searchable(app, seeds_copy, tmp_path):
    from briefing.ingest import ingest_paths

    first = ingest_paths(app, [seeds_copy / "000_ae75808e823564bb.txt"]).added[0]["id"]
    copy = tmp_path / "copy.txt"
    copy.write_text((seeds_copy / "000_ae75808e823564bb.txt").read_text() + "\n\nThis is the wire desk's edition.\n")
    ingest_paths(app, [copy])
    assert app.store.keyword_search(["legitimate"], 5)
    remove_documents(app, [first])
    hits = app.store.keyword_search(["legitimate"], 5)
    assert hits and all(h["doc_id"] != first for h in hits)  # found in the copy that is left
    fts_integrity(app.data_dir / "store.sqlite")


def test_titles_from_the_web_reach_the_terminal_without_escape_sequences():
    from briefing.render import removed_text

    text = removed_text(
        [{"id": "abc", "source": "Evil \x1b]0;pwned\x07Site", "title": "\x1b[2J\u202eTitle", "sentences": 1}]
    )
    assert "\x1b" not in text and "\u202e" not in text and "Title" in text


def test_stored_claims_of_a_removed_document_go_with_it(seeded):
    victim, other = (r["id"] for r in seeded.store.documents()[:2])

    def claimed() -> set[str]:
        return {r[0] for r in seeded.store.query("SELECT doc_id FROM claims")} | {
            r[0] for r in seeded.store.query("SELECT doc_id FROM claims_done")
        }

    assert {victim, other} <= claimed()  # derived at ingest
    remove_documents(seeded, [victim])
    assert victim not in claimed() and other in claimed()
