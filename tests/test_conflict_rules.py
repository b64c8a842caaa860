"""Rules that keep false disagreements out of a brief: counts of unknown verb far apart are two counts; one place
named more or less fully is one place."""

from __future__ import annotations

from briefing.brief.conflicts import _far_apart, _one_name, _value


def test_counts_far_apart_are_not_one_count():
    assert _far_apart({"17000000": [], "144": []})
    assert not _far_apart({"1200": [], "1300": [], "1500": []})
    assert _value(17_000_000.0) == "17000000" and _value(94.6) == "94.6"


def test_one_place_named_more_or_less_fully():
    assert _one_name("Boeing’s Everett", "Everett")
    assert not _one_name("Ilsky", "Afipsky")
