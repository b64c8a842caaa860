"""Daily briefs with a fake model: windows, actors, fallbacks, disagreements, timeline, changes."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.brief.build import build_brief
from briefing.brief.models import NO_POSITION
from briefing.brief.select import actor_evidence, covering_documents, sentences_of
from briefing.errors import InputError, ModelError
from briefing.ingest import ingest_paths

ARTICLES = {
    "day1.md": (
        "2025-10-01",
        "Moscow",
        """Kremlin spokesman Dmitry Peskov said on Wednesday that Moscow rejects any ceasefire monitored by foreign troops.
Ukrainian President Volodymyr Zelenskyy said Kyiv needs 40 more air defence systems before winter.
The United States said it will send two Patriot batteries, Washington officials confirmed.
The European Union said its foreign ministers will meet in Brussels on Friday to discuss frozen Russian assets.""",  # noqa: E501
    ),
    "day2.md": (
        "2025-10-02",
        "Kyiv",
        """Speaking at a press conference in Kyiv, Zelenskyy said Ukraine expects the 12 partners to deliver the systems by December.
Russian forces launched 80 drones overnight, and Ukraine's air force said 70 were shot down.
Kremlin spokesman Peskov said Russia will respond to any strikes on its refineries.""",  # noqa: E501
    ),
    "day3.md": (
        "2025-10-03",
        "Brussels",
        """EU foreign ministers agreed on Friday to use frozen Russian assets for a 40 billion euro loan to Ukraine.
Speaking during a summit in Copenhagen, Zelenskyy said the 12 partners had pledged air defence systems for the winter.
Russian forces launched 80 drones overnight on Thursday; Ukraine said 65 were destroyed.
The United States said it supports the EU decision on frozen assets, the State Department confirmed.""",
    ),
}


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, (day, where, body) in ARTICLES.items():
        (folder / name).write_text(
            f"---\ntitle: {where} report\nsource: {name}\npublished: {day}\n---\n{where}:\n\n{body}\n"
        )
    return folder


@pytest.fixture
def briefed(app, corpus, fake_model):
    ingest_paths(app, [corpus])
    fake_model.default = "{not json"  # every model call fails validation → extractive parts
    return app


def all_citations(b):
    items = [b.headline] + b.summary + b.key_facts + b.timeline + [p.stance for p in b.positions]
    items += [k for p in b.positions for k in p.key_points] + [s for d in b.disagreements for s in d.sides]
    return items, [c for i in items for c in i.citations]


def test_window_selects_the_days_articles(briefed):
    assert [d["source"] for d in covering_documents(briefed.store, date(2025, 10, 1), 1)] == ["day1.md"]
    assert [d["source"] for d in covering_documents(briefed.store, date(2025, 10, 3), 3)] == [
        "day1.md",
        "day2.md",
        "day3.md",
    ]
    assert [d["source"] for d in covering_documents(briefed.store, date(2025, 10, 3), 2)] == ["day2.md", "day3.md"]


def test_later_report_dating_events_in_the_window_is_included(briefed):
    # day3 (published 3 Oct) reports drones launched "overnight on Thursday" (2 Oct), so it covers 2 Oct
    # too; day1 names a meeting on Friday (3 Oct) but was published before the day, so it does not.
    assert [d["source"] for d in covering_documents(briefed.store, date(2025, 10, 2), 1)] == ["day2.md", "day3.md"]


def test_extractive_brief_when_the_model_never_validates(briefed):
    b = build_brief(briefed, date(2025, 10, 3), 3)
    assert [p.actor for p in b.positions] == ["Russia", "Ukraine", "United States", "European Union"]
    items, cites = all_citations(b)
    assert all(i.mode == "extractive" and i.citations for i in items)
    for c in cites:
        assert briefed.store.document(c.doc_id)["text"][c.start : c.end] == c.quote
    russia = " ".join(k.text for k in [b.positions[0].stance] + b.positions[0].key_points)
    assert "Peskov" in russia and "Zelenskyy" not in russia
    facts = " ".join(f.text for f in b.key_facts)
    assert "80 drones" in facts and "40 billion" in facts


def test_actor_without_statements_gets_no_position(briefed):
    b = build_brief(briefed, date(2025, 10, 3), 3, ["Russia", "China"])
    china = b.positions[1]
    assert (
        china.actor == "China"
        and not china.has_position
        and china.stance.text == NO_POSITION
        and china.key_points == []
    )


def test_aliases_come_from_the_data_file(briefed):
    sentences = sentences_of(briefed.store, covering_documents(briefed.store, date(2025, 10, 3), 3))
    from briefing.brief.select import load_actors

    actors = load_actors(briefed.settings.actors_file, None)
    us = actor_evidence(sentences, "United States", actors, 8)
    assert any("Washington" in e.text for e in us)


def test_generated_position_is_used_when_grounded(briefed, fake_model):
    sentences = sentences_of(briefed.store, covering_documents(briefed.store, date(2025, 10, 1), 1))
    from briefing.brief.select import load_actors, numbered

    ev = numbered(actor_evidence(sentences, "Russia", load_actors(briefed.settings.actors_file, None), 8))
    fake_model.push(
        {
            "stance": "Moscow rejects any ceasefire monitored by foreign troops.",
            "stance_citations": ["E1"],
            "key_points": [
                {"text": "Peskov said Moscow rejects any ceasefire monitored by foreign troops.", "citations": ["E1"]}
            ],
        }
    )
    b = build_brief(briefed, date(2025, 10, 1), 1, ["Russia"])
    assert b.positions[0].stance.mode == "generated"
    assert b.positions[0].stance.citations[0].quote == ev[0].text


def test_ungrounded_position_is_re_asked_then_quoted(briefed, fake_model):
    bad = {
        "stance": "Moscow accepts 500 foreign troops.",
        "stance_citations": ["E1"],
        "key_points": [{"text": "Moscow accepts troops.", "citations": ["E1"]}],
    }
    fake_model.push(bad, bad)
    b = build_brief(briefed, date(2025, 10, 1), 1, ["Russia"])
    assert b.positions[0].stance.mode == "extractive" and "500" not in b.positions[0].stance.text
    assert len([r for r in fake_model.requests]) >= 2


def test_disagreements_and_timeline(briefed):
    b = build_brief(briefed, date(2025, 10, 3), 3)
    topics = [d.topic for d in b.disagreements]
    assert any("press conference" in t and "summit in Copenhagen" in t for t in topics), topics
    assert any("65" in t and "70" in t for t in topics), topics
    assert all(len({c.doc_id for s in d.sides for c in s.citations}) >= 2 for d in b.disagreements)
    dates = [e.date for e in b.timeline]
    assert dates == sorted(dates) and date(2025, 10, 1) in dates
    assert any(e.relative and "Friday" in e.relative and e.date == date(2025, 10, 3) for e in b.timeline)


def test_changes_against_the_previous_brief(briefed):
    first = build_brief(briefed, date(2025, 10, 1), 1)
    assert first.changes == []
    later = build_brief(briefed, date(2025, 10, 3), 1)
    assert {c.actor for c in later.changes} == set(later.actors)
    assert all(c.since == date(2025, 10, 1) for c in later.changes)
    eu = next(c for c in later.changes if c.actor == "European Union")
    assert eu.added and any("40 billion" in a.text for a in eu.added)
    assert [r["date"] for r in briefed.store.briefs()] == ["2025-10-03", "2025-10-01"]


def test_no_articles_for_the_day(briefed):
    with pytest.raises(InputError, match="no articles cover"):
        build_brief(briefed, date(2024, 1, 1), 1)


def test_model_failure_saves_no_partial_brief(briefed, fake_model):
    fake_model.default = None
    fake_model.push(ModelError("the model endpoint answered HTTP 500"))
    with pytest.raises(ModelError):
        build_brief(briefed, date(2025, 10, 3), 3)
    assert briefed.store.briefs() == []


def test_near_duplicate_is_counted_once_with_both_outlets(briefed, tmp_path):
    copy = tmp_path / "wire.md"
    day, where, body = ARTICLES["day3.md"]
    copy.write_text(
        f"---\ntitle: Wire copy\nsource: other-outlet\npublished: {day}\n---\n{where}:\n\n{body}\nThe report was "
        "updated.\n"
    )
    report = ingest_paths(briefed, [copy])
    assert report.added[0]["duplicate_of"]
    b = build_brief(briefed, date(2025, 10, 3), 1)
    assert [d.source for d in b.documents] == ["day3.md"]
    assert b.documents[0].also_reported_by == ["other-outlet"]


def test_latest_day_is_the_default(briefed):
    assert build_brief(briefed).date == date(2025, 10, 3)
