"""Claims extraction with the real spaCy pipeline: speaker, actor, event day, quantities; storage; rendering."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from briefing.claims import extract_claims
from briefing.claims.render import render_json, render_text
from briefing.claims.storage import load_claims, load_claims_between, save_claims

SUNDAY = date(2025, 9, 7)


def run(paragraphs: list[str], published: date = SUNDAY, title: str = "", source: str = "Test Wire"):
    text = "\n\n".join(paragraphs)
    from briefing.splitting import split_sentences

    sents = split_sentences(text)
    doc = {"id": "d1", "published": published, "source": source, "title": title, "text": text}
    claims = extract_claims(doc, [(s.idx, s.text, s.start, s.end) for s in sents])
    return {c.text: c for c in claims}


def find(claims: dict, start: str):
    hits = [c for t, c in claims.items() if t.startswith(start)]
    assert hits, f"no sentence starts with {start!r}: {list(claims)}"
    return hits[0]


def test_trailing_attribution_with_role_and_quote():
    c = run(['"Western troops in Ukraine will be legitimate targets," Kremlin spokesman Dmitry Peskov told reporters.'])
    claim = find(c, '"Western')
    assert (claim.speaker, claim.actor, claim.kind) == ("Dmitry Peskov", "Russia", "statement")
    assert "legitimate targets" in claim.quote


def test_said_x_inversion_and_name_variants_are_one_person():
    c = run(["The strike hit an apartment block, said Ukrainian President Volodymyr Zelenskiy.",
             "Zelenskyy later wrote on Telegram that the world must respond."])
    assert find(c, "The strike").speaker == "Volodymyr Zelensky"
    assert find(c, "Zelenskyy later").speaker == "Volodymyr Zelensky"
    assert find(c, "Zelenskyy later").actor == "Ukraine"


def test_member_state_leader_is_the_state_not_the_eu():
    c = run(["Slovak Prime Minister Robert Fico said the EU should restore ties with Moscow."])
    assert find(c, "Slovak").actor == "Slovakia"


def test_sentence_about_an_actor_is_not_its_statement():
    c = run(["Fico is one of the few EU leaders sympathetic to Russia."])
    claim = find(c, "Fico is")
    assert (claim.speaker, claim.actor, claim.kind) == (None, None, "reported_fact")


def test_outlet_is_a_source_not_a_speaker():
    c = run(["Three people were injured in the city, RBC reported.",
             "Peskov said the talks would continue, according to the agency TASS."])
    first = find(c, "Three people")
    assert first.speaker is None and first.reported_by == "RBC"
    second = find(c, "Peskov said")
    assert second.speaker == "Dmitry Peskov" and second.reported_by == "TASS"


def test_pronoun_and_quote_carry_over_in_a_paragraph():
    c = run(['"We will rebuild," Prime Minister Yulia Svyrydenko wrote on Telegram. "But lost lives cannot be returned."',
             "Kyiv mayor Vitali Klitschko said fires broke out in two districts. He said rescuers were still working."])
    assert find(c, '"But lost').speaker == "Yulia Svyrydenko"
    assert find(c, "He said").speaker == "Vitali Klitschko"


def test_statement_about_the_enemy_keeps_the_speakers_actor():
    c = run(['"Putin wants Ukraine defenceless," EU foreign policy chief Kaja Kallas told reporters in Brussels.'])
    claim = find(c, '"Putin')
    assert (claim.speaker, claim.actor) == ("Kaja Kallas", "European Union")


def test_relative_days_resolve_against_publication_date_and_stay_apart_from_it():
    c = run(["Russia launched 810 drones and 13 missiles at Ukraine overnight, the air force said.",
             "Officials said on Sunday that the attack on Kyiv on Thursday killed two people."],
            published=SUNDAY)
    first = find(c, "Russia launched")
    assert first.event_date == SUNDAY
    second = find(c, "Officials said")
    assert second.said_on == SUNDAY
    assert second.event_date == date(2025, 9, 4)  # Thursday before the Sunday publication


def test_quantities_name_what_they_count():
    c = run(["Russia launched 810 drones and 13 missiles overnight.",
             "Air defences shot down 747 drones and four missiles, the air force said.",
             "Two people were killed and 18 were injured in the capital, officials said.",
             "A 32-year-old woman was among the dead.",
             "At the Paris summit, 26 countries pledged to join a reassurance force."])
    units = {(q.value, q.unit) for cl in c.values() for q in cl.quantities}
    assert {(810, "drones_launched"), (13, "missiles_launched"), (747, "drones_downed"), (4, "missiles_downed"),
            (2, "people_killed"), (18, "people_injured"), (32, "age"), (26, "countries_pledged")} <= units


def test_event_key_matches_across_outlets():
    a = run(["Russia struck Kyiv overnight with hundreds of drones."])
    b = run(["A massive Russian attack on Kyiv on Sunday damaged the government building."], source="Other Daily")
    assert find(a, "Russia struck").event == find(b, "A massive").event == "attack:kyiv"


def test_storage_round_trip_and_rendering(tmp_path):
    c = run(["Russia launched 810 drones overnight, Ukraine's air force said."])
    claims = list(c.values())
    conn = sqlite3.connect(tmp_path / "c.db")
    assert save_claims(conn, "d1", claims) == len(claims)
    assert save_claims(conn, "d1", claims) == len(claims)  # replaces, does not duplicate
    back = load_claims(conn, "d1")
    assert back == claims
    assert load_claims_between(conn, SUNDAY, SUNDAY) == claims
    assert load_claims_between(conn, date(2025, 9, 1), date(2025, 9, 2)) == []
    text = render_text(back)
    assert "Ukraine's air force" in text and "810 drones_launched" in text
    assert json.loads(render_json(back))[0]["actor"] == "Ukraine"
