"""A real Chroma server (`chroma run`) on loopback in place of the embedded index: ingest and ask
through it, writers at once without loss (what the design supports: one writer per data
directory, any number of stores each with its own collection), and the server going away."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS
from servers import (
    HOST,
    article_copies,
    assert_exact_quotes,
    briefing_env,
    chunk_ids,
    free_port,
    one_line_error,
    output,
    run_briefing,
    server_process,
    start_briefing,
    stop,
    store_counts,
    wait_until,
)

CHROMA = Path(sys.executable).with_name("chroma")  # the CLI that ships with the chromadb package
UNANSWERABLE = "Which NATO member will command the reassurance force?"  # abstains before any model call


class Chroma:
    def __init__(self, port: int, proc):
        self.port, self.proc = port, proc
        self.url = f"http://{HOST}:{port}"

    def client(self):
        import chromadb
        from chromadb.config import Settings

        return chromadb.HttpClient(host=HOST, port=self.port, settings=Settings(anonymized_telemetry=False))

    def ids(self, collection: str) -> set[str]:
        return set(self.client().get_collection(collection).get(include=[])["ids"])


def chroma_server(path: Path, log: Path):
    """(port, context manager running `chroma run` on it until the block ends)."""
    port = free_port()
    cmd = [str(CHROMA), "run", "--path", str(path), "--host", HOST, "--port", str(port)]
    return port, server_process(
        cmd, f"http://{HOST}:{port}/api/v2/heartbeat", log, env=briefing_env(path, ANONYMIZED_TELEMETRY="False")
    )


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    d = tmp_path_factory.mktemp("chroma")
    port, server = chroma_server(d / "db", d / "chroma.log")
    with server as proc:
        yield Chroma(port, proc)


def env(chroma: Chroma, collection: str) -> dict[str, str]:
    return {"BRIEFING_CHROMA_URL": chroma.url, "BRIEFING_COLLECTION": collection}


def run(args, data, chroma, collection):
    return run_briefing(args, data, **env(chroma, collection))


@pytest.fixture(scope="module")
def seeded(chroma, tmp_path_factory):
    data = tmp_path_factory.mktemp("seeded")
    proc = run(["ingest", str(SEEDS)], data, chroma, "seeds")
    assert proc.returncode == 0, proc.stderr.decode()
    return data


def test_ingest_puts_every_chunk_vector_in_the_server(chroma, seeded):
    assert not (seeded / "chroma").exists()  # nothing embedded locally
    col = chroma.client().get_collection("seeds")
    assert col.metadata["embedding_model"] == "all-MiniLM-L6-v2" and col.metadata["embedding_dim"] == 384
    assert chroma.ids("seeds") == chunk_ids(seeded) == chunk_ids(seeded, indexed_only=True) != set()
    report = json.loads(run(["doctor", "--json"], seeded, chroma, "seeds").stdout)
    assert report["consistent"] and report["orphan_vectors_removed"] == 0 and report["chunks_indexed_now"] == 0
    again = json.loads(run(["ingest", str(SEEDS), "--json"], seeded, chroma, "seeds").stdout)
    assert again["added"] == [] and chroma.ids("seeds") == chunk_ids(seeded)


def test_ask_retrieves_through_the_server(chroma, seeded):
    proc = run(["ask", UNANSWERABLE, "--json"], seeded, chroma, "seeds")
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout)
    assert r["mode"] == "abstained" and r["closest"]


@pytest.mark.e2e
def test_real_ask_through_the_server(chroma, seeded):
    proc = run(["ask", "who pledged troops?", "--json"], seeded, chroma, "seeds")
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout)
    assert r["answerable"] and r["mode"] in ("generated", "extractive")
    assert any("26 of Ukraine’s allies had pledged to deploy troops" in c["quote"] for c in r["citations"])
    assert_exact_quotes(seeded, r["citations"])


def test_concurrent_writers_with_their_own_stores_and_collections_lose_nothing(chroma, tmp_path):
    """With a server, writers scale out as one data directory (SQLite store) + one collection each."""
    writers = []
    for n in range(4):
        articles = article_copies(SEEDS, tmp_path / f"articles{n}", 2, tag=f"w{n}")
        data = tmp_path / f"data{n}"
        writers.append(
            (
                data,
                f"writer{n}",
                start_briefing(["ingest", str(articles)], data, tmp_path / f"w{n}", **env(chroma, f"writer{n}")),
            )
        )
    for _data, _collection, proc in writers:
        done = output(proc)
        assert done.returncode == 0, done.stderr.decode()
    for data, collection, _ in writers:
        assert store_counts(data)["documents"] == 6
        assert chroma.ids(collection) == chunk_ids(data) == chunk_ids(data, indexed_only=True)
        report = json.loads(run(["doctor", "--json"], data, chroma, collection).stdout)
        assert report["consistent"] and report["orphan_vectors_removed"] == 0 and report["chunks_indexed_now"] == 0


def test_writers_on_one_store_fail_fast_while_readers_go_on(chroma, tmp_path):
    """One data directory has one writer at a time even with a Chroma server (the lock guards the
    SQLite <-> Chroma invariants, not only the embedded Chroma): the others exit 4 at once with one
    line and change nothing; re-run afterwards, they complete. Readers are never blocked."""
    data = tmp_path / "data"
    e = env(chroma, "one-store")
    big = article_copies(SEEDS, tmp_path / "big", 12, tag="big")
    small = [article_copies(SEEDS, tmp_path / f"small{n}", 1, tag=f"s{n}") for n in range(3)]
    first = start_briefing(["ingest", str(big)], data, tmp_path / "first", **e)
    try:
        wait_until(lambda: store_counts(data)["documents"] > 0, first, 120, "the first writer stored a document")
        t0 = time.monotonic()
        others = [start_briefing(["ingest", str(s)], data, tmp_path / f"other{n}", **e) for n, s in enumerate(small)]
        reader = start_briefing(["ask", UNANSWERABLE, "--json"], data, tmp_path / "reader", **e)
        refused = [output(p, 300) for p in others]
        busy_seconds = time.monotonic() - t0
        assert first.poll() is None, "the first writer finished too early for this test to mean anything"
        read = output(reader, 300)
        for done in refused:
            line = one_line_error(done)
            assert done.returncode == 4 and "store busy" in line and "BRIEFING_DATA_DIR" in line
        assert busy_seconds < 60  # they failed at once instead of waiting for the first writer
        assert read.returncode == 0, read.stderr.decode()
        assert json.loads(read.stdout)["question"] == UNANSWERABLE
        done = output(first)
        assert done.returncode == 0, done.stderr.decode()
    finally:
        stop(first)
    assert store_counts(data)["documents"] == 36
    for s in small:  # the refused writers, re-run one after another: nothing was lost
        proc = run(["ingest", str(s)], data, chroma, "one-store")
        assert proc.returncode == 0, proc.stderr.decode()
    assert store_counts(data)["documents"] == 36 + 3 * 3
    assert chroma.ids("one-store") == chunk_ids(data) == chunk_ids(data, indexed_only=True)


def test_server_going_away_mid_ingest_is_one_line_and_doctor_completes_it(tmp_path):
    path, data = tmp_path / "db", tmp_path / "data"
    articles = article_copies(SEEDS, tmp_path / "articles", 8)
    port, server = chroma_server(path, tmp_path / "chroma1.log")
    with server as proc:
        chroma = Chroma(port, proc)
        ingest = start_briefing(["ingest", str(articles)], data, tmp_path / "ingest", **env(chroma, "chunks"))
        wait_until(lambda: store_counts(data)["indexed"] > 0, ingest, 300, "the first chunks were indexed")
        proc.kill()  # the server dies (SIGKILL) with the ingest half-way through embedding
        proc.wait(30)
        done = output(ingest, 300)
    line = one_line_error(done)
    assert done.returncode == 3 and "Chroma" in line and "doctor" in line, line
    counts = store_counts(data)
    assert counts["documents"] == 24 and counts["indexed"] < counts["chunks"]  # documents are safe in SQLite

    down = run(["ask", UNANSWERABLE], data, chroma, "chunks")  # asking while it is down: the same one line
    assert down.returncode == 3 and "Chroma" in one_line_error(down)

    port, server = chroma_server(path, tmp_path / "chroma2.log")  # back up (another port, the same files)
    with server as proc:
        chroma = Chroma(port, proc)
        report = json.loads(run(["doctor", "--json"], data, chroma, "chunks").stdout)
        assert report["consistent"] and report["chunks_indexed_now"] > 0
        assert chroma.ids("chunks") == chunk_ids(data) == chunk_ids(data, indexed_only=True)
        again = run(["ingest", str(articles), "--json"], data, chroma, "chunks")
        assert again.returncode == 0 and json.loads(again.stdout)["added"] == []


@pytest.mark.xfail(
    strict=True,
    reason="two stores sharing one collection (by default both use 'chunks') on a Chroma "
    "server: each one's doctor deletes the other's vectors as orphans",
)
def test_two_stores_sharing_a_collection_keep_their_vectors(chroma, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    other = article_copies(SEEDS, tmp_path / "other", 1, tag="b")
    assert run(["ingest", str(SEEDS)], a, chroma, "shared").returncode in (0, 3)  # 3: if refused, one day
    assert run(["ingest", str(other)], b, chroma, "shared").returncode in (0, 3)
    run(["doctor", "--json"], a, chroma, "shared")
    # the invariant: every chunk a store has marked indexed has a vector in its collection
    assert chunk_ids(b, indexed_only=True) <= chroma.ids("shared")
