"""End to end with the real embedded model (SmolLM2 through llama.cpp), the real MiniLM
embeddings and a real Chroma, on the seed articles — as a user runs it."""

from __future__ import annotations

import json

import pytest

from conftest import SEEDS
from servers import ingested_data_dir, run_briefing

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return ingested_data_dir(tmp_path_factory, "e2e", SEEDS)


def stored_text(data, doc_id):
    import sqlite3

    db = sqlite3.connect(data / "store.sqlite")
    try:
        return db.execute("SELECT text FROM documents WHERE id=?", (doc_id,)).fetchone()[0]
    finally:
        db.close()


def test_who_pledged_troops_names_the_26_allies_with_an_exact_quote(data):
    proc = run_briefing(["ask", "who pledged troops?", "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout)
    assert r["answerable"] and r["mode"] in ("generated", "read")
    assert "26" in r["answer"]
    assert any("26 of Ukraine’s allies had pledged to deploy troops" in c["quote"] for c in r["citations"])
    for c in r["citations"]:
        assert stored_text(data, c["doc_id"])[c["start"] : c["end"]] == c["quote"]
    assert set(r) >= {"question", "answer", "answerable", "mode", "citations", "model", "timings_ms"}


def test_unanswerable_question_abstains(data):
    proc = run_briefing(["ask", "Which NATO member will command the reassurance force?", "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout)
    assert r["mode"] == "abstained" and not r["answerable"] and r["citations"] == []


def test_human_output_shows_numbered_quotes_with_source_and_date(data):
    proc = run_briefing(["ask", "How many drones did Russia launch on the night of September 4-5?"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert "157" in out and "[1] “" in out and "003_5a165c5dd833248b.txt, 2025-09-07" in out


def test_brief_for_2025_09_05(data, tmp_path):
    out = tmp_path / "brief.json"
    proc = run_briefing(["brief", "--date", "2025-09-05", "--format", "json", "--out", str(out)], data)
    assert proc.returncode == 0, proc.stderr.decode()
    b = json.loads(out.read_text())
    assert [p["actor"] for p in b["positions"]] == ["Russia", "Ukraine", "United States", "European Union"]
    assert all(p["has_position"] for p in b["positions"])  # every actor has its own statement in the seeds
    assert all(p["key_points"] for p in b["positions"][:2])  # Russia and Ukraine have several
    assert b["llm_calls"] == 0  # built from claims, no model call on the embedded default
    every = [b["headline"]] + b["summary"] + b["key_facts"] + b["timeline"]
    every += [p["stance"] for p in b["positions"]] + [k for p in b["positions"] for k in p["key_points"]]
    every += [s for d in b["disagreements"] for s in d["sides"]]
    assert all(item["citations"] for item in every)
    for item in every:
        for c in item["citations"]:
            assert stored_text(data, c["doc_id"])[c["start"] : c["end"]] == c["quote"]
    russia = " ".join(
        k["text"] + " ".join(c["quote"] for c in k["citations"])
        for k in b["positions"][0]["key_points"] + [b["positions"][0]["stance"]]
    )
    assert "legitimate targets" in russia
    facts = " ".join(f["text"] for f in b["key_facts"])
    assert "157" in facts
    topics = " ".join(" ".join(s["text"] for s in d["sides"]) for d in b["disagreements"])
    assert "press conference" in topics and "Eastern Economic Forum" in topics
    listed = run_briefing(["briefs", "list", "--json"], data)
    assert any(r["date"] == "2025-09-05" for r in json.loads(listed.stdout))
    shown = run_briefing(["briefs", "show", "2025-09-05"], data)
    assert shown.returncode == 0 and b"## Positions" in shown.stdout


def test_the_embedded_model_answers_when_asked_and_its_calls_are_logged(data):
    """The real embedded model, asked to word the answer: grounded or the reader's answer, never anything else."""
    proc = run_briefing(["ask", "who pledged troops?", "--generate", "always", "--json"], data)
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout)
    assert r["llm_calls"] >= 1 and r["mode"] in ("generated", "read")
    assert any("26" in c["quote"] for c in r["citations"])
    for c in r["citations"]:
        assert stored_text(data, c["doc_id"])[c["start"] : c["end"]] == c["quote"]
    rows = json.loads(run_briefing(["logs", "--json"], data).stdout)
    assert rows and all(r["model"] and r["prompt_hash"] and r["attempts"] >= 1 for r in rows)
