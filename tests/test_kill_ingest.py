"""An ingest killed with SIGKILL (no cleanup at all) half-way through — while storing documents, or
while embedding chunks — leaves a store that `briefing doctor` repairs and that the next ingest
completes: every document present, every chunk with exactly one vector, answers still work."""

from __future__ import annotations

import json

import pytest

from conftest import SEEDS
from servers import (
    article_copies,
    assert_exact_quotes,
    chunk_ids,
    output,
    run_briefing,
    start_briefing,
    store_counts,
    wait_until,
)

COPIES = 12  # 36 articles, about 350 chunks: long enough to be caught mid-way
EMBED_BATCH = 64  # briefing.ingest.EMBED_BATCH: chunks are marked indexed a batch at a time
UNANSWERABLE = "Which NATO member will command the reassurance force?"

KILL_WHEN = {
    "storing": lambda c: c["documents"] >= 5,  # documents being written, nothing embedded yet
    "embedding": lambda c: c["indexed"] >= EMBED_BATCH,  # some batches in Chroma and marked, the rest not
}


def chroma_ids(data_dir) -> set[str]:
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=Settings(anonymized_telemetry=False))
    return set(client.get_collection("chunks").get(include=[])["ids"])


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    return article_copies(SEEDS, tmp_path_factory.mktemp("articles"), COPIES)


def kill_ingest(articles, data, log, stage: str) -> dict[str, int]:
    """Start `briefing ingest`, SIGKILL it once it is `stage`-ing; the store's counts right after."""
    proc = start_briefing(["ingest", str(articles)], data, log)
    try:
        wait_until(lambda: KILL_WHEN[stage](store_counts(data)), proc, 300, f"the ingest was {stage}")
    finally:
        proc.kill()  # SIGKILL: no finally blocks, no lock release by the process, no flush
        proc.wait(30)
    assert proc.returncode == -9, output(proc).stderr.decode()
    return store_counts(data)


@pytest.mark.parametrize("stage", list(KILL_WHEN))
def test_sigkilled_ingest_is_repaired_by_doctor_and_completed_by_the_next_ingest(articles, tmp_path, stage):
    data = tmp_path / "data"
    total = len(list(articles.glob("*.txt")))
    at_kill = kill_ingest(articles, data, tmp_path / "ingest", stage)
    assert at_kill["documents"] < total or at_kill["indexed"] < at_kill["chunks"], f"nothing left to repair: {at_kill}"

    # The half-ingested store is readable and answerable (keyword search covers what is not embedded yet).
    proc = run_briefing(["docs", "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(json.loads(proc.stdout)) == at_kill["documents"]
    proc = run_briefing(["ask", UNANSWERABLE, "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()

    # doctor: SQLite intact, Chroma brought in line with it (the killed process's lock died with it).
    proc = run_briefing(["doctor", "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["sqlite_integrity"] == "ok" and report["consistent"], report
    assert (
        report["documents"] == at_kill["documents"] and report["chunks"] == at_kill["chunks"] == report["vectors_now"]
    )
    assert chroma_ids(data) == chunk_ids(data) == chunk_ids(data, indexed_only=True)
    again = json.loads(run_briefing(["doctor", "--json"], data).stdout)
    assert again["consistent"] and again["chunks_indexed_now"] == 0 and again["orphan_vectors_removed"] == 0

    # The next ingest completes the job: every article, every chunk embedded once.
    proc = run_briefing(["ingest", str(articles), "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert len(report["unchanged"]) == at_kill["documents"] and len(report["added"]) == total - at_kill["documents"]
    final = store_counts(data)
    assert final["documents"] == total and final["indexed"] == final["chunks"]
    assert chroma_ids(data) == chunk_ids(data)
    assert json.loads(run_briefing(["doctor", "--json"], data).stdout)["vectors_before"] == final["chunks"]

    # Retrieval over the repaired index: an unanswerable question abstains, showing the closest evidence.
    proc = run_briefing(["ask", UNANSWERABLE, "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout)
    assert r["mode"] == "abstained" and r["closest"]


@pytest.mark.e2e
def test_real_answer_after_a_killed_ingest_is_completed(articles, tmp_path):
    data = tmp_path / "data"
    kill_ingest(articles, data, tmp_path / "ingest", "embedding")
    assert run_briefing(["ingest", str(articles)], data).returncode == 0
    proc = run_briefing(["ask", "who pledged troops?", "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout)
    assert r["answerable"] and r["mode"] in ("generated", "extractive") and r["citations"]
    assert_exact_quotes(data, r["citations"])
