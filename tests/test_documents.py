"""Reading articles: cleaning, titles, dates, sentence offsets, bad input."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.dates import date_mentions, dateline_in_year, find_dateline, first_full_date, parse_date, wire_dateline
from briefing.documents import clean_text, parse_document, read_path
from briefing.errors import InputError
from briefing.splitting import make_chunks, split_sentences
from conftest import SEEDS


def test_page_furniture_is_removed():
    raw = (
        "Today : Sep 08, 2025\nWorld News\n07 September 2025\n\nPutin "
        "spoke.\n.jpeg)\n![img](x.png)\nAdvertisement\nEnd of story here."
    )
    text = clean_text(raw)
    assert "Today" not in text and ".jpeg)" not in text and "![img]" not in text and "Advertisement" not in text
    assert "07 September 2025" in text and "End of story here." in text


def test_seed_dates_titles_and_ids():
    docs = {p.name: read_path(p) for p in sorted(SEEDS.glob("*.txt"))}
    d003 = docs["003_5a165c5dd833248b.txt"]
    assert d003.published == date(2025, 9, 7)  # the dateline, not the "Today : Sep 08" furniture
    assert d003.title == "Putin Warns Foreign Troops In Ukraine Will Be Targeted"
    assert docs["000_ae75808e823564bb.txt"].published == date(2025, 9, 5)  # "made on 5 September 2025"
    assert docs["002_f3f225eec9c1d75d.txt"].published is None  # "September 5" has no year
    assert not docs["002_f3f225eec9c1d75d.txt"].text.endswith(".jpeg)")
    assert len({d.id for d in docs.values()}) == 3
    assert read_path(SEEDS / "000_ae75808e823564bb.txt").id == docs["000_ae75808e823564bb.txt"].id


def test_front_matter_wins():
    doc = parse_document(
        b"---\ntitle: Wire copy\nsource: example-wire\npublished: 2025-09-06\n---\nOn 1 May 2020 something happened "
        b"in the capital city.",
        "a.md",
        ".md",
    )
    assert (doc.title, doc.source, doc.published) == ("Wire copy", "example-wire", date(2025, 9, 6))


def test_bad_front_matter_is_an_input_error():
    with pytest.raises(InputError, match="front matter"):
        parse_document(b"---\ntitle: [unclosed\n---\nSome article text goes right here.", "a.md", ".md")


def test_html_is_reduced_to_article_text():
    html = (
        b"<html><head><meta property='article:published_time' "
        b"content='2025-09-06T10:00:00Z'><script>evil()</script></head>"
        b"<body><nav>Home</nav><article><h1>Drones hit Kyiv</h1><p>Officials said 40 drones were "
        b"launched.</p></article></body></html>"
    )
    doc = parse_document(html, "x.html", ".html")
    assert doc.title == "Drones hit Kyiv" and doc.published == date(2025, 9, 6)
    assert "evil" not in doc.text and "Home" not in doc.text and "40 drones" in doc.text


@pytest.mark.parametrize(
    "data,needle",
    [
        (b"", "empty"),
        (b"  \n ", "empty"),
        (b"\x00\x01binary", "binary"),
        ("Caf\xe9 society".encode("latin-1"), "UTF-8"),
        (b"two words", "no article text"),
    ],
)
def test_unusable_bytes(data, needle):
    with pytest.raises(InputError, match=needle):
        parse_document(data, "f.txt")


def test_sentence_offsets_are_exact_and_chunks_cover_them():
    doc = read_path(SEEDS / "003_5a165c5dd833248b.txt")
    sentences = split_sentences(doc.text)
    assert len(sentences) > 40
    assert all(doc.text[s.start : s.end] == s.text for s in sentences)
    chunks = make_chunks(doc.id, doc.text, sentences, 3)
    assert sum(c.last - c.first + 1 for c in chunks) == len(sentences)
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)


def test_dates():
    assert parse_date("2025-09-05T08:00:00Z") == date(2025, 9, 5)
    assert parse_date("Sep 08, 2025") == date(2025, 9, 8)
    assert find_dateline("World News\n07 September 2025\n\nText") == date(2025, 9, 7)
    assert find_dateline("He said on 5 September 2025 that...") is None
    assert first_full_date("It happened on September 5, 2025, at noon.") == date(2025, 9, 5)
    found = {d for _, _, d in date_mentions("On the night of September 4-5 and on Friday, yesterday", date(2025, 9, 7))}
    assert found == {date(2025, 9, 5), date(2025, 9, 6)}  # Friday before Sunday 7 Sep is the 5th; yesterday the 6th


def test_wire_datelines_without_a_year():
    assert wire_dateline("By A Writer\n\nKYIV, Sept 7 (Meridian) - Russia fired drones.") == (9, 7)
    assert wire_dateline("VLADIVOSTOK, Russia, Sept. 5 - Any troops") == (9, 5)
    assert wire_dateline("MOSCOW, September 5. /TASS/. Russian forces") == (9, 5)
    assert wire_dateline("He said on Sept 7 - that it was over.") is None
    assert wire_dateline("KYIV, Sept 31 (Meridian) - No such day.") is None
    # the year is the latest full date's when the dateline falls in the weeks after it; never an old year
    assert dateline_in_year((9, 7), "talks on 5 September 2025 failed") == date(2025, 9, 7)
    assert dateline_in_year((1, 3), "on 28 December 2024 it began") == date(2025, 1, 3)
    assert dateline_in_year((9, 7), "the invasion of 24 February 2022") is None


def test_a_read_time_byline_dates_the_article_though_it_is_dropped():
    doc = parse_document(
        b"Drones hit a refinery\n\nGlobal Desk Daily | World | Sep 6, 2025 \xc2\xb7 2 min read\n\n"
        b"Ukrainian drones hit an oil refinery in the Krasnodar region overnight, officials said.",
        "gd.txt",
    )
    assert doc.published == date(2025, 9, 6)
    assert "min read" not in doc.text


def test_a_wire_dateline_takes_the_year_of_the_collection(app):
    from briefing.ingest import ingest_bytes

    dated = b"---\npublished: 2025-09-04\nsource: A\n---\nLeaders met in Paris on Thursday to discuss guarantees."
    bare = b"KYIV, Sept 7 (Meridian) - Russia fired 810 drones at Ukraine overnight, officials said on Sunday."
    report = ingest_bytes(app, bare, "bare.txt")
    assert report.added[0]["published"] is None  # nothing in the store or the text gives a year yet
    ingest_bytes(app, dated, "dated.txt")
    again = b"PARIS, Sept 8 (Meridian) - Allies met again in Paris to discuss the guarantees, officials said."
    report = ingest_bytes(app, again, "again.txt")
    assert report.added[0]["published"] == "2025-09-08"
    assert app.store.document_headers([report.added[0]["id"]])[report.added[0]["id"]]["published"] == "2025-09-08"
