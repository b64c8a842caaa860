"""Keyword search scores the rarest terms first and stays bounded on a large store."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.dates import to_epoch
from briefing.documents import Document, content_id
from briefing.splitting import Chunk, Sentence
from briefing.store import Store


def add(store: Store, sentences: list[str], published: date) -> None:
    text = " ".join(sentences)
    doc = Document(content_id(text), "t", "s.txt", published, text)
    spans, pos = [], 0
    for i, s in enumerate(sentences):
        spans.append(Sentence(i, pos, pos + len(s), s))
        pos += len(s) + 1
    store.add_document(doc, spans, [Chunk(f"{doc.id}-000", 0, 0, len(text), 0, len(spans) - 1, text)])


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "store.sqlite")
    # "troops" is in every sentence but one; "Ryazan" and "refinery" are rare.
    add(s, [f"Troops moved through district {i} overnight." for i in range(40)], date(2025, 9, 5))
    add(
        s,
        ["A drone hit the refinery in Ryazan, and troops were sent.", "Ryazan officials counted the damage."],
        date(2025, 9, 6),
    )
    add(s, ["The refinery fire in Novokuibyshevsk was put out."], date(2025, 9, 7))
    yield s
    s.close()


def texts(rows) -> list[str]:
    return [r["text"] for r in rows]


def test_every_term_is_scored_when_the_postings_fit(store):
    found = texts(store.keyword_search(["troops", "ryazan"], 100))
    assert len(found) == 42  # any of the terms: all 41 troop sentences and the other Ryazan one
    assert sorted(found[:2]) == [
        "A drone hit the refinery in Ryazan, and troops were sent.",  # the rare term ranks first
        "Ryazan officials counted the damage.",
    ]


def test_a_common_term_is_left_out_when_it_does_not_fit(store):
    found = texts(store.keyword_search(["troops", "ryazan", "refinery"], 100, max_postings=10))
    assert sorted(found) == sorted(
        [
            "A drone hit the refinery in Ryazan, and troops were sent.",
            "Ryazan officials counted the damage.",
            "The refinery fire in Novokuibyshevsk was put out.",
        ]
    )


def test_when_no_term_fits_all_terms_must_match(store):
    found = texts(store.keyword_search(["troops", "ryazan"], 100, max_postings=1))
    assert found == ["A drone hit the refinery in Ryazan, and troops were sent."]


def test_unknown_terms_and_punctuation_find_nothing(store):
    assert store.keyword_search(["zzzqx", "?!"], 10) == []
    assert sorted(texts(store.keyword_search(["zzzqx", "Ryazan"], 10))) == [
        "A drone hit the refinery in Ryazan, and troops were sent.",
        "Ryazan officials counted the damage.",
    ]


def test_dates_still_filter(store):
    found = texts(store.keyword_search(["refinery"], 10, since=to_epoch(date(2025, 9, 7)), until=None))
    assert found == ["The refinery fire in Novokuibyshevsk was put out."]
    assert texts(store.keyword_search(["refinery"], 10, until=to_epoch(date(2025, 9, 6)) + 86399)) == [
        "A drone hit the refinery in Ryazan, and troops were sent."
    ]


def test_counting_a_term_can_stop_early(store):
    assert store.term_frequency("troops", prefix=False) == 41
    assert store.term_frequency("troops", prefix=False, at_most=5) == 5
    assert store.term_frequency("ryazan", prefix=False, at_most=5) == 2
