"""Front matter is read with a safe, bounded loader: an alias bomb is refused at once (CLI and HTTP), and
every metadata value stored is a bounded string."""

from __future__ import annotations

import json
import time

import pytest

from briefing.documents import parse_document
from briefing.errors import InputError
from briefing.front_matter import MAX_HEADER_BYTES, MAX_VALUE_CHARS

BODY = "Russian President Vladimir Putin said on Friday that foreign troops would be targets.\n"


def alias_bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{','.join('*' + prev for _ in range(9))}]")
    return "---\ntitle: Bomb\n" + "\n".join(lines) + "\n---\n" + BODY


def test_an_alias_bomb_is_refused_quickly():
    start = time.perf_counter()
    with pytest.raises(InputError, match="anchors or aliases"):
        parse_document(alias_bomb().encode(), "bomb.md", ".md")
    assert time.perf_counter() - start < 1


def test_a_single_alias_is_refused_too():
    text = "---\ntitle: &t Hello\nsource: *t\n---\n" + BODY
    with pytest.raises(InputError, match="anchors or aliases"):
        parse_document(text.encode(), "alias.md", ".md")


def test_an_oversized_header_is_refused():
    text = "---\ntitle: T\nnote: " + "x" * (MAX_HEADER_BYTES + 10) + "\n---\n" + BODY
    with pytest.raises(InputError, match="front matter is longer"):
        parse_document(text.encode(), "big.md", ".md")


def test_metadata_values_are_bounded_strings():
    text = (
        "---\ntitle: " + "T" * 5000 + "\nsource: Wire\npublished: 2025-09-05\ntags: [a, b]\n"
        "nested: {x: {y: " + "z" * 3000 + "}}\n---\n" + BODY
    )
    doc = parse_document(text.encode(), "meta.md", ".md")
    assert len(doc.title) <= MAX_VALUE_CHARS and doc.source == "Wire" and str(doc.published) == "2025-09-05"
    assert all(isinstance(v, str) and len(v) <= MAX_VALUE_CHARS for v in doc.meta.values())
    assert set(doc.meta) == {"tags", "nested"}


def test_cli_refuses_the_bomb_with_exit_2_and_stores_nothing(tmp_path):
    from servers import run_briefing

    f = tmp_path / "bomb.md"
    f.write_text(alias_bomb())
    ok = tmp_path / "ok.md"
    ok.write_text("---\ntitle: Fine\n---\n" + BODY)
    data = tmp_path / "data"
    proc = run_briefing(["ingest", str(f), str(ok)], data, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "anchors or aliases" in proc.stderr.decode()
    import sqlite3

    with sqlite3.connect(data / "store.sqlite") as db:
        assert db.execute("SELECT max(length(meta)) FROM documents").fetchone()[0] < 1000
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_http_upload_of_the_bomb_is_a_quick_422(tmp_path):
    from test_service import make_app, serving

    with serving(make_app(tmp_path / "data")) as c:
        start = time.perf_counter()
        r = c.post("/v1/documents", files={"file": ("bomb.md", alias_bomb().encode(), "text/markdown")})
        assert r.status_code == 422 and "anchors or aliases" in r.json()["error"]
        assert time.perf_counter() - start < 10
        r = c.post("/v1/documents", json={"text": alias_bomb(), "name": "bomb.md"})
        assert r.status_code == 422 and "anchors or aliases" in json.dumps(r.json())
