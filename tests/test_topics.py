"""Word meanings from the embedder: a question's topic may be worded otherwise in the sentence."""

from __future__ import annotations

import pytest

from briefing.embeddings import MiniLMEmbedder
from briefing.topics import Topics


@pytest.fixture(scope="module")
def meaning() -> Topics:
    return Topics(["truce", "steel"], MiniLMEmbedder().embed)


def test_a_topic_worded_otherwise_is_met(meaning):
    ceasefire = "Poland will not send soldiers to Ukraine after a ceasefire, Tusk said."
    assert meaning.missing(ceasefire, ceasefire) == ["steel"]
    assert meaning.missing("Steel exports fell.", "Steel exports fell.", ["steel"]) == []


def test_what_is_counted_must_be_the_same_thing(meaning):
    assert meaning.same("nations", "countries")
    assert meaning.same("soldiers", "troops")
    assert not meaning.same("allies", "countries")
    assert not meaning.same("children", "people")


def test_without_an_embedder_only_the_words_count():
    lexical = Topics(["truce"], None)
    assert lexical.missing("after a ceasefire", "after a ceasefire") == ["truce"]
    assert lexical.missing("after a truce", "after a truce") == []
