"""Rendering a Briefing: every section, consistent citation numbers, and hostile article text made inert
(no terminal escapes, no live Markdown images/links, no live HTML)."""

from __future__ import annotations

import os
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from selectolax.lexbor import LexborHTMLParser as SelectolaxParser

from briefing.brief.models import (
    NO_POSITION,
    Briefing,
    Change,
    CitedText,
    Disagreement,
    DocRef,
    KeyFact,
    Position,
    TimelineEvent,
)
from briefing.brief.render import clean, md_escape, render, to_html, to_json, to_markdown, write_atomic
from briefing.errors import InputError
from briefing.models import Citation

EVIL = (
    "<script>alert(1)</script> ![x](http://attacker.example/p.png) [link](javascript:alert(1)) "
    "\x1b[31mRED\x1b[0m <img src=x onerror=alert(2)>"
)


def cit(doc: str, start: int, end: int, quote: str, source: str = "Wire A", ev: str = "E1") -> Citation:
    return Citation(
        evidence_id=ev,
        doc_id=doc,
        source=source,
        title=f"Title of {doc}",
        published="2025-09-04",
        quote=quote,
        start=start,
        end=end,
    )


C1 = cit("d1", 0, 40, "Moscow said the talks would resume on Monday.")
C1_AGAIN = cit("d1", 0, 40, "Moscow said the talks would resume on Monday.", ev="E7")  # same passage, other evidence id
C2 = cit("d2", 10, 60, "Kyiv rejected the proposal as a stalling tactic.", source="Outlet B")
C3 = cit("d3", 5, 200, EVIL, source="Evil \x1b]0;pwned\x07Daily")
C4 = cit("d2", 100, 140, "At least 12 people were killed, officials said.", source="Outlet B")


@pytest.fixture
def brief() -> Briefing:
    return Briefing(
        date=date(2025, 9, 5),
        window_days=7,
        actors=["Russia", "Ukraine", "China"],
        headline=CitedText(text="Talks to resume as Kyiv balks", citations=[C1, C2], mode="generated"),
        summary=[
            CitedText(text="Russia said talks would resume Monday.", citations=[C1_AGAIN], mode="generated"),
            CitedText(text=EVIL, citations=[C3], mode="extractive"),
        ],
        documents=[
            DocRef(
                doc_id="d1",
                title="Talks to resume",
                source="Wire A",
                published="2025-09-04",
                also_reported_by=["Wire C"],
            ),
            DocRef(doc_id="d2", title="Kyiv says no", source="Outlet B", published=None),
            DocRef(doc_id="d3", title=f"Hostile {EVIL}", source="Evil Daily", published="2025-09-03"),
        ],
        positions=[
            Position(
                actor="Russia",
                has_position=True,
                stance=CitedText(text="Wants talks on its terms.", citations=[C1], mode="generated"),
                key_points=[CitedText(text="Talks resume Monday.", citations=[C1], mode="generated")],
            ),
            Position(
                actor="Ukraine",
                has_position=True,
                stance=CitedText(text="Kyiv rejected the proposal as a stalling tactic.", citations=[C2]),
                key_points=[CitedText(text=EVIL, citations=[C3])],
            ),
            Position(actor="China", has_position=False, stance=CitedText(text=NO_POSITION)),
        ],
        key_facts=[KeyFact(text="At least 12 people were killed.", citations=[C4], mode="generated")],
        disagreements=[
            Disagreement(
                topic="Death toll",
                sides=[
                    CitedText(text="At least 12 killed.", citations=[C4], mode="generated"),
                    CitedText(text="Moscow reported no casualties.", citations=[C1], mode="generated"),
                ],
            )
        ],
        timeline=[
            TimelineEvent(
                date=date(2025, 9, 8), relative="on Monday", text="Talks resume.", citations=[C1], mode="generated"
            ),
            TimelineEvent(date=date(2025, 9, 3), text="Strike on the city.", citations=[C4], mode="generated"),
        ],
        changes=[
            Change(
                actor="Russia",
                since=date(2025, 9, 4),
                added=[CitedText(text="Now names a date.", citations=[C1], mode="generated")],
                dropped=["Refused <b>all</b> talks"],
            ),
            Change(actor="China", since=date(2025, 9, 4), unchanged=True),
        ],
        model="fake-model",
    )


# --- markdown ---------------------------------------------------------------------------------------------------


def test_markdown_has_every_section_in_order(brief):
    md = to_markdown(brief)
    heads = [ln for ln in md.splitlines() if ln.startswith("#")]
    assert heads[0].startswith("# Brief — 2025-09-05: Talks to resume as Kyiv balks [1][2]")
    assert [h for h in heads if h.startswith("## ")] == [
        "## Summary",
        "## Positions",
        "## Key facts",
        "## Where the sources disagree",
        "## Timeline",
        "## Changes since 2025-09-04",
        "## Sources",
        "## Quotes",
    ]
    assert "### Russia" in heads and "### Ukraine" in heads and "### China" in heads
    lines = md.splitlines()
    assert lines[2].startswith("7-day window ending 2025-09-05 · 3 sources")
    assert "quotation marks" in lines[4] and "verbatim" in lines[4] and "(model's wording)" in lines[4]


def test_markdown_numbers_citations_once_in_order_of_appearance(brief):
    md = to_markdown(brief)
    quotes = md.split("## Quotes", 1)[1]
    notes = re.findall(r"^\[(\d+)\] “", quotes, flags=re.M)
    assert notes == ["1", "2", "3", "4"]  # C1 and C1_AGAIN share a number; d2 at two offsets does not
    assert "[1] “Moscow said the talks would resume on Monday.” — Wire A, 2025-09-04 (chars 0-40)" in quotes
    assert "[2] “Kyiv rejected the proposal as a stalling tactic.” — Outlet B, 2025-09-04 (chars 10-60)" in quotes
    body = md.split("## Quotes", 1)[0]
    assert "Russia said talks would resume Monday. [1] (model's wording)\n" in body  # C1_AGAIN reuses [1]
    assert "Stance: Wants talks on its terms. [1]" in body
    assert "- At least 12 people were killed. [4]" in body
    assert "“Kyiv rejected the proposal as a stalling tactic.” [2]" in body  # quoted: in quotation marks, once
    assert "(quoted)" not in md
    assert set(re.findall(r"\[(\d+)\]", body)) == {"1", "2", "3", "4"}


def test_markdown_positions_timeline_changes(brief):
    md = to_markdown(brief)
    assert f"*{NO_POSITION}*\n" in md  # italic, and not in quotation marks: it quotes nothing
    tl = md.split("## Timeline", 1)[1].split("##", 1)[0]
    assert tl.index("2025-09-03") < tl.index("2025-09-08")  # chronological
    assert "- 2025-09-08 (“on Monday”) — Talks resume. [1]" in tl
    ch = md.split("## Changes since", 1)[1].split("## Sources", 1)[0]
    assert "new: Now names a date. [1]" in ch and "no longer stated: Refused \\<b\\>all\\</b\\> talks" in ch
    assert "**China**: no change." in ch
    assert "- Talks to resume — Wire A, 2025-09-04 · also reported by Wire C" in md
    assert "Kyiv says no — Outlet B, date unknown" in md


def test_markdown_has_no_changes_section_without_changes(brief):
    assert "## Changes" not in to_markdown(brief.model_copy(update={"changes": []}))


def test_markdown_neutralises_hostile_text(brief):
    md = to_markdown(brief)
    assert "\x1b" not in md and "\x07" not in md
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", md)
    assert "RED" in md and "pwned" not in md  # the OSC title sequence is gone with its payload
    assert "![" not in md and "](" not in md  # no image or inline-link syntax survives
    assert not re.search(r"(?<!\\)<(script|img)", md)  # no raw HTML
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in md
    assert "\\!\\[x\\]\\(http\\://attacker.example/p.png\\)" in md


def test_md_escape_rules():
    assert md_escape("# Title") == "\\# Title"
    assert md_escape("1. item") == "1\\. item"
    assert md_escape("a\nb\r\n# c") == "a b # c"  # one line: no heading/list/quote can start inside
    assert md_escape("x \\[y]") == "x \\\\\\[y\\]"  # a backslash cannot undo an escape
    assert md_escape("see www.example.org") == "see www\\.example.org"
    assert md_escape("snake_case *bold* `code`") == "snake\\_case \\*bold\\* \\`code\\`"
    assert md_escape("Plain sentence, 12 killed.") == "Plain sentence, 12 killed."
    assert clean("a\x1b[1;31mb\x1b[0mc\x00d\u202ee\tf\ng") == "abcde f\ng"


# --- HTML -------------------------------------------------------------------------------------------------------

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "source", "area", "base", "col", "embed", "param", "track"}


class _Balance(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_html_is_balanced_and_self_contained(brief):
    page = to_html(brief)
    assert page.startswith("<!DOCTYPE html>")
    p = _Balance()
    p.feed(page)
    p.close()
    assert p.errors == [] and p.stack == []
    tags = {t for t, _ in p.tags}
    assert not tags & {"script", "img", "link", "iframe", "object", "embed", "svg", "form", "base", "video", "audio"}
    for tag, attrs in p.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "srcset", "action", "xlink:href"}:
                assert value.startswith("#"), (tag, name, value)  # only in-page links
    assert "url(" not in page and "@import" not in page and "@font-face" not in page
    assert "Content-Security-Policy" in page


def test_html_escapes_hostile_text(brief):
    page = to_html(brief)
    low = page.lower()
    assert "<script" not in low and "<img" not in low
    assert not re.search(r"""(href|src)\s*=\s*["']?[^"'>]*attacker\.example""", low)
    assert "javascript:" not in re.findall(r'href="([^"]*)"', low)
    assert "\x1b" not in page and "\x07" not in page and "pwned" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "![x](http://attacker.example/p.png)" in page  # shown as text
    tree = SelectolaxParser(page)
    assert tree.css("script") == [] and tree.css("img") == []
    assert "<script>alert(1)</script>" in tree.css_first("#quotes").text()  # readable text for the reader


def test_html_markers_link_to_footnotes_and_back(brief):
    page = to_html(brief)
    tree = SelectolaxParser(page)
    ids = {n.attributes["id"] for n in tree.css("[id]")}
    hrefs = [n.attributes["href"] for n in tree.css("a[href]")]
    assert hrefs and all(h.startswith("#") and h[1:] in ids for h in hrefs)
    notes = tree.css("#quotes li")
    assert [n.attributes["id"] for n in notes] == ["q1", "q2", "q3", "q4"]
    assert all(n.css_first("blockquote") is not None for n in notes)
    assert '<sup><a href="#q1" id="r1-1">[1]</a></sup>' in page
    markers = [a.attributes["id"] for a in tree.css("sup a")]
    assert len(markers) == len(set(markers))  # each occurrence has its own id
    back = {a.attributes["href"] for a in tree.css("#q1 a.back")}
    assert back == {f"#{m}" for m in markers if m.startswith("r1-")}
    for section in [
        "Summary",
        "Positions",
        "Key facts",
        "Where the sources disagree",
        "Timeline",
        "Changes since 2025-09-04",
        "Sources",
        "Quotes",
    ]:
        assert f"<h2>{section}</h2>" in page
    assert "<q>" in page and NO_POSITION in page and "(quoted)" not in page


# --- JSON, render, write_atomic ----------------------------------------------------------------------------------


def test_json_round_trips(brief):
    text = to_json(brief)
    assert "\x1b" not in text  # JSON escapes it
    assert Briefing.model_validate_json(text) == brief
    assert render(brief, "json") == text


def test_render_dispatch(brief):
    assert render(brief, "md") == to_markdown(brief)
    assert render(brief, "html") == to_html(brief)
    with pytest.raises(InputError) as e:
        render(brief, "pdf")
    assert "pdf" in e.value.message and "md, json or html" in e.value.one_line()


def test_write_atomic_writes_and_replaces(tmp_path):
    target = tmp_path / "brief.md"
    write_atomic(target, "first\n")
    assert target.read_text(encoding="utf-8") == "first\n"
    write_atomic(target, "second — ünïcode\n")
    assert target.read_text(encoding="utf-8") == "second — ünïcode\n"
    assert os.listdir(tmp_path) == ["brief.md"]  # no temp file left behind


def test_write_atomic_keeps_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "brief.md"
    target.write_text("old")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(InputError):
        write_atomic(target, "new")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["brief.md"]


def test_write_atomic_missing_folder(tmp_path):
    with pytest.raises(InputError) as e:
        write_atomic(tmp_path / "nope" / "brief.md", "x")
    line = e.value.one_line()
    assert "does not exist" in line and "\n" not in line
    assert not (tmp_path / "nope").exists()
