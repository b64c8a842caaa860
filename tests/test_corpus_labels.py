"""The multi-outlet eval corpus (evals/multi_outlet/) agrees with its own labels: every labelled sentence,
disagreement value, question fact and brief check is backed by the article texts, and every term said to be
absent really is absent."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from briefing import front_matter
from briefing.documents import parse_document
from briefing.text import normalize

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "evals" / "multi_outlet"
ARTICLES = CORPUS / "articles"
SEEDS = ROOT / "seeds"

ACTORS = {
    "Russia",
    "Ukraine",
    "United States",
    "European Union",
    "France",
    "United Kingdom",
    "Germany",
    "Poland",
    "Slovakia",
    "Hungary",
    None,
}


def _load(name: str) -> dict:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def labels() -> dict:
    return _load("labels.yaml")


@pytest.fixture(scope="module")
def questions() -> dict:
    return _load("questions.yaml")


def raw_texts(articles: Path) -> dict[str, str]:
    """Article body as written (after the front matter), by file name."""
    return {
        p.name: front_matter.split(p.read_text(encoding="utf-8"), p.name)[1] for p in sorted(articles.glob("*.txt"))
    }


def stored_texts(articles: Path) -> dict[str, str]:
    """Article text as `briefing` stores it after cleaning, by file name."""
    return {p.name: parse_document(p.read_bytes(), p.name).text for p in sorted(articles.glob("*.txt"))}


@pytest.fixture(scope="module")
def raw() -> dict[str, str]:
    return raw_texts(ARTICLES)


@pytest.fixture(scope="module")
def stored() -> dict[str, str]:
    return stored_texts(ARTICLES)


@pytest.fixture(scope="module")
def norm(stored) -> dict[str, str]:
    return {name: f" {normalize(text)} " for name, text in stored.items()}


def _in(norm_text: str, phrase: str) -> bool:
    return f" {normalize(phrase)} " in norm_text


def test_articles_have_front_matter_and_dates_in_range():
    docs = {p: parse_document(p.read_bytes(), p.name) for p in sorted(ARTICLES.glob("*.txt"))}
    assert 14 <= len(docs) <= 18
    assert len({d.source for d in docs.values()}) >= 7
    for p, d in docs.items():
        meta = front_matter.split(p.read_text(encoding="utf-8"), p.name)[0]
        assert {"title", "source", "published", "url"} <= set(meta), p.name
        assert date(2025, 9, 2) <= d.published <= date(2025, 9, 8), p.name
        assert 250 <= len(d.text.split()) <= 650, (p.name, len(d.text.split()))


def test_attribution_texts_occur_exactly_once(labels, raw, stored):
    rows = labels["attributions"]
    assert len(rows) >= 70
    for row in rows:
        name, text = row["article"], row["text"]
        assert raw[name].count(text) == 1, (name, text, raw[name].count(text))
        # page furniture (a caption, a credit) may be dropped when the article is cleaned: never a sentence then
        allowed = {0, 1} if row.get("case") == "furniture" else {1}
        assert stored[name].count(text) in allowed, (name, text, "after cleaning")


def test_attribution_speakers_and_actors_are_consistent(labels):
    people, groups = labels["people"], labels["groups"]
    cases = set()
    for row in labels["attributions"]:
        assert row["actor"] in ACTORS, row
        speaker = row["speaker"]
        cases.add(row.get("case"))
        if speaker is None:
            assert row["actor"] is None, row  # the narrator speaks for no actor
            continue
        known = people.get(speaker) or groups.get(speaker)
        assert known is not None, f"unknown speaker {speaker!r}"
        assert known["actor"] == row["actor"], row
    assert {
        "trailing",
        "continued",
        "appositive",
        "member_state",
        "about_actor",
        "according_to",
        "outlet_not_speaker",
        "furniture",
        "name_variant",
        "role_only",
        "pronoun",
    } <= cases


def test_people_variants_occur_in_the_corpus(labels, raw):
    corpus = "\n".join(raw.values())
    for name, person in labels["people"].items():
        assert any(v in corpus for v in person["variants"]), name


def test_events_reference_existing_articles(labels, raw):
    ids = set()
    for ev in labels["events"]:
        assert ev["id"] not in ids
        ids.add(ev["id"])
        date.fromisoformat(str(ev["date"]))
        for name in ev["articles"]:
            assert name in raw, (ev["id"], name)
        for wrong in ev.get("misdated", []):
            assert wrong["article"] in ev["articles"]
            assert str(wrong["date"]) != str(ev["date"])
            assert raw[wrong["article"]].count(wrong["text"]) == 1, wrong


def _check_side(side: dict, raw: dict[str, str]) -> set[str]:
    value = str(side["value"])
    files = set()
    for m in side["mentions"]:
        text = m["text"]
        assert raw[m["article"]].count(text) == 1, m
        if re.fullmatch(r"[\d.,]+", value):
            assert f" {normalize(value)} " in f" {normalize(text)} ", (value, text)
        files.add(m["article"])
    return files


def test_disagreements_are_backed_by_the_articles(labels, raw):
    dis = labels["disagreements"]
    assert len(dis["real"]) >= 12
    assert len(dis["not_flag"]) >= 12
    events = {ev["id"] for ev in labels["events"]}
    for d in dis["real"]:
        assert d["event"] in events, d["id"]
        sides = d["sides"]
        assert len(sides) >= 2
        assert len({str(s["value"]) for s in sides}) == len(sides), d["id"]
        for s in sides:
            _check_side(s, raw)
    for d in dis["not_flag"]:
        assert d.get("why"), d["id"]
        _check_side(d["a"], raw)
        _check_side(d["b"], raw)


def test_brief_checks_are_satisfiable(labels, norm):
    """Every must_contain fact occurs in an article the brief covers (published that day or up to three days
    later), and every must_not_contain phrase occurs somewhere in the corpus, so the check can fail."""
    published = {p.name: parse_document(p.read_bytes(), p.name).published for p in ARTICLES.glob("*.txt")}
    corpus = " ".join(norm.values())
    n = 0
    for brief in labels["briefs"]:
        day = date.fromisoformat(str(brief["date"]))
        covering = " ".join(norm[name] for name, pub in published.items() if 0 <= (pub - day).days <= 3)
        ids = [c["id"] for c in brief["checks"]]
        assert len(ids) == len(set(ids))
        for check in brief["checks"]:
            n += 1
            assert check["kind"] in {"position", "key_fact", "disagreement", "headline"}, check["id"]
            if check["kind"] == "position":
                assert check["actor"] in brief["actors"], check["id"]
            if check["kind"] == "disagreement":
                assert len(check["must_contain"]) >= 2, check["id"]
            for fact in check["must_contain"]:
                assert any(_in(covering, alt) for alt in fact), (check["id"], fact)
            for phrase in check.get("must_not_contain", []):
                assert _in(corpus, phrase), (check["id"], phrase)
    assert {str(b["date"]) for b in labels["briefs"]} >= {"2025-09-05", "2025-09-07"}
    assert n >= 30


def test_question_cases(questions, raw, norm):
    seeds = " ".join(f" {normalize(p.read_text(encoding='utf-8'))} " for p in SEEDS.glob("*.txt"))
    corpus = " ".join(norm.values())
    cases = questions["cases"]
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids))
    kinds: dict[str, list[bool]] = {}
    for case in cases:
        kinds.setdefault(case["kind"], []).append(case["answerable"])
        if case["answerable"]:
            assert case["id"].startswith("q-"), case["id"]
            for name in case["sources"]:
                assert name in raw, (case["id"], name)
            for fact in case["facts"]:
                assert any(_in(norm[name], alt) for alt in fact for name in case["sources"]), (case["id"], fact)
        else:
            assert case["id"].startswith("u-"), case["id"]
            assert case["why"]
            for term in case["absent_terms"]:
                assert not _in(corpus, term), (case["id"], term)
                assert not _in(seeds, term), (case["id"], term, "in seeds")
    assert set(kinds) == {"answer_type", "time", "conflict", "paraphrase"}
    for kind, answerable in kinds.items():
        assert len(answerable) >= 20, kind
    assert sum(1 for c in cases if not c["answerable"]) >= 20


def test_cases_load_with_the_eval_models(labels, questions):
    """The question cases and brief checks parse with the eval runner's own models."""
    from briefing.eval.cases import BriefSuite, QuestionCase

    parsed = [QuestionCase(**c) for c in questions["cases"]]
    assert len(parsed) == len(questions["cases"])
    for brief in labels["briefs"]:
        suite = BriefSuite(**brief)
        assert suite.checks


def test_syndicated_copy_is_a_near_duplicate_with_one_number_changed(stored, norm):
    from briefing.duplicates import THRESHOLD, jaccard, shingles

    copy, original = "0907_globaldesk_kyiv_attack.txt", "0907_meridian_kyiv_attack.txt"
    assert jaccard(shingles(stored[copy]), shingles(stored[original])) >= THRESHOLD
    assert _in(norm[original], "810 drones") and not _in(norm[original], "805")
    assert _in(norm[copy], "805 drones") and not _in(norm[copy], "810")
    trimmed, source = "0906_globaldesk_refinery_strike.txt", "0906_kyivledger_refinery_strike.txt"
    assert _in(norm[source], "48 ukrainian drones") and _in(norm[trimmed], "84 ukrainian drones")


def _sentence_around(text: str, fragment: str) -> str:
    """The sentence(s) of `text` that the labelled fragment overlaps."""
    start = text.index(fragment)
    end = start + len(fragment)
    bounds = [0] + [m.end() for m in re.finditer(r'(?<=[.!?])["”]?\s+(?=["“A-Z])', text)] + [len(text)]
    first = max(b for b in bounds if b <= start)
    last = min(b for b in bounds if b >= end)
    return text[first:last]


def test_forbidden_phrases_of_a_position_belong_to_another_actor(labels, raw):
    """A position check never forbids words that the labels credit to that same actor."""
    credited: list[tuple[str, str | None]] = [
        (f" {normalize(_sentence_around(raw[row['article']], row['text']))} ", row["actor"])
        for row in labels["attributions"]
    ]
    for brief in labels["briefs"]:
        for check in brief["checks"]:
            if check["kind"] != "position":
                continue
            for phrase in check.get("must_not_contain", []):
                own = [s for s, actor in credited if actor == check["actor"] and f" {normalize(phrase)} " in s]
                assert not own, (check["id"], phrase, own[:1])


def test_each_labelled_text_lies_within_one_stored_sentence(labels, stored):
    """An attribution label names one sentence as `briefing` splits it, so a scorer can map it to a sentence id."""
    from briefing.splitting import split_sentences

    sentences = {name: [s.text for s in split_sentences(text)] for name, text in stored.items()}
    for row in labels["attributions"]:
        hits = [s for s in sentences[row["article"]] if row["text"] in s]
        allowed = {0, 1} if row.get("case") == "furniture" else {1}
        assert len(hits) in allowed, (row["article"], row["text"], len(hits))
