"""Syndicated copies never crowd out the evidence: with N edited copies of every seed article in the store,
retrieval and answers are those of the seeds alone, and which copy is cited does not depend on ingest order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

from briefing.answer import ask
from briefing.app import App
from briefing.documents import read_path
from briefing.ingest import ingest_paths
from briefing.llm import LLM
from briefing.retrieval import retrieve
from conftest import ROOT, SEEDS
from fakes import FakeBackend, HashEmbedder

CASES = yaml.safe_load((ROOT / "evals" / "questions.yaml").read_text(encoding="utf-8"))["cases"]
QUESTIONS = [c["question"] for c in CASES]
NOT_AN_ANSWER = {"answer": "E1", "citations": ["E1"]}  # fails the grounding checks: the reader's fallback answers


def make_app(settings_factory, name: str, paths) -> App:
    settings = settings_factory(name)
    app = App(
        settings, embedder=HashEmbedder(), llm=LLM(FakeBackend(default=NOT_AN_ANSWER), settings, log=lambda *a: None)
    )
    for p in paths:
        ingest_paths(app, [p])
    return app


@pytest.fixture
def settings_factory(tmp_path):
    from briefing.settings import Settings

    return lambda name: Settings(data_dir=tmp_path / name)


def retyped_copies(dst, copies: int):
    """Each seed article as `copies` outlets ran it: the same words, each with its own choice of straight or curly
    apostrophes (so each is a document of its own, and every sentence is identical to the seed's once normalised),
    dated a day later."""
    dst.mkdir(parents=True)
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        published = read_path(path).published
        day = f"published: {published + timedelta(days=1)}\n" if published else ""
        for i in range(copies):
            parts = text.split("’")
            retyped = parts[0] + "".join(("'" if (i + 1) >> (n % 8) & 1 else "’") + p for n, p in enumerate(parts[1:]))
            (dst / f"outlet{i:02d}_{path.name}.md").write_text(
                f"---\ntitle: Wire copy\nsource: outlet{i:02d}\n{day}---\n{retyped}", encoding="utf-8"
            )
    return dst


def outcome(app: App, question: str) -> tuple:
    r = ask(app, question)
    return r.mode, r.answer, [c.quote for c in r.citations]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    from briefing.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("alone") / "data")
    app = App(
        settings, embedder=HashEmbedder(), llm=LLM(FakeBackend(default=NOT_AN_ANSWER), settings, log=lambda *a: None)
    )
    ingest_paths(app, [SEEDS])
    return {q: ([e.text for e in retrieve(app, q, settings.k)], outcome(app, q)) for q in QUESTIONS}


@pytest.mark.parametrize("copies", [1, 5, 20])
def test_identical_copies_change_no_evidence_and_no_answer(settings_factory, tmp_path, baseline, copies):
    app = make_app(settings_factory, f"with{copies}", [SEEDS, retyped_copies(tmp_path / "copies", copies)])
    assert app.store.count("documents") == 3 * (copies + 1)
    for q in QUESTIONS:
        shown = retrieve(app, q, app.settings.k)
        texts, expected = baseline[q]
        assert [e.text for e in shown] == texts, q
        assert outcome(app, q) == expected, q
        # each sentence is cited once, from the seed (published first), with the outlets of its copies
        assert all(e.source.startswith(("000_", "002_", "003_")) for e in shown), q
        assert all(sorted(e.also) == [f"outlet{i:02d}" for i in range(copies)] for e in shown), q


def test_the_original_is_the_earliest_published_whatever_the_ingest_order(settings_factory, tmp_path):
    seed = (SEEDS / "003_5a165c5dd833248b.txt").read_text(encoding="utf-8")
    body = seed.split("\n", 3)[3]  # without the seed's own header lines
    for day, outlet in [(6, "late-wire"), (5, "early-wire"), (7, "later-wire")]:
        (tmp_path / f"{outlet}.md").write_text(
            f"---\ntitle: Copy\nsource: {outlet}\npublished: 2025-09-0{day}\n---\n{body}\nFiled by the {outlet} "
            "desk.\n",
            encoding="utf-8",
        )
    paths = [tmp_path / f"{o}.md" for o in ("late-wire", "early-wire", "later-wire")]
    cited = []
    for name, order in [("forward", paths), ("backward", paths[::-1])]:
        app = make_app(settings_factory, name, order)
        docs = {r["source"]: r for r in app.store.documents()}
        assert docs["early-wire"]["duplicate_of"] is None
        assert docs["late-wire"]["duplicate_of"] == docs["later-wire"]["duplicate_of"] == docs["early-wire"]["id"]
        shown = retrieve(app, "Who pledged to deploy troops as a reassurance force?", app.settings.k)
        assert {e.source for e in shown} == {"early-wire"}
        assert all(e.also == ["late-wire", "later-wire"] for e in shown)
        cited.append([(e.sentence_id, e.start, e.end) for e in shown])
    assert cited[0] == cited[1]


def test_a_date_range_cites_the_copy_inside_it(settings_factory, tmp_path):
    seed = (SEEDS / "003_5a165c5dd833248b.txt").read_text(encoding="utf-8")
    body = seed.split("\n", 3)[3]
    for day, outlet in [(5, "early-wire"), (8, "late-wire")]:
        (tmp_path / f"{outlet}.md").write_text(
            f"---\ntitle: Copy\nsource: {outlet}\npublished: 2025-09-0{day}\n---\n{body}\nFiled by the {outlet} "
            "desk.\n",
            encoding="utf-8",
        )
    app = make_app(settings_factory, "ranged", [tmp_path])
    shown = retrieve(app, "Who pledged to deploy troops?", app.settings.k, since=date(2025, 9, 7))
    assert shown and {e.source for e in shown} == {"late-wire"} and all(e.also == [] for e in shown)
