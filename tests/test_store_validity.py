"""A store file that exists but is not a briefing store (0 bytes included) is exit 3 / HTTP 503 and is
never re-initialised; doctor then deletes no vectors."""

from __future__ import annotations

import sqlite3

import pytest

from briefing.app import App
from briefing.errors import StoreError
from briefing.maintenance import doctor
from fakes import HashEmbedder

BAD_CONTENTS = {"empty": b"", "garbage": b"this is not a database\n" * 10}


def _replace_store(seeded: App, contents: bytes | None):
    path = seeded.data_dir / "store.sqlite"
    seeded.store.close()
    for extra in ("-wal", "-shm"):
        (path.parent / (path.name + extra)).unlink(missing_ok=True)
    if contents is None:  # a valid SQLite file that is not a briefing store
        path.unlink()
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE notes (x TEXT)")
    else:
        path.write_bytes(contents)
    return path


@pytest.mark.parametrize("kind", ["empty", "garbage", "other-sqlite"])
def test_a_file_that_is_not_a_store_is_refused_and_left_alone(seeded, kind):
    vectors = seeded.index.count()
    assert vectors > 0
    path = _replace_store(seeded, BAD_CONTENTS.get(kind))
    before = path.read_bytes()
    fresh = App(seeded.settings, embedder=HashEmbedder())
    with pytest.raises(StoreError) as err:
        fresh.store  # noqa: B018
    assert "not a briefing store" in err.value.message or "not an SQLite file" in err.value.message
    with pytest.raises(StoreError):
        doctor(App(seeded.settings, embedder=HashEmbedder()))
    assert path.read_bytes() == before  # not re-initialised
    assert App(seeded.settings, embedder=HashEmbedder()).index.count() == vectors  # doctor deleted nothing


def test_cli_exit_3_on_a_zero_byte_store(tmp_path):
    from servers import one_line_error, run_briefing

    data = tmp_path / "data"
    data.mkdir()
    (data / "store.sqlite").write_bytes(b"")
    for args in (["docs"], ["ask", "who pledged troops?"], ["doctor"], ["ingest", "-"]):
        proc = run_briefing(args, data, timeout=120, stdin=b"A sentence of article text for the store here.")
        assert proc.returncode == 3, (args, proc.stderr)
        assert "0 bytes" in one_line_error(proc)
    assert (data / "store.sqlite").stat().st_size == 0


def test_readyz_is_503_on_a_zero_byte_store(tmp_path):
    from test_service import make_app, serving

    data = tmp_path / "data"
    data.mkdir()
    (data / "store.sqlite").write_bytes(b"")
    with serving(make_app(data)) as c:
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json()["ready"] is False
        assert c.get("/v1/documents").status_code == 503
    assert (data / "store.sqlite").stat().st_size == 0


def test_doctor_keeps_vectors_when_the_store_has_no_chunks(seeded):
    vectors = seeded.index.count()
    with seeded.store.transaction() as db:
        db.execute("DELETE FROM sentences")
        db.execute("DELETE FROM chunks")
    report = doctor(seeded)
    assert report["vectors_now"] == vectors and report["consistent"] is False and "vectors_kept" in report
