"""Claims extraction with the real spaCy pipeline: speaker, actor, event day, quantities; storage; rendering."""

from __future__ import annotations

import json
from datetime import date

import pytest

from briefing.claims import extract_claims
from briefing.claims.render import render_json, render_text

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
    c = run(
        [
            "The strike hit an apartment block, said Ukrainian President Volodymyr Zelenskiy.",
            "Zelenskyy later wrote on Telegram that the world must respond.",
        ]
    )
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
    c = run(
        [
            "Three people were injured in the city, RBC reported.",
            "Peskov said the talks would continue, according to the agency TASS.",
        ]
    )
    first = find(c, "Three people")
    assert first.speaker is None and first.reported_by == "RBC"
    second = find(c, "Peskov said")
    assert second.speaker == "Dmitry Peskov" and second.reported_by == "TASS"


def test_pronoun_and_quote_carry_over_in_a_paragraph():
    c = run(
        [
            '"We will rebuild," Prime Minister Yulia Svyrydenko wrote on Telegram. '
            '"But lost lives cannot be returned."',
            "Kyiv mayor Vitali Klitschko said fires broke out in two districts. He said rescuers were still working.",
        ]
    )
    assert find(c, '"But lost').speaker == "Yulia Svyrydenko"
    assert find(c, "He said").speaker == "Vitali Klitschko"


def test_statement_about_the_enemy_keeps_the_speakers_actor():
    c = run(['"Putin wants Ukraine defenceless," EU foreign policy chief Kaja Kallas told reporters in Brussels.'])
    claim = find(c, '"Putin')
    assert (claim.speaker, claim.actor) == ("Kaja Kallas", "European Union")


def test_relative_days_resolve_against_publication_date_and_stay_apart_from_it():
    c = run(
        [
            "Russia launched 810 drones and 13 missiles at Ukraine overnight, the air force said.",
            "Officials said on Sunday that the attack on Kyiv on Thursday killed two people.",
        ],
        published=SUNDAY,
    )
    first = find(c, "Russia launched")
    assert first.event_date == SUNDAY
    second = find(c, "Officials said")
    assert second.said_on == SUNDAY
    assert second.event_date == date(2025, 9, 4)  # Thursday before the Sunday publication


def test_quantities_name_what_they_count():
    c = run(
        [
            "Russia launched 810 drones and 13 missiles overnight.",
            "Air defences shot down 747 drones and four missiles, the air force said.",
            "Two people were killed and 18 were injured in the capital, officials said.",
            "A 32-year-old woman was among the dead.",
            "At the Paris summit, 26 countries pledged to join a reassurance force.",
        ]
    )
    units = {(q.value, q.unit) for cl in c.values() for q in cl.quantities}
    assert {
        (810, "drones_launched"),
        (13, "missiles_launched"),
        (747, "drones_downed"),
        (4, "missiles_downed"),
        (2, "people_killed"),
        (18, "people_injured"),
        (32, "age"),
        (26, "countries_pledged"),
    } <= units


def test_event_key_matches_across_outlets():
    a = run(["Russia struck Kyiv overnight with hundreds of drones."])
    b = run(["A massive Russian attack on Kyiv on Sunday damaged the government building."], source="Other Daily")
    # attacks are keyed by the country struck and told apart by day; the city stays on each count's scope
    assert find(a, "Russia struck").event == find(b, "A massive").event == "attack:ukraine"
    assert find(a, "Russia struck").event_date == find(b, "A massive").event_date == SUNDAY


def test_storage_round_trip_and_rendering(tmp_path):
    from briefing.documents import parse_document
    from briefing.splitting import make_chunks, split_sentences
    from briefing.store import Store

    c = run(["Russia launched 810 drones overnight, Ukraine's air force said."])
    claims = list(c.values())
    doc = parse_document(b"Russia launched 810 drones overnight, Ukraine's air force said.", "d1.txt")
    sents = split_sentences(doc.text)
    store = Store(tmp_path / "c.db")
    store.add_document(doc, sents, make_chunks(doc.id, doc.text, sents, 4))
    assert store.docs_without_claims() == [doc.id]
    assert store.save_claims({doc.id: claims}, "v1") == len(claims)
    assert store.save_claims({doc.id: claims}, "v1") == len(claims)  # replaces, does not duplicate
    back = store.claims_of_docs([doc.id])
    assert back == claims
    assert store.docs_without_claims() == [] and store.docs_without_claims("v2") == [doc.id]
    text = render_text(back)
    assert "Ukraine's air force" in text and "810 drones_launched" in text
    assert json.loads(render_json(back))[0]["actor"] == "Ukraine"


def test_according_to_posted_on_x_and_role_only_speakers():
    c = run(
        [
            "Kyiv will need more air defence, according to Ukrainian Foreign Minister Andrii Sybiha.",
            "Peskov posted on X that the talks were over.",
            '"No one should doubt that we will implement them," the Russian leader said.',
        ]
    )
    assert (find(c, "Kyiv will").speaker, find(c, "Kyiv will").actor) == ("Andrii Sybiha", "Ukraine")
    assert find(c, "Peskov posted").speaker == "Dmitry Peskov"
    assert (find(c, '"No one').speaker, find(c, '"No one').actor) == ("Vladimir Putin", "Russia")


def test_role_mentioned_earlier_and_dateline_country():
    c = run(
        [
            "WARSAW — Defence Minister Jan Nowak said the army would stay on the border.",
            "The defence minister said no soldiers would go to Ukraine.",
        ]
    )
    first = find(c, "WARSAW")
    assert (first.speaker, first.actor) == ("Jan Nowak", "Poland")
    assert find(c, "The defence minister").speaker == "Jan Nowak"


def test_background_clause_is_not_the_sentences_speaker():
    c = run(["The attack came two days after Putin warned that foreign troops would be legitimate targets."])
    claim = find(c, "The attack")
    assert claim.speaker is None and claim.kind == "reported_fact"


def test_quantity_scope_and_bounds():
    c = run(
        [
            "KYIV, Sept 7 — Across Ukraine, five people were killed and 44 were injured, officials said.",
            "Russia attacked with more than 800 drones, and 18 people were injured in the capital.",
        ]
    )
    q = {(x.value, x.unit): x for cl in c.values() for x in cl.quantities}
    assert q[(5, "people_killed")].scope == "ukraine" and q[(44, "people_injured")].scope == "ukraine"
    assert q[(18, "people_injured")].scope == "kyiv"  # the capital, under a Kyiv dateline
    assert q[(800, "drones_launched")].approx


def test_gate_changes_nothing_on_the_seeds():
    from briefing.claims import extract_many
    from briefing.documents import read_path
    from briefing.splitting import split_sentences
    from conftest import SEEDS

    items = []
    for path in sorted(SEEDS.glob("*.txt")):
        d = read_path(path)
        items.append(
            (
                {"id": d.id, "published": d.published, "source": d.source, "title": d.title, "text": d.text},
                [(s.idx, s.text, s.start, s.end) for s in split_sentences(d.text)],
            )
        )
    assert extract_many(items, gate=True) == extract_many(items, gate=False)


def test_claims_of_a_stored_document(seeded):
    from briefing.claims.derive import stored_claims
    from briefing.errors import InputError

    def document_claims(store, prefix):
        return stored_claims(store, prefix)[1]

    doc = next(r for r in seeded.store.documents() if r["source"] == "000_ae75808e823564bb.txt")
    claims = document_claims(seeded.store, doc["id"][:8])
    assert len(claims) == len(seeded.store.sentences_of_docs([doc["id"]]))
    warning = next(c for c in claims if "legitimate targets" in c.text and c.quote)
    assert (warning.speaker, warning.actor) == ("Vladimir Putin", "Russia")
    with pytest.raises(InputError):
        document_claims(seeded.store, "nosuchid")


def _doc_claims(doc_id: str, source: str, paragraphs: list[str], published: date = SUNDAY):
    from briefing.splitting import split_sentences

    text = "\n\n".join(paragraphs)
    sents = split_sentences(text)
    return extract_claims(
        {"id": doc_id, "published": published, "source": source, "title": "", "text": text},
        [(s.idx, s.text, s.start, s.end) for s in sents],
    )


def test_disagreements_same_event_and_quantity_only():
    from briefing.claims.disagreements import find_disagreements

    claims = (
        _doc_claims(
            "a",
            "Wire A",
            [
                "KYIV, Sept 7 - Russia fired 810 drones at Ukraine overnight, the air force said.",
                "Air defences shot down 747 drones, the air force said.",
            ],
        )
        + _doc_claims(
            "b",
            "Daily B",
            [
                "KYIV, Sept 7 - Russia fired 805 drones at Ukraine overnight, officials said.",
                "Air defences shot down 747 drones, the air force said.",
            ],
        )
        + _doc_claims("c", "Ledger C", ["KYIV - Russia attacked Ukraine overnight with more than 800 drones."])
        + _doc_claims("d", "Post D", ["KYIV - Russia fired 157 drones at Ukraine on Friday, the air force said."])
    )
    found = find_disagreements(claims)
    assert [(f.what, sorted(s.value for s in f.sides)) for f in found] == [("drones_launched", ["805", "810"])]
    sides = {s.value: s.outlets for s in found[0].sides}
    assert sides == {"810": ["Wire A"], "805": ["Daily B"]}


def test_quoted_as_saying_and_parenthetical_attribution():
    c = run(
        [
            "President Donald Trump spoke to European leaders on Thursday.",
            '"Europe must stop buying Russian oil," the official quoted the president as saying.',
            "The economy, officials in Moscow insist, has adapted to the sanctions.",
        ]
    )
    quoted = find(c, '"Europe must')
    assert (quoted.speaker, quoted.actor) == ("Donald Trump", "United States")
    aside = find(c, "The economy")
    assert aside.kind == "statement" and aside.actor == "Russia"


def test_a_position_in_a_concessive_clause_is_the_subjects():
    c = run(["While the United States has ruled out sending ground troops, it has offered air defence support."])
    claim = find(c, "While")
    assert (claim.speaker, claim.actor) == ("United States", "United States")


def test_called_x_y_is_a_statement_and_places_the_tagger_mislabels_still_count():
    c = run(
        [
            "Three civilians were killed in the shelling of Kherson on Saturday, the regional governor said.",
            "Ukraine's Foreign Ministry called the strike a war crime.",
            "Air defences shot down 42 drones over the Odesa region, the air force said.",
        ]
    )
    kherson = find(c, "Three civilians")
    assert kherson.event == "attack:ukraine" and kherson.event_date == date(2025, 9, 6)
    assert kherson.actor == "Ukraine"  # a regional governor, placed by the city the sentence names
    assert (find(c, "Ukraine's Foreign").speaker, find(c, "Ukraine's Foreign").actor) == (
        "Ukraine's Foreign Ministry",
        "Ukraine",
    )
    assert find(c, "Air defences").quantities[0].scope == "odesa"


def test_a_quote_lead_in_and_a_stated_intention_name_the_speaker():
    c = run(
        [
            "French President Emmanuel Macron spoke after the summit in Paris.",
            'Quote from Macron: "Our chiefs of staff have worked closely together and today we are ready."',
            "Japanese Prime Minister Shigeru Ishiba announced his resignation on Sunday.",
            "He expressed his intent to avoid a political vacuum during the tariff talks.",
        ]
    )
    quote = find(c, "Quote from Macron")
    assert (quote.speaker, quote.actor, quote.kind) == ("Emmanuel Macron", "France", "statement")
    intent = find(c, "He expressed")
    assert (intent.speaker, intent.actor) == ("Shigeru Ishiba", "Japan")


def test_a_role_refers_to_whom_the_article_speaks_of_not_whom_it_names():
    c = run(
        [
            "Ukrainian President Volodymyr Zelensky met Slovak Prime Minister Robert Fico in Uzhhorod.",
            "He said he had told Fico about his conversation with U.S. President Donald Trump.",
            'At the same time, the head of state stressed that Ukraine wanted "a pragmatic approach".',
        ]
    )
    claim = find(c, "At the same time")
    assert (claim.speaker, claim.actor) == ("Volodymyr Zelensky", "Ukraine")


def test_a_publication_reporting_is_an_outlet():
    c = run(["Fico said Slovakia would not block the talks. This was reported by the Slovak publication Dennik N."])
    claim = find(c, "This was reported")
    assert claim.speaker is None and claim.actor is None


def test_the_total_of_an_out_of_phrase_is_what_its_own_words_say():
    c = run(
        [
            "According to Ukraine's Air Force, out of the 805 drones and 13 missiles launched, 751 drones and four "
            "missiles were intercepted."
        ]
    )
    claim = find(c, "According to Ukraine")
    units = {(q.value, q.unit) for q in claim.quantities}
    assert {(805, "drones_launched"), (751, "drones_downed"), (4, "missiles_downed")} <= units


def test_others_counts_what_was_counted_before():
    c = run(["At least two people were killed and 18 others were injured in the capital, the mayor said."])
    units = {(q.value, q.unit) for q in find(c, "At least two").quantities}
    assert (18, "people_injured") in units


def test_a_day_that_only_places_another_time_is_not_the_events():
    c = run(["Before Sunday's assault, the largest attack was July 9, when Russia launched 728 drones."])
    claim = find(c, "Before Sunday")
    assert claim.event_date == date(2025, 7, 9)


def test_an_event_is_not_carried_to_a_sentence_of_another_day():
    c = run(
        [
            "He explained at a news conference on Sunday that he would step down, Ishiba said. He said the moment "
            "had arrived with an order by US President Donald Trump on Friday to lower tariffs on Japanese cars."
        ]
    )
    assert find(c, "He explained").event is not None
    assert find(c, "He said the moment").event is None


def test_a_country_outside_the_war_is_known_by_its_adjective():
    c = run(
        [
            "The quake's epicentre was near Mandalay, the U.S. Geological Survey said.",
            "Thai Prime Minister Paetongtarn Shinawatra said residents could return to their homes.",
        ]
    )
    assert find(c, "Thai Prime Minister").actor == "Thailand"


def test_a_natural_event_is_its_own_kind_placed_by_its_verb():
    c = run(["A powerful earthquake struck central Myanmar on Friday, killing at least 144 people."], date(2025, 3, 30))
    claim = find(c, "A powerful earthquake")
    assert (claim.event, claim.event_date) == ("earthquake:myanmar", date(2025, 3, 28))
    c = run(["Russian drones struck Kyiv overnight, officials said."])
    assert find(c, "Russian drones").event == "attack:ukraine"


def test_an_official_without_a_country_is_of_the_one_country_the_sentence_names():
    c = run(
        [
            "The quake struck Myanmar and was felt across the region.",
            "In neighbouring Thailand, at least 80 people remain trapped, according to Defense Minister Phumtham "
            "Wechayachai.",
        ]
    )
    claim = find(c, "In neighbouring Thailand")
    assert (claim.speaker, claim.actor) == ("Phumtham Wechayachai", "Thailand")


def test_a_coordinated_clause_keeps_its_own_verb():
    c = run(["Four people were killed and 23 were rescued, the agency said."])
    units = {(q.value, q.unit) for q in find(c, "Four people").quantities}
    assert (4, "people_killed") in units and (23, "people_killed") not in units
