"""The command line as a user runs it: one-line errors, documented exit codes, nothing lost."""

from __future__ import annotations

import json
import sqlite3

import pytest
from filelock import FileLock

from conftest import SEEDS
from servers import one_line_error, run_briefing


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    proc = run_briefing(["ingest", str(SEEDS)], data)
    assert proc.returncode == 0, proc.stderr
    return data


def counts(data_dir):
    db = sqlite3.connect(data_dir / "store.sqlite")
    try:
        return tuple(
            db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "sentences", "chunks")
        )
    finally:
        db.close()


def test_reingest_adds_nothing_and_says_so(ingested):
    before = counts(ingested)
    proc = run_briefing(["ingest", str(SEEDS), "--json"], ingested)
    assert proc.returncode == 0
    report = json.loads(proc.stdout)
    assert report["added"] == [] and len(report["unchanged"]) == 3
    assert counts(ingested) == before == (3, before[1], before[2])
    human = run_briefing(["ingest", str(SEEDS)], ingested)
    assert b"added 0 documents" in human.stdout and b"3 already stored" in human.stdout


def test_if_empty_skips_a_filled_store(ingested):
    proc = run_briefing(["ingest", str(SEEDS), "--if-empty"], ingested)
    assert proc.returncode == 0 and b"nothing to do" in proc.stderr


def test_docs_lists_dates_and_sources(ingested):
    rows = json.loads(run_briefing(["docs", "--json"], ingested).stdout)
    by_source = {r["source"]: r for r in rows}
    assert by_source["003_5a165c5dd833248b.txt"]["published"] == "2025-09-07"
    assert by_source["000_ae75808e823564bb.txt"]["published"] == "2025-09-05"
    assert by_source["002_f3f225eec9c1d75d.txt"]["published"] is None


def test_ingest_from_stdin(tmp_path):
    text = (
        "---\ntitle: Test wire\npublished: 2025-09-06\n---\nThe council met on Friday. It approved a budget "
        "of 12 million euros for repairs."
    )
    proc = run_briefing(["ingest", "-", "--json"], tmp_path, stdin=text.encode())
    assert proc.returncode == 0, proc.stderr
    added = json.loads(proc.stdout)["added"]
    assert added[0]["title"] == "Test wire" and added[0]["published"] == "2025-09-06"


@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02PNG\x00" * 50, "binary"),
        ("latin1.txt", "Caf\xe9 au lait, the minister said on Friday in Paris.".encode("latin-1"), "UTF-8"),
        ("image.png", b"\x89PNG", "unsupported"),
    ],
)
def test_bad_files_get_one_line_and_exit_2(tmp_path, name, content, needle):
    f = tmp_path / name
    f.write_bytes(content)
    proc = run_briefing(["ingest", str(f)], tmp_path / "data")
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "Traceback" not in err and needle in err


def test_bad_file_does_not_stop_good_ones(tmp_path, seeds_copy):
    (seeds_copy / "broken.txt").write_bytes(b"\xff\xfe\x00\x00garbage")
    proc = run_briefing(["ingest", str(seeds_copy)], tmp_path / "data")
    assert proc.returncode == 2 and b"added 3 documents" in proc.stdout and b"broken.txt" in proc.stderr
    assert counts(tmp_path / "data")[0] == 3


def test_folder_with_nothing_ingestible(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.csv").write_text("a,b")
    proc = run_briefing(["ingest", str(tmp_path / "empty")], tmp_path / "data")
    assert proc.returncode == 2 and "no .txt" in one_line_error(proc)


def test_missing_path(tmp_path):
    proc = run_briefing(["ingest", str(tmp_path / "nope")], tmp_path / "data")
    assert proc.returncode == 2 and "no such file" in one_line_error(proc)


@pytest.mark.parametrize("question,needle", [("", "empty"), ("   ", "empty"), ("x" * 100_000, "100,000 characters")])
def test_bad_questions(ingested, question, needle):
    proc = run_briefing(["ask", question], ingested)
    assert proc.returncode == 2 and needle in one_line_error(proc)


def test_bad_dates(ingested):
    proc = run_briefing(["ask", "who pledged troops?", "--since", "yesterday"], ingested)
    assert proc.returncode == 2 and "YYYY-MM-DD" in one_line_error(proc)


def test_ask_without_a_store(tmp_path):
    proc = run_briefing(["ask", "who pledged troops?"], tmp_path / "nothing-here")
    assert proc.returncode == 3 and "briefing ingest" in one_line_error(proc)


def test_corrupt_store_is_reported_not_overwritten(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    garbage = b"this is not a database" * 100
    (data / "store.sqlite").write_bytes(garbage)
    for args in (["ask", "who pledged troops?"], ["ingest", str(SEEDS)], ["docs"]):
        proc = run_briefing(args, data)
        assert proc.returncode == 3, proc.stderr
        assert "corrupt" in one_line_error(proc)
    assert (data / "store.sqlite").read_bytes() == garbage


def test_data_dir_that_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    proc = run_briefing(["ingest", str(SEEDS)], f)
    assert proc.returncode in (2, 3)
    one_line_error(proc)


def test_second_writer_fails_fast_with_store_busy(ingested):
    before = counts(ingested)
    with FileLock(str(ingested / "write.lock")):
        proc = run_briefing(["ingest", str(SEEDS)], ingested)
    assert proc.returncode == 4 and "store busy" in one_line_error(proc)
    assert counts(ingested) == before


def test_unknown_command_and_bad_setting(ingested):
    proc = run_briefing(["frobnicate"], ingested)
    assert proc.returncode == 2
    proc = run_briefing(["docs"], ingested, **{"BRIEFING_K": "many"})
    assert proc.returncode == 2 and "BRIEFING_K" in one_line_error(proc).upper()


def test_changing_the_embedding_model_is_refused_until_reindex(ingested, tmp_path):
    # Point the index at a different (unreachable) embedding endpoint: refused before any call, store untouched.
    before = counts(ingested)
    proc = run_briefing(
        ["ask", "who pledged troops?"],
        ingested,
        **{"BRIEFING_EMBED_BASE_URL": "http://127.0.0.1:9/v1", "BRIEFING_EMBED_MODEL": "other"},
    )
    assert proc.returncode in (3, 5)
    one_line_error(proc)
    assert counts(ingested) == before


def test_doctor_reports_consistency(ingested):
    report = json.loads(run_briefing(["doctor", "--json"], ingested).stdout)
    assert report["consistent"] and report["sqlite_integrity"] == "ok" and report["orphan_vectors_removed"] == 0


def test_logs_json_is_a_list(ingested):
    proc = run_briefing(["logs", "--json"], ingested)
    assert proc.returncode == 0 and isinstance(json.loads(proc.stdout), list)


def test_claims_of_a_document_as_text_and_json(ingested):
    rows = json.loads(run_briefing(["docs", "--json"], ingested).stdout)
    doc_id = next(r["id"] for r in rows if r["source"] == "000_ae75808e823564bb.txt")
    claims = json.loads(run_briefing(["claims", doc_id[:10], "--json"], ingested).stdout)
    putin = [c for c in claims if c["speaker"] == "Vladimir Putin"]
    assert putin and all(c["actor"] == "Russia" for c in putin)
    text = run_briefing(["claims", doc_id], ingested).stdout.decode()
    assert "speaker: Vladimir Putin" in text and "actor: Russia" in text
    missing = run_briefing(["claims", "0000nosuchid"], ingested)
    assert missing.returncode == 2 and "no stored document" in one_line_error(missing)
