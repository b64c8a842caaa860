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


def test_identical_sentences_are_indexed_once_and_found_once(store):
    add(store, ["Drones hit the Kremenchuk refinery overnight."], date(2025, 9, 7))
    add(store, ["Drones hit the Kremenchuk refinery overnight.", "A closing line of the copy."], date(2025, 9, 8))
    rows = store.keyword_search(["kremenchuk"], 10)
    assert texts(rows) == ["Drones hit the Kremenchuk refinery overnight."]
    copies = store.sentence_copies([rows[0]["norm_key"]])
    assert sorted(r["published"] for r in copies) == ["2025-09-07", "2025-09-08"]
    assert store.term_frequency("kremenchuk") == 1
    assert store.distinct_sentences() == store.count("sentences") - 1


def test_a_version_1_store_is_migrated_in_place(store):
    add(store, ["Drones hit the Kremenchuk refinery overnight."], date(2025, 9, 7))
    add(store, ["Drones hit the Kremenchuk refinery overnight.", "A closing line of the copy."], date(2025, 9, 8))
    db = store.db  # make it what version 1 wrote: no sentence keys, every copy in the keyword index
    db.executescript("""
        DROP INDEX sentences_norm; DROP TRIGGER sentences_ai_distinct;
        ALTER TABLE sentences DROP COLUMN norm_key;
        INSERT INTO sentences_fts(sentences_fts) VALUES ('delete-all');
        INSERT INTO sentences_fts(rowid, text) SELECT rowid, text FROM sentences;
        CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
          INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text); END;
        UPDATE meta SET value='1' WHERE key='schema_version';""")
    assert store.term_frequency("kremenchuk") == 2
    path = store.path
    store.close()
    migrated = Store(path)
    try:
        assert migrated.get_meta("schema_version") == "2"
        assert migrated.term_frequency("kremenchuk") == 1
        assert texts(migrated.keyword_search(["kremenchuk"], 10)) == ["Drones hit the Kremenchuk refinery overnight."]
        add(migrated, ["Drones hit the Kremenchuk refinery overnight.", "Another outlet's own line."], date(2025, 9, 9))
        assert migrated.term_frequency("kremenchuk") == 1 and migrated.term_frequency("outlet") == 1
        assert len(migrated.sentence_copies([migrated.keyword_search(["kremenchuk"], 1)[0]["norm_key"]])) == 3
    finally:
        migrated.close()
