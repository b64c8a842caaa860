"""Claims on stories the people-and-roles file does not cover: organisations named in the article, events of
kinds the program has no word for, counts of things no list names — and a brief with --actors of that story."""

from __future__ import annotations

import re
from datetime import date

import pytest

from briefing.brief.build import build_brief
from briefing.claims.events import started_on
from briefing.ingest import ingest_paths
from test_claims import find, run

TUE = date(2025, 10, 14)
WED = date(2025, 10, 15)


def test_organisation_in_a_compound_role():
    c = run(['"This offer does not even cover inflation," FNV negotiator Marleen de Vries told reporters.'], TUE)
    claim = find(c, '"This offer')
    assert (claim.speaker, claim.organisation) == ("Marleen de Vries", "FNV")


def test_its_chairman_is_the_organisation_named_before_it():
    c = run(['The employers\' group VNO said the offer was "fair and final", its chairman Pieter Jansen said.'], WED)
    claim = find(c, "The employers")
    assert (claim.speaker, claim.organisation) == ("Pieter Jansen", "VNO")


def test_its_at_the_start_of_a_sentence_is_the_organisation_of_the_one_before():
    c = run(
        [
            "Verhaegen Chemicals said in a statement that no toxic substances had escaped. Its chief executive, "
            "Marc Dubois, said the company would cooperate fully with investigators."
        ],
        date(2025, 11, 3),
        title="Fire at Belgian chemical plant forces 1,200 from homes",
    )
    claim = find(c, "Its chief executive")
    assert (claim.speaker, claim.organisation, claim.actor) == ("Marc Dubois", "Verhaegen Chemicals", None)


def test_the_union_is_the_article_s_one_union_and_according_to_names_it():
    c = run(
        [
            "Dockworkers walked out on Tuesday after the FNV union rejected a wage offer.",
            "About 2,400 workers joined the strike, the union said.",
        ],
        TUE,
    )
    claim = find(c, "About 2,400")
    assert (claim.speaker, claim.organisation) == ("union", "FNV")
    c = run(["Around 3,000 dockworkers stopped work in Rotterdam on Monday, according to the union FNV."], WED)
    assert find(c, "Around 3,000").organisation == "FNV"


def test_a_title_word_is_not_an_organisation_of_a_minister():
    c = run(["Interior Minister Carlo Neri said the government would act."], date(2025, 11, 10), title="Italy floods")
    assert find(c, "Interior Minister").actor == "Italy"


def test_a_strike_is_an_attack_only_in_a_story_of_weapons():
    walkout = run(["The strike at the port entered its second day on Wednesday."], WED)
    assert find(walkout, "The strike").event.split(":")[0] == "strike"
    war = run(["The strike on the refinery came after Russia launched 80 drones overnight."], WED)
    assert find(war, "The strike").event.split(":")[0] == "attack"


def test_an_event_in_its_nth_day_began_before():
    assert started_on("The strike entered its second day on Wednesday.", WED) == TUE
    assert started_on("Protests continued for a third straight day.", WED) == date(2025, 10, 13)
    assert started_on("The strike began on Wednesday.", WED) == WED


def test_headline_event_noun_and_the_dateline_day():
    c = run(
        ["GHENT, Nov 3 (Northgate) - A fire broke out at the Verhaegen Chemicals plant near Ghent on Sunday night."],
        date(2025, 11, 3),
        title="Fire at Belgian chemical plant forces 1,200 from homes",
    )
    claim = find(c, "GHENT")
    assert claim.event.split(":")[0] == "fire"
    assert claim.event_date == date(2025, 11, 2)  # Sunday, not the dateline's Nov 3


def test_headline_noun_without_a_day_in_the_text_is_no_event():
    c = run(["The coalition will play its full part, the prime minister said."], title="Coalition of the willing gains")
    assert find(c, "The coalition").event is None


def test_counts_of_things_no_list_names_keep_their_verb():
    c = run(
        ["Port authority spokesman Henk Bakker said 35 container ships were waiting to berth."],
        TUE,
    )
    waiting = find(c, "Port authority").quantities[0]
    c = run(["Some 40 ships were anchored offshore by Wednesday morning, the port authority said."], WED)
    anchored = find(c, "Some 40").quantities[0]
    assert waiting.unit != anchored.unit and waiting.counts == anchored.counts == "ship"


def test_put_the_figure_at_reports_the_previous_count():
    c = run(
        [
            "Dockworkers walked out after the FNV union rejected an offer from the employers' group VNO. "
            "About 2,400 workers joined the strike, the union said. The employers put the figure at 1,800."
        ],
        TUE,
    )
    union, employers = find(c, "About 2,400"), find(c, "The employers put")
    assert employers.quantities[0].value == 1800
    assert employers.quantities[0].unit == union.quantities[0].unit
    assert (employers.speaker, employers.organisation) == ("employers", "VNO")


PORT = {
    "a1.md": (
        "Strike shuts Rotterdam port as union rejects offer",
        "Harbourline Wire",
        "2025-10-14",
        "ROTTERDAM, Oct 14 (Harbourline) - Dockworkers at the port of Rotterdam walked out on Tuesday after the FNV "
        "union rejected a wage offer from the employers' group VNO.\n\n"
        '"This offer does not even cover inflation," FNV negotiator Marleen de Vries told reporters outside the '
        "terminal.\n\nAbout 2,400 workers joined the strike, the union said. The employers put the figure at 1,800.\n\n"
        "Port authority spokesman Henk Bakker said 35 container ships were waiting to berth.",
    ),
    "a2.md": (
        "Dutch port strike strands ships",
        "Continental Courier",
        "2025-10-15",
        "Around 3,000 dockworkers stopped work in Rotterdam on Monday, according to the union FNV.\n\n"
        'The employers\' group VNO said the pay offer of 4.5 percent was "fair and final", its chairman Pieter '
        'Jansen said.\n\nDutch Economy Minister Sophie Hermans called on both sides to return to talks. "A long '
        'strike would hurt the whole country," Hermans said.\n\nSome 40 ships were anchored offshore by Wednesday '
        "morning, the port authority said.",
    ),
    "a3.md": (
        "Rotterdam strike enters second day",
        "Harbourline Wire",
        "2025-10-15",
        "ROTTERDAM, Oct 15 (Harbourline) - The strike at Europe's largest port entered its second day on "
        'Wednesday.\n\n"We are ready to talk, but not to accept a pay cut in real terms," de Vries said.\n\n'
        "Jansen, the VNO chairman, said the employers would not raise their 4.5 percent offer.",
    ),
}


@pytest.fixture
def port(app, tmp_path):
    folder = tmp_path / "port"
    folder.mkdir()
    for name, (title, source, day, body) in PORT.items():
        (folder / name).write_text(f"---\ntitle: {title}\nsource: {source}\npublished: {day}\n---\n{body}\n")
    ingest_paths(app, [folder])
    return build_brief(app, WED, 2, ["FNV", "VNO", "Netherlands"])


def _said(position) -> str:
    return " ".join(c.text for c in [position.stance, *position.key_points])


def test_port_strike_brief_credits_each_organisation(port):
    pos = {p.actor: p for p in port.positions}
    assert all(p.has_position for p in pos.values())
    assert "cover inflation" in _said(pos["FNV"]) and "fair and final" not in _said(pos["FNV"])
    assert "ready to talk" in _said(pos["FNV"])  # "de Vries said" in another report: the same negotiator
    assert "fair and final" in _said(pos["VNO"]) and "inflation" not in _said(pos["VNO"])
    assert "hurt the whole country" in _said(pos["Netherlands"])


def test_port_strike_brief_disagreements(port):
    topics = [d.topic for d in port.disagreements]
    assert any("2400" in t and "1800" in t for t in topics), topics
    dated = [d for d in port.disagreements if d.kind == "date"]
    assert dated and {s.value for s in dated[0].sides} == {"2025-10-13", "2025-10-14"}
    assert not any(re.search(r"\b(?:35|40)\b", t) for t in topics)  # ships waiting, ships anchored: two counts
    assert all(not (k.event or "").startswith("attack") for k in port.key_facts)
