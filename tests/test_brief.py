"""Daily briefs with a fake model: windows, actors, fallbacks, disagreements, timeline, changes."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.brief.build import build_brief
from briefing.brief.models import NO_POSITION
from briefing.brief.select import covering_documents
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


def test_positions_are_the_actors_own_statements(briefed):
    b = build_brief(briefed, date(2025, 10, 3), 3)
    by_actor = {p.actor: p for p in b.positions}
    russia = [k for k in [by_actor["Russia"].stance] + by_actor["Russia"].key_points]
    assert russia and all(k.speaker == "Dmitry Peskov" for k in russia)  # the Kremlin's spokesman, not Zelenskyy
    ukraine = [by_actor["Ukraine"].stance] + by_actor["Ukraine"].key_points
    assert ukraine[0].speaker == "Volodymyr Zelensky" and all("Peskov" not in k.text for k in ukraine)
    us = " ".join(k.text for k in [by_actor["United States"].stance] + by_actor["United States"].key_points)
    assert "Patriot" in us and "frozen assets" in us  # "The United States said ...": its own statements


def test_embedded_default_makes_no_model_call(briefed, fake_model):
    b = build_brief(briefed, date(2025, 10, 3), 3)
    assert b.llm_calls == 0 and fake_model.requests == []


@pytest.fixture
def served(briefed):
    """The same app as if a model server were set (BRIEFING_LLM_BASE_URL): positions are worded by the model."""
    briefed.settings = briefed.settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1"})
    return briefed


def test_generated_position_is_used_when_grounded(served, fake_model):
    briefed = served
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
    assert b.positions[0].stance.mode == "generated" and b.llm_calls >= 1
    assert "Peskov said on Wednesday that Moscow rejects" in b.positions[0].stance.citations[0].quote


def test_ungrounded_position_is_re_asked_then_quoted(served, fake_model):
    briefed = served
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
    venue = next(d for d in b.disagreements if d.kind == "venue")
    assert "press conference" in venue.topic and "summit" in venue.topic, topics
    assert any("Copenhagen" in c.quote for s in venue.sides for c in s.citations)
    drones = next(d for d in b.disagreements if d.kind == "quantity")
    assert {s.value for s in drones.sides} == {"70 drones downed", "65 drones downed"}, topics
    assert {o for s in drones.sides for o in s.outlets} == {"day2.md", "day3.md"}
    assert not any("80" in t for t in topics)  # both say 80 drones were launched
    assert all(len({c.doc_id for s in d.sides for c in s.citations}) >= 2 for d in b.disagreements)
    dates = [e.date for e in b.timeline]
    assert dates == sorted(dates) and len({e.event for e in b.timeline}) == len(b.timeline)  # one entry per event
    attack = next(e for e in b.timeline if e.event == "attack")
    assert attack.date == date(2025, 10, 2) and attack.relative == "overnight"  # day3 says "overnight on Thursday"


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


def test_model_failure_saves_no_partial_brief(served, fake_model):
    briefed = served
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


def test_an_undated_report_counts_on_the_day_it_speaks_of(app):
    from briefing.ingest import ingest_bytes

    dated = (
        b"---\nsource: Meridian Wire\npublished: 2025-09-07\n---\n"
        b"Russia fired 810 drones and 13 missiles at Ukraine overnight, the air force said on Sunday.\n\n"
        b"The attack damaged the government building in Kyiv, officials said."
    )
    undated = (
        b"Russia launched 805 drones and 13 missiles at Ukraine overnight into Sunday, the air force said.\n\n"
        b"It was the largest air attack of the war, officials said."
    )
    ingest_bytes(app, dated, "meridian.txt")
    ingest_bytes(app, undated, "undated.txt")
    b = build_brief(app, date(2025, 9, 7), 1)
    sides = [{s.text for s in d.sides} for d in b.disagreements]
    assert any(any("810" in t for t in ss) and any("805" in t for t in ss) for ss in sides), b.disagreements


def test_an_undated_report_joins_only_a_day_of_its_story(app):
    from briefing.ingest import ingest_bytes

    quake = (
        b"---\nsource: Asia Wire\npublished: 2025-03-28\n---\n"
        b"A powerful earthquake struck central Myanmar on Friday, killing at least 144 people in Mandalay and "
        b"Naypyidaw, the military government said."
    )
    boeing = (
        b"Boeing machinists walked off the job on Friday after union members in Seattle and Portland rejected a "
        b"contract offer, the IAM union said."
    )
    ingest_bytes(app, quake, "quake.txt")
    ingest_bytes(app, boeing, "boeing.txt")  # undated: its "on Friday" falls on the quake's Friday too
    docs = covering_documents(app.store, date(2025, 3, 28), 1)
    assert [d["source"] for d in docs] == ["Asia Wire"]
