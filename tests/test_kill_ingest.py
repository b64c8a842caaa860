"""An ingest killed with SIGKILL (no cleanup at all) half-way through — while storing documents, or
while embedding chunks — leaves a store that `briefing doctor` repairs and that the next ingest
completes: every document present, every chunk with exactly one vector, answers still work."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time

import pytest

from conftest import SEEDS
from servers import article_copies, briefing_cmd, briefing_env, run_briefing

COPIES = 20  # 60 articles, about 580 chunks: long enough to be caught mid-way
EMBED_BATCH = 64  # briefing.ingest.EMBED_BATCH: chunks are marked indexed a batch at a time


def db_counts(data_dir) -> dict[str, int]:
    """Counts read from outside (read-only), while the ingest may be writing."""
    path = data_dir / "store.sqlite"
    if not path.exists():
        return {"documents": 0, "chunks": 0, "indexed": 0}
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return {"documents": db.execute("SELECT count(*) FROM documents").fetchone()[0],
                    "chunks": db.execute("SELECT count(*) FROM chunks").fetchone()[0],
                    "indexed": db.execute("SELECT count(*) FROM chunks WHERE indexed=1").fetchone()[0]}
        finally:
            db.close()
    except sqlite3.Error:  # not created yet, or mid-way through its first transaction
        return {"documents": 0, "chunks": 0, "indexed": 0}


def chroma_ids(data_dir) -> set[str]:
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=Settings(anonymized_telemetry=False))
    got = client.get_collection("chunks").get(include=[])
    return set(got["ids"])


def chunk_ids(data_dir) -> set[str]:
    db = sqlite3.connect(data_dir / "store.sqlite")
    try:
        return {r[0] for r in db.execute("SELECT id FROM chunks")}
    finally:
        db.close()


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    return article_copies(SEEDS, tmp_path_factory.mktemp("articles"), COPIES)


KILL_WHEN = {
    "storing": lambda c: c["documents"] >= 5,  # documents are being written, nothing embedded yet
    "embedding": lambda c: c["indexed"] >= EMBED_BATCH,  # some batches in Chroma and marked, others not
}


@pytest.mark.parametrize("stage", list(KILL_WHEN))
def test_sigkilled_ingest_is_repaired_by_doctor_and_completed_by_the_next_ingest(articles, tmp_path, stage):
    data = tmp_path / "data"
    total = len(list(articles.glob("*.txt")))
    log = tmp_path / "ingest.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(briefing_cmd("ingest", str(articles)), env=briefing_env(data), stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 300
        try:
            while not KILL_WHEN[stage](at_kill := db_counts(data)):
                assert proc.poll() is None, f"the ingest finished before it could be killed while {stage}: {log.read_text()}"
                assert time.monotonic() < deadline, "the ingest never got there"
                time.sleep(0.05)
            proc.kill()  # SIGKILL: no finally blocks, no lock release by the process, no flush
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(30)
    assert proc.returncode == -9
    after_kill = db_counts(data)
    assert after_kill["documents"] < total or after_kill["indexed"] < after_kill["chunks"], f"nothing left to repair: {after_kill}"

    # The half-ingested store is still readable and answerable (keyword search covers what is not embedded yet).
    proc = run_briefing(["docs", "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(json.loads(proc.stdout)) == after_kill["documents"]

    # doctor: SQLite intact, Chroma brought in line with it (the lock of the killed process is gone).
    proc = run_briefing(["doctor", "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["sqlite_integrity"] == "ok" and report["consistent"], report
    assert report["documents"] == after_kill["documents"] and report["chunks"] == after_kill["chunks"] == report["vectors_now"]
    assert chroma_ids(data) == chunk_ids(data)
    again = json.loads(run_briefing(["doctor", "--json"], data).stdout)
    assert again["consistent"] and again["chunks_indexed_now"] == 0 and again["orphan_vectors_removed"] == 0

    # The next ingest completes the job: every article, every chunk embedded once.
    proc = run_briefing(["ingest", str(articles), "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert len(report["added"]) + len(report["unchanged"]) == total
    assert len(report["unchanged"]) == after_kill["documents"]
    final = db_counts(data)
    assert final["documents"] == total and final["indexed"] == final["chunks"]
    assert chroma_ids(data) == chunk_ids(data) and len(chunk_ids(data)) == final["chunks"]
    assert json.loads(run_briefing(["doctor", "--json"], data).stdout)["vectors_before"] == final["chunks"]

    # Retrieval over the repaired index works: an unanswerable question abstains with the closest evidence.
    proc = run_briefing(["ask", "Which NATO member will command the reassurance force?", "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout)
    assert r["mode"] == "abstained" and r["closest"]


@pytest.mark.e2e
def test_answers_after_a_killed_and_repaired_ingest(articles, tmp_path):
    data = tmp_path / "data"
    with open(tmp_path / "ingest.log", "wb") as out:
        proc = subprocess.Popen(briefing_cmd("ingest", str(articles)), env=briefing_env(data), stdout=out, stderr=subprocess.STDOUT)
        try:
            while db_counts(data)["indexed"] < EMBED_BATCH and proc.poll() is None:
                time.sleep(0.05)
        finally:
            proc.kill()
            proc.wait(30)
    assert run_briefing(["ingest", str(articles)], data).returncode == 0
    proc = run_briefing(["ask", "who pledged troops?", "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout)
    assert r["answerable"] and r["mode"] in ("generated", "extractive") and r["citations"]
    db = sqlite3.connect(data / "store.sqlite")
    try:
        for c in r["citations"]:
            text = db.execute("SELECT text FROM documents WHERE id=?", (c["doc_id"],)).fetchone()[0]
            assert text[c["start"]:c["end"]] == c["quote"]
    finally:
        db.close()
