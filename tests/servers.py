"""Shared helpers for tests that start real servers on loopback: a free port, waiting for a URL,
a server process that is always stopped, the `briefing` CLI run (or started) in a clean environment,
edited copies of the seed articles, and a store's counts read from outside."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for_url(url: str, timeout: float = 60, proc: subprocess.Popen | None = None) -> bytes:
    """GET url until it answers 200 (fails early if proc exits first)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return resp.read()
        except (urllib.error.URLError, OSError) as exc:
            last = exc
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s ({last})")


@contextmanager
def server_process(
    cmd: list[str], ready_url: str, log: Path, timeout: float = 120, env: dict | None = None
) -> Iterator[subprocess.Popen]:
    """Start cmd (output to log), wait for ready_url, yield the process, and always stop it (by its own pid)."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            try:
                wait_for_url(ready_url, timeout, proc)
            except Exception as exc:
                raise RuntimeError(f"{exc}; server log:\n{log.read_text(errors='replace')[-2000:]}") from None
            yield proc
        finally:
            stop(proc)


def stop(proc: subprocess.Popen, grace: float = 10) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(grace)


CLEAN = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


def briefing_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment without any BRIEFING_* setting of the caller's, plus data_dir and extra."""
    env = {k: v for k, v in os.environ.items() if k not in CLEAN and not k.startswith("BRIEFING_")}
    env["BRIEFING_DATA_DIR"] = str(data_dir)
    env["NO_PROXY"] = env["no_proxy"] = HOST  # loopback only, never through a proxy
    env.update(extra)
    return env


def briefing_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "briefing", *args]


def run_briefing(
    args: list[str], data_dir: Path, timeout: float = 900, stdin: bytes | None = None, **env: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        briefing_cmd(*args), input=stdin, capture_output=True, env=briefing_env(data_dir, **env), timeout=timeout
    )


def ingested_data_dir(tmp_path_factory, name: str, articles: Path) -> Path:
    """A new data directory holding `articles`, ingested through the CLI."""
    d = tmp_path_factory.mktemp(name)
    proc = run_briefing(["ingest", str(articles)], d)
    assert proc.returncode == 0, proc.stderr.decode()
    return d


def ingest_stdin(data_dir: Path, text: bytes) -> None:
    """Ingest one article given on stdin into data_dir, through the CLI."""
    proc = run_briefing(["ingest", "-"], data_dir, timeout=300, stdin=text)
    assert proc.returncode == 0, proc.stderr


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    """stderr is exactly one `error: ...` line and no traceback."""
    err = proc.stderr.decode()
    assert "Traceback" not in err, err
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def article_copies(src: Path, dst: Path, copies: int, tag: str = "copy") -> Path:
    """`copies` edited copies of every article in src (a line appended, so every content id differs)."""
    dst.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.glob("*.txt")):
        text = path.read_text(encoding="utf-8").rstrip()
        for i in range(copies):
            (dst / f"{tag}{i:03d}_{path.name}").write_text(
                f"{text}\n\nThis is edition {i} of the {tag} desk.\n", encoding="utf-8"
            )
    return dst


def store_counts(data_dir: Path) -> dict[str, int]:
    """Documents, chunks and chunks marked indexed, read from outside (read-only) while a writer may be busy."""
    zero = {"documents": 0, "chunks": 0, "indexed": 0}
    path = data_dir / "store.sqlite"
    if not path.exists():
        return zero
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return {
                "documents": db.execute("SELECT count(*) FROM documents").fetchone()[0],
                "chunks": db.execute("SELECT count(*) FROM chunks").fetchone()[0],
                "indexed": db.execute("SELECT count(*) FROM chunks WHERE indexed=1").fetchone()[0],
            }
        finally:
            db.close()
    except sqlite3.Error:  # not created yet, or its schema not committed yet
        return zero


def chunk_ids(data_dir: Path, indexed_only: bool = False) -> set[str]:
    db = sqlite3.connect(data_dir / "store.sqlite")
    try:
        return {r[0] for r in db.execute("SELECT id FROM chunks" + (" WHERE indexed=1" if indexed_only else ""))}
    finally:
        db.close()


def start_briefing(args: list[str], data_dir: Path, log: Path, **env: str) -> subprocess.Popen:
    """`briefing ARGS` in the background; stdout to log.out, stderr to log.err (read them with output())."""
    with open(f"{log}.out", "wb") as out, open(f"{log}.err", "wb") as err:
        proc = subprocess.Popen(briefing_cmd(*args), env=briefing_env(data_dir, **env), stdout=out, stderr=err)
    proc.log = log  # type: ignore[attr-defined]
    return proc


def output(proc: subprocess.Popen, timeout: float = 600) -> subprocess.CompletedProcess:
    proc.wait(timeout)
    log = proc.log  # type: ignore[attr-defined]
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, Path(f"{log}.out").read_bytes(), Path(f"{log}.err").read_bytes()
    )


def wait_until(
    condition, proc: subprocess.Popen | None = None, timeout: float = 300, what: str = "the condition"
) -> None:
    """Poll condition() every 50 ms; fail if proc exits first or the time is up."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the process exited with {proc.returncode} before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def assert_exact_quotes(data, citations):
    """Every cited quote is exactly the stored document text at its offsets (citations as JSON or models)."""
    assert citations
    db = sqlite3.connect(data / "store.sqlite")
    try:
        for c in citations:
            c = c if isinstance(c, dict) else c.model_dump()
            text = db.execute("SELECT text FROM documents WHERE id=?", (c["doc_id"],)).fetchone()[0]
            assert text[c["start"] : c["end"]] == c["quote"]
    finally:
        db.close()
