"""Names that stand for one another through the roster (a seat or organ for its state), and speakers described by
role matched against the role the claims store for them."""

from __future__ import annotations

from briefing.claims.models import Claim
from briefing.naming import equivalents, speaker_fits


def test_a_seat_stands_for_its_state_a_city_or_person_only_for_itself():
    assert {"Russia", "Kremlin", "Russian"} <= set(equivalents("Moscow"))
    assert {"United States", "White House", "US"} <= set(equivalents("Washington"))
    assert "European Union" in equivalents("Brussels") and "Russia" in equivalents("the Kremlin")
    assert equivalents("Krasnodar") == [] and equivalents("Putin") == [] and equivalents("Uzhhorod") == []


def claim(speaker, actor, role=None, kind="statement"):
    return Claim(doc_id="d", sentence_id="d:1", speaker=speaker, actor=actor, speaker_role=role, kind=kind, text="x")


def test_a_speaker_described_by_role_is_the_one_whose_role_says_so():
    kallas = claim("Kaja Kallas", "European Union")
    assert speaker_fits("the bloc's top diplomat", "diplomat", kallas)  # top diplomat: the foreign policy chief
    assert not speaker_fits("the Kremlin's press secretary", "secretary", kallas)
    assert speaker_fits("the head of the European Commission", "head", claim("Ursula von der Leyen", "European Union"))
    kellogg = claim("Keith Kellogg", "United States", "the president's special envoy for Ukraine")
    assert speaker_fits("the White House's Ukraine envoy", "envoy", kellogg)
    # an envoy of another state is not the one asked about; a reported fact is nobody's statement
    assert not speaker_fits("the White House's Ukraine envoy", "envoy", claim("Kirill Dmitriev", "Russia"))
    assert not speaker_fits(
        "the bloc's top diplomat", "diplomat", claim("Kaja Kallas", "European Union", kind="reported_fact")
    )


def test_a_capital_is_a_seat_a_city_is_not():
    from briefing.naming import is_seat

    assert is_seat("Kyiv") and is_seat("Moscow") and is_seat("Washington")
    assert not is_seat("Odesa") and not is_seat("Krasnodar") and not is_seat("Putin")


def test_an_office_is_its_title_not_what_it_is_of_and_initials_stand_for_it():
    from briefing import nlp
    from briefing.naming import holds

    doc = nlp.parse("Before the vote, new Boeing CEO Kelly Ortberg urged workers to approve the contract.")
    ortberg = next(e for e in doc.ents if e.text == "Kelly Ortberg")
    assert holds("Boeing's new chief executive", ortberg)
    doc = nlp.parse(
        "The vote was clear, said Jon Holden, president of the International Association of Machinists and "
        "Aerospace Workers District 751."
    )
    holden = next(e for e in doc.ents if e.label_ == "PERSON")
    assert holds("the president of International Association of Machinists District 751", holden)
    assert not holds("the treasurer of International Association of Machinists District 751", holden)
