"""Conflicting reports found through the claims stored at ingest: every outlet's value for the same quantity of the
same event and day, whether or not retrieval ranked its sentence; never a bound, another day's event, another
actor's count or another verb's number; a meeting dated differently by another outlet."""

from __future__ import annotations

import pytest

from briefing.answer import ask
from briefing.ingest import ingest_paths

ARTICLES = {
    "wire.md": (
        "Wire One",
        "2025-09-07",
        "Russia fired 810 drones and 13 missiles at Ukraine overnight on Sunday, Ukraine's air force said.\n\n"
        "Two people were killed and 18 were injured in Kyiv, the mayor said.\n\n"
        "The government building in the capital caught fire for the first time.\n\n"
        "Explosions were also reported in Odesa, local officials said.\n",
    ),
    "paper.md": (
        "Paper Two",
        "2025-09-07",
        "Russia attacked Ukraine overnight on Sunday with more than 800 drones, the largest attack of the war.\n\n"
        "Firefighters worked through the morning to put out the blaze in the government quarter.\n\n"
        "Residents of the capital sheltered in metro stations for most of the night.\n\n"
        "Schools in several districts stayed closed on Monday.\n\n"
        "Russia fired 805 drones and 13 missiles at Ukraine, according to Ukraine's air force.\n\n"
        "Twenty people were injured in Kyiv, the mayor said.\n",
    ),
    "daily.md": (
        "Daily Three",
        "2025-09-06",
        "Russia fired 157 drones and seven missiles at Ukraine overnight on Saturday, Ukraine's air force said.\n",
    ),
    "agency.md": (
        "Agency Four",
        "2025-09-07",
        "Russia's defence ministry said its air defences destroyed 69 Ukrainian drones overnight on Sunday.\n",
    ),
    "courier.md": (
        "Courier Five",
        "2025-09-05",
        "Leaders of the coalition of the willing met at the Elysee Palace in Paris on 4 August.\n\n"
        "Leaders of 33 countries attended the Paris meeting, either in the room or on screens.\n",
    ),
    "herald.md": (
        "Herald Six",
        "2025-09-04",
        "PARIS, Sept 4 - Leaders of the coalition of the willing met in Paris on Thursday.\n\n"
        "The Paris meeting brought together 35 countries, some in person and some by video link.\n",
    ),
}


def ingest_articles(app, folder, articles: dict[str, tuple[str, str, str]], titles: dict[str, str] | None = None):
    """Write each article (source, published, text) with its front matter into a new folder, and ingest it."""
    folder.mkdir()
    for name, (source, published, text) in articles.items():
        title = (titles or {}).get(name, f"Report of {source}")
        (folder / name).write_text(f"---\ntitle: {title}\nsource: {source}\npublished: {published}\n---\n{text}")
    ingest_paths(app, [folder])


@pytest.fixture
def outlets(app, tmp_path):
    ingest_articles(app, tmp_path / "articles", ARTICLES)
    return app


def values(r) -> dict[str, list[str]]:
    return {c["value"]: c["sources"] for c in r.conflicts}


def test_every_outlets_value_for_the_same_quantity_with_its_outlets(outlets):
    r = ask(outlets, "How many drones did Russia fire at Ukraine on Sunday?", generate="never")
    got = values(r)
    assert got == {"810 drones": ["Wire One"], "805 drones": ["Paper Two"]}, got
    # the bound agrees with both, Saturday's attack and Russia's count of Ukrainian drones are other things
    assert "more than 800" not in r.answer and "157" not in r.answer and "69" not in r.answer
    assert "810 drones (Wire One)" in r.answer and "805 drones (Paper Two)" in r.answer
    assert all(c.quote in ARTICLES[f"{c.source.split()[0].lower()}.md"][2] for c in r.citations if c.source)


def test_a_number_counting_another_verb_is_not_the_answer_nor_a_side(outlets):
    r = ask(outlets, "How many people were injured in Kyiv on Sunday?", generate="never")
    got = values(r)
    assert set(got) == {"18", "Twenty people"}, (got, r.answer)
    assert "Two people" not in got


def test_one_value_everywhere_is_no_conflict(outlets):
    r = ask(outlets, "How many missiles did Russia fire at Ukraine on Sunday?", generate="never")
    assert r.mode == "read" and r.conflicts == [] and "13 missiles" in r.span


def test_a_meeting_dated_differently_by_another_outlet(outlets):
    r = ask(outlets, "When did the coalition of the willing meet in Paris?", generate="never")
    got = values(r)
    assert any("September 4, 2025" in v for v in got) and any("August 4, 2025" in v for v in got), (got, r.answer)
    # and the counts of that one meeting differ too, though the outlets date it differently
    r = ask(outlets, "How many countries attended the Paris meeting of the coalition of the willing?", generate="never")
    assert set(values(r)) == {"33 countries", "35 countries"}, (values(r), r.answer)


def test_a_seat_names_its_state_and_a_role_its_holder(outlets, tmp_path):
    r = ask(outlets, "How many drones did Moscow fire at Ukraine on Sunday?", generate="never")
    assert {"810 drones", "805 drones"} == set(values(r)), r.answer
    text = (
        "The European Union's top diplomat, Kaja Kallas, said the remarks showed that Moscow was not serious. "
        '"Putin wants Ukraine defenceless," Kallas told reporters. '
        '"That is not a peace plan. That is a surrender plan."'
        "\n\n"
        "Ministers will meet again next month.\n"
    )
    ingest_articles(outlets, tmp_path / "more", {"eu.md": ("Wire One", "2025-09-05", text)}, {"eu.md": "EU reacts"})
    r = ask(outlets, "What did the bloc's top diplomat say the remarks showed?", generate="never")
    assert r.mode == "read" and "surrender plan" in r.answer, (r.answer, r.reason)
    assert "Ministers will meet" not in r.answer


def test_a_count_for_another_place_is_a_near_miss(outlets):
    r = ask(outlets, "How many people were injured in Odesa on Sunday?", generate="never")
    assert r.mode == "abstained" and "Odesa" in r.reason and "other places" in r.reason, (r.answer, r.reason)


def test_a_number_of_another_known_unit_is_a_near_miss(outlets, tmp_path):
    text = "Air defences shot down 747 drones and four missiles overnight on Sunday, Ukraine's air force said.\n"
    ingest_articles(
        outlets, tmp_path / "downed", {"af.md": ("Wire One", "2025-09-07", text)}, {"af.md": "Air force report"}
    )
    # Saturday's report says how many missiles were fired, not how many were shot down
    r = ask(outlets, "How many missiles did Ukraine shoot down overnight on Saturday?", generate="never")
    assert r.mode == "abstained" and "seven" not in r.answer, (r.answer, r.reason)
    r = ask(outlets, "How many missiles did Ukraine shoot down overnight on Sunday?", generate="never")
    assert r.mode == "read" and "four missiles" in r.span, (r.answer, r.reason)


def test_a_bound_written_into_the_number_or_another_days_record_is_no_side(outlets, tmp_path):
    text = (
        "Russia fired more than 800 drones at Ukraine overnight on Sunday, officials said.\n\n"
        "The previous record, 728 drones fired at Ukraine in one night, was set on 9 July.\n"
    )
    ingest_articles(
        outlets, tmp_path / "bounds", {"mag.md": ("Magazine Seven", "2025-09-07", text)}, {"mag.md": "Record night"}
    )
    r = ask(outlets, "How many drones did Russia fire at Ukraine on Sunday?", generate="never")
    assert set(values(r)) == {"810 drones", "805 drones"}, (values(r), r.answer)


def test_two_named_sources_of_one_article_and_a_round_figure_are_sides(app, tmp_path):
    text = (
        "ROTTERDAM, Oct 14 (Harbourline) - Dockworkers at the port of Rotterdam walked out on Tuesday after the FNV "
        "union rejected a wage offer from the employers' group VNO.\n\n"
        "About 2,400 workers joined the strike, the union said. The employers put the figure at 1,800.\n"
    )
    ingest_articles(
        app,
        tmp_path / "strike",
        {"port.md": ("Harbourline Wire", "2025-10-14", text)},
        {"port.md": "Strike shuts Rotterdam port"},
    )
    r = ask(app, "How many workers joined the strike?", generate="never")
    assert {v for v in values(r)} == {"2,400 workers", "1,800"}, (values(r), r.answer)
