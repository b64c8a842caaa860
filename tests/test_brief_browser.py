"""The HTML brief in a real browser (headless Chromium, Debian's `chromium` package; `make browser` installs it):
every footnote link resolves, each source links to its article, and nothing from an article runs as script."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from briefing.brief.build import build_brief
from briefing.brief.render import to_html
from briefing.ingest import ingest_paths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make browser)")

HOSTILE = (
    "Kremlin spokesman Dmitry Peskov said on Wednesday that Moscow rejects the plan "
    '<script>document.body.setAttribute("data-pwned", "script")</script> outright.\n\n'
    "Peskov said the proposal was <img src=x onerror=\"document.title='PWNED'\"> a provocation.\n\n"
    "Ukrainian President Volodymyr Zelenskyy said on Wednesday that Kyiv needs 40 more air defence systems.\n"
)


def dump_dom(page, tmp_path) -> str:
    out = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=3000",  # let any script that got in run before the DOM is dumped
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr.decode(errors="replace")[-2000:]
    return out.stdout.decode()


def test_brief_page_in_chromium(app, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "kremlin.md").write_text(
        "---\ntitle: Kremlin rejects plan\nsource: Test Wire\npublished: 2025-10-01\n"
        "url: https://wire.example/kremlin-rejects-plan\n---\n" + HOSTILE
    )
    (folder / "local.txt").write_text(
        "Ukrainian President Volodymyr Zelenskyy said on Wednesday that the partners must deliver before winter.\n"
    )
    ingest_paths(app, [folder])
    b = build_brief(app, date(2025, 10, 1), 1, ["Russia", "Ukraine"])
    page = tmp_path / "brief.html"
    page.write_text(to_html(b), encoding="utf-8")
    assert "<script>" in HOSTILE and "&lt;script&gt;" in page.read_text()  # the article's markup is in the brief

    dom = HTMLParser(dump_dom(page, tmp_path))
    assert dom.css("script") == [] and dom.css("img") == []  # nothing from an article became an element
    body = dom.css_first("body")
    assert "data-pwned" not in body.attributes and dom.css_first("title").text() != "PWNED"

    ids = {n.attributes["id"] for n in dom.css("[id]")}
    anchors = [a.attributes["href"] for a in dom.css('a[href^="#"]')]
    assert anchors and all(h[1:] in ids for h in anchors)  # every footnote marker and back-link resolves
    notes = dom.css("#quotes li")
    assert len(notes) == len({h for h in anchors if h.startswith("#q")})
    external = {a.attributes["href"] for a in dom.css("#sources a, #quotes .cite a")}
    assert "https://wire.example/kremlin-rejects-plan" in external  # the article's URL
    assert any(h.startswith("file://") and h.endswith("local.txt") for h in external)  # a file without a URL
    assert all(a.attributes.get("rel") == "noopener noreferrer" for a in dom.css('a[href^="http"]'))
