"""The second labelled corpus (evals/other_stories/: a chemical-plant fire and floods) agrees with its own labels,
and the claims-built briefs on it keep the figures the eval gates on (precision first: no false disagreement, no
actor's position holding another actor's words)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from briefing.documents import parse_document
from briefing.text import normalize
from test_corpus_labels import raw_texts, stored_texts

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "evals" / "other_stories"
ARTICLES = CORPUS / "articles"


@pytest.fixture(scope="module")
def labels() -> dict:
    return yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw() -> dict[str, str]:
    return raw_texts(ARTICLES)


@pytest.fixture(scope="module")
def stored() -> dict[str, str]:
    return stored_texts(ARTICLES)


def _in(text: str, phrase: str) -> bool:
    return f" {normalize(phrase)} " in f" {normalize(text)} "


def test_articles_and_outlets():
    docs = [parse_document(p.read_bytes(), p.name) for p in sorted(ARTICLES.glob("*.txt"))]
    assert len(docs) >= 6 and len({d.source for d in docs}) >= 4
    assert all(d.published and date(2025, 11, 1) <= d.published <= date(2025, 11, 12) for d in docs)


def test_attributions_occur_once_and_agree_with_people(labels, raw, stored):
    people, actors = labels["people"], labels["actors"]
    known_actors = {"Belgium", "Italy", None, *actors}
    assert len(labels["attributions"]) >= 30
    for row in labels["attributions"]:
        name, text = row["article"], row["text"]
        assert raw[name].count(text) == 1, (name, text)
        assert stored[name].count(text) in ({0, 1} if row.get("case") == "furniture" else {1}), (name, text)
        assert row["actor"] in known_actors, row
        if row["speaker"] is None:
            assert row["actor"] is None, row
        elif row["speaker"] in people:
            assert people[row["speaker"]]["actor"] == row["actor"], row


def test_disagreements_and_brief_checks_are_backed_by_the_text(labels, raw):
    dis = labels["disagreements"]
    assert len(dis["real"]) >= 5 and len(dis["not_flag"]) >= 10
    sides = [s for d in dis["real"] for s in d["sides"]] + [d[k] for d in dis["not_flag"] for k in ("a", "b")]
    for side in sides:
        for m in side["mentions"]:
            assert raw[m["article"]].count(m["text"]) == 1, m
            if re.fullmatch(r"[\d.,]+", str(side["value"])):
                assert _in(m["text"], str(side["value"])), (side["value"], m["text"])
    corpus = " ".join(raw.values())
    for brief in labels["briefs"]:
        for check in brief["checks"]:
            if check["kind"] == "position":
                assert check["actor"] in brief["actors"], check["id"]
            for fact in check["must_contain"]:
                assert any(_in(corpus, alt) or re.fullmatch(r"\d{4}-\d\d-\d\d", alt) for alt in fact), check["id"]
            for phrase in check.get("must_not_contain", []):
                assert _in(corpus, phrase), (check["id"], phrase)


def test_briefs_on_the_corpus_keep_their_figures(app):
    """The gate's figures, measured on a fresh store holding only this corpus (a few seconds)."""
    from briefing.eval.corpus import run_corpus
    from briefing.ingest import ingest_paths

    ingest_paths(app, [ARTICLES])
    _records, metrics, _briefs = run_corpus(app, CORPUS)
    assert metrics["disagreement_precision"] == 1.0
    assert metrics["must_not_flag_clean"] == 1.0
    assert metrics["position_own_words"] == 1.0
    assert metrics["disagreement_recall"] >= 0.6
    assert metrics["attribution_accuracy"] >= 0.6
    assert metrics["corpus_brief_check_pass_rate"] >= 0.6
