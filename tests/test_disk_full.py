"""A full disk is named as such (exit 3, "disk full — free space, then run briefing doctor"), nothing stored is
half-written, and `doctor` rebuilds an embedded Chroma index that cannot be loaded from the SQLite store."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess

import pytest

from briefing.errors import StoreError
from briefing.ingest import ingest_bytes
from briefing.maintenance import doctor
from conftest import SEEDS
from servers import ingested_data_dir, one_line_error, run_briefing

ARTICLE = b"Officials said on Monday that twelve drones were shot down over Kyiv overnight. Nobody was hurt."
PHRASE = "disk full — free space, then run briefing doctor"
FULL = "database or disk is full"


class FullDisk:
    """Stands in for the store's connection: writes fail as SQLite fails on a full disk (and its automatic
    rollback makes the explicit ROLLBACK fail too)."""

    def __init__(self, db):
        self.db = db

    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise sqlite3.OperationalError(FULL)
        if sql.strip().upper() == "ROLLBACK":
            raise sqlite3.OperationalError("cannot rollback - no transaction is active")
        return self.db.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.db, name)


def test_disk_full_in_the_store_is_named(app):
    store = app.store
    real = store.db
    store.db = FullDisk(real)
    with pytest.raises(StoreError) as err:
        ingest_bytes(app, ARTICLE, "a.txt")
    store.db = real
    assert err.value.exit_code == 3 and PHRASE in err.value.one_line()
    real.execute("ROLLBACK") if real.in_transaction else None
    assert store.count("documents") == 0 and store.count("sentences") == 0


def test_disk_full_in_the_index_is_named_and_doctor_completes_it(app, monkeypatch):
    app.index  # noqa: B018

    def full(*args, **kwargs):
        raise sqlite3.OperationalError(FULL)

    monkeypatch.setattr(app.index.col, "upsert", full)
    with pytest.raises(StoreError) as err:
        ingest_bytes(app, ARTICLE, "a.txt")
    assert PHRASE in err.value.one_line()
    assert app.store.count("documents") == 1 and app.store.unindexed_chunks()  # stored, waiting for the index
    monkeypatch.undo()
    report = doctor(app)
    assert report["consistent"] and report["chunks_indexed_now"] == app.store.count("chunks")


def test_doctor_rebuilds_an_index_that_cannot_be_loaded(tmp_path_factory):
    data = ingested_data_dir(tmp_path_factory, "unloadable", SEEDS)
    chunks = json.loads(run_briefing(["doctor", "--json"], data, timeout=300).stdout)["chunks"]
    (data / "chroma" / "chroma.sqlite3").write_bytes(b"disk filled up mid-write" * 50)
    proc = run_briefing(["ask", "who pledged troops?"], data, timeout=300)
    assert proc.returncode == 3 and "doctor" in one_line_error(proc)
    proc = run_briefing(["doctor", "--json"], data, timeout=600)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["consistent"] and report["vectors_now"] == chunks and report["unreadable_index_moved_to"]
    assert (data / report["unreadable_index_moved_to"]).is_dir()  # kept for inspection, not deleted
    proc = run_briefing(["ask", "who pledged troops?"], data, timeout=300)
    assert proc.returncode == 0, proc.stderr


def _mount_tmpfs(path, size: str) -> bool:
    path.mkdir()
    try:
        return (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True, timeout=10
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.e2e
def test_a_real_full_disk_then_doctor(tmp_path):
    """The drill on a real file system: a 600 KB tmpfs (needs root; skipped otherwise)."""
    mount = tmp_path / "small"
    if not _mount_tmpfs(mount, "600k"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        data = mount / "data"
        articles = tmp_path / "articles"
        articles.mkdir()
        for i in range(12):
            for f in sorted(SEEDS.glob("*.txt")):
                (articles / f"{i}_{f.name}").write_text(f.read_text() + f"\n\nEdition {i}.\n")
        proc = run_briefing(["ingest", str(articles)], data, timeout=600)
        assert proc.returncode == 3, proc.stderr
        assert PHRASE in one_line_error(proc)
        subprocess.run(["mount", "-o", "remount,size=200m", str(mount)], check=True, timeout=10)
        proc = run_briefing(["doctor", "--json"], data, timeout=600)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["consistent"]
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=10)
        shutil.rmtree(mount, ignore_errors=True)
