"""Page furniture is not article text: captions, photo credits, read times, bylines, share prompts are
dropped; subheads, headlines and bare datelines stay in the text but are not sentences; a date in a
caption never becomes the publication date. For plain text as for HTML (trafilatura)."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.documents import parse_document, read_path
from briefing.furniture import is_removed, not_a_sentence
from briefing.splitting import split_sentences
from web_server import WEB

FURNITURE = [
    "2 min read",
    "5 minute read",
    "Photo: EPA / Maxim Shipenkov",
    "(AP Photo/Efrem Lukatsky)",
    "Russian President Vladimir Putin at a forum in Moscow on March 27, 2025. Photo: EPA / Maxim Shipenkov",
    "Putin at a session in Vladivostok, Russia, September 5, 2025. Sputnik/Alexander Kazakov/Pool via REUTERS",
    "By Anna Petrova",
    "By Anna Petrova, Reuters",
    "Share on Facebook",
    "Share this article",
    "Copy link",
    "Updated September 8, 2025 · 4 min read",
    "Published: 5 September 2025, 10:32 GMT",
    "Listen to this article",
    "Reporting by Guy Faulconbridge; Editing by Andrew Osborn",
    "Read more: EU sanctions explained",
    "We use cookies to improve your experience on our site.",
    "Follow us on Telegram",
    "Advertisement",
]
ARTICLE = [
    "By Monday, the army said 40 were hurt.",
    "Updated figures showed 800 drones were launched overnight.",
    "Published reports said 15 people were hurt on Sunday.",
    "The photo showed a destroyed building.",
    "Putin said the source: of the leak was unclear.",
    "Russian President Vladimir Putin said on Friday that troops would be targets.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines_are_dropped(line):
    assert is_removed(line)


@pytest.mark.parametrize("line", ARTICLE)
def test_article_sentences_are_kept(line):
    assert not is_removed(line) and not not_a_sentence(line)


@pytest.mark.parametrize(
    "line",
    [
        "VLADIVOSTOK, September 5.",
        "MOSCOW (Reuters) -",
        "KYIV, Sept 7 (Reuters) -",
        "Allies weigh security guarantees",
        "Russia blames West for prolonging conflict",
    ],
)
def test_subheads_and_datelines_are_not_sentences(line):
    assert not_a_sentence(line)


def test_list_items_are_sentences():
    assert not not_a_sentence("- Russia launched 810 drones and decoys overnight")


PLAIN = """Putin warns Western troops would be targets

By Anna Petrova
2 min read
Share on Facebook

Russian President Vladimir Putin at a forum in Moscow on March 27, 2025. Photo: EPA / Maxim Shipenkov

VLADIVOSTOK, September 5.

President Vladimir Putin said on 5 September 2025 that Western troops in Ukraine would be targets.

Allies weigh security guarantees

The warning came a day after twenty-six countries pledged to contribute to a reassurance force in Paris.
"""


def test_plain_text_keeps_only_article_sentences_and_never_dates_from_a_caption():
    doc = parse_document(PLAIN.encode(), "plain.txt")
    assert doc.published == date(2025, 9, 5)  # not 2025-03-27 from the caption
    assert "March 27" not in doc.text and "min read" not in doc.text and "Petrova" not in doc.text
    sentences = [s.text for s in split_sentences(doc.text)]
    assert sentences == [
        "President Vladimir Putin said on 5 September 2025 that Western troops in Ukraine would be targets.",
        "The warning came a day after twenty-six countries pledged to contribute to a reassurance force in Paris.",
    ]
    assert doc.title == "Putin warns Western troops would be targets"


def test_a_caption_above_its_own_credit_line_does_not_date_the_article():
    text = (
        "Drones over Kyiv\n\nFirefighters at a burning building in Kyiv on March 27, 2025.\n"
        "Photo: EPA / Sergey Dolzhenko\n\n"
        "KYIV, 7 September 2025\n\nRussia launched hundreds of drones at Kyiv overnight, the air force said."
    )
    doc = parse_document(text.encode(), "kyiv.txt")
    assert doc.published == date(2025, 9, 7) and "EPA" not in doc.text


def test_published_stamp_dates_plain_text_and_is_not_a_sentence():
    doc = parse_document(
        b"Drones hit Kyiv\nPublished: 7 September 2025, 08:00 GMT\n\nOfficials said on 3 May 2024 plans existed. "
        b"Russia launched 800 drones overnight, the air force said.",
        "s.txt",
    )
    assert doc.published == date(2025, 9, 7) and "Published" not in doc.text


def test_html_caption_date_is_not_the_publication_date():
    html = (
        b"<html><head><title>Drones over Kyiv</title></head><body><article><h1>Drones over Kyiv</h1>"
        b"<figure><img src='a.jpg'><figcaption>Firefighters in Kyiv on March 27, 2025. Photo: EPA / X</figcaption>"
        b"</figure><p>Russia launched hundreds of drones at Kyiv overnight, the air force said on Sunday morning.</p>"
        b"<p>Firefighters worked through the night to put out blazes in several districts of the capital.</p>"
        b"</article></body></html>"
    )
    doc = parse_document(html, "kyiv.html", ".html")
    assert doc.published is None and "March 27" not in doc.text


def test_local_html_file_is_read_by_the_article_extractor():
    doc = read_path(WEB / "news.html")
    sentences = [s.text for s in split_sentences(doc.text)]
    assert doc.published == date(2025, 9, 5) and doc.title == "Putin warns Western troops in Ukraine would be targets"
    assert len(sentences) == 5 and sentences[0].startswith("Russian President Vladimir Putin said on Friday")
    for junk in (
        "cookies",
        "min read",
        "Photo",
        "Share",
        "Related",
        "nineteenth sanctions",
        "All rights",
        "VLADIVOSTOK",
        "Allies weigh",
    ):
        assert not any(junk in s for s in sentences), junk
    assert doc.meta["author"] == "Anna Petrova" and doc.meta["site_name"] == "The Loopback Herald"


def test_jsonld_and_open_graph_give_the_date_not_the_modified_stamp():
    doc = read_path(WEB / "jsonld.html")
    assert doc.published == date(2025, 9, 7)  # datePublished / article:published_time, not "Updated September 8"
    assert doc.meta["author"] == "Marek Novak" and "Share this article" not in doc.text and "min read" not in doc.text


def test_a_long_source_line_names_a_speaker_and_stays():
    assert not is_removed(
        "Source: Paula Pinho, chief spokesperson for the European Commission, as reported by European Pravda"
    )
    assert is_removed("Source: Oko Hora (@oko_gora / Telegram)")  # a short credit


def test_a_photographers_credit_opens_a_caption():
    assert is_removed("Stephen Brashear / AP / AP Members of the union count votes on a contract offer on Thursday.")
    assert not is_removed("Boeing said on Friday it would resume talks with the union, AP reported.")
