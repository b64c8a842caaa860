"""The ingest summary counts the chunks indexed for documents stored by an earlier run (a killed ingest),
instead of saying nothing changed."""

from __future__ import annotations

from briefing.ingest import ingest_paths
from briefing.render import ingest_summary
from conftest import SEEDS


def test_pending_chunks_of_earlier_documents_are_counted(app):
    ingest_paths(app, [SEEDS])
    chunks = app.store.count("chunks")
    app.store.mark_all_unindexed()  # as after an ingest killed before embedding
    again = ingest_paths(app, [SEEDS])
    assert again.added == [] and again.indexed == chunks
    line = ingest_summary(again)
    assert f"indexed {chunks} pending chunks" in line and "nothing changed" not in line
    assert "nothing changed" in ingest_summary(ingest_paths(app, [SEEDS]))


def test_cli_prints_it(tmp_path):
    import sqlite3

    from servers import run_briefing

    data = tmp_path / "data"
    assert run_briefing(["ingest", str(SEEDS)], data, timeout=600).returncode == 0
    with sqlite3.connect(data / "store.sqlite") as db:
        db.execute("UPDATE chunks SET indexed=0 WHERE doc_id IN (SELECT id FROM documents LIMIT 1)")
        pending = db.execute("SELECT count(*) FROM chunks WHERE indexed=0").fetchone()[0]
    proc = run_briefing(["ingest", str(SEEDS)], data, timeout=600)
    assert proc.returncode == 0 and f"indexed {pending} pending chunks" in proc.stdout.decode(), proc.stdout
