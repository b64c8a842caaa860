"""One sanitiser for everything printed to a terminal (ask, docs, brief, logs, errors): no ANSI escapes,
control characters or bidi overrides; invalid Unicode in a question or on stdin is exit 2 / HTTP 400."""

from __future__ import annotations

import json

from briefing.answer import ask
from briefing.ingest import ingest_bytes
from briefing.render import answer_text, docs_table
from briefing.safe import clean, json_dumps

RLO, LRI, ESC = "\u202e", "\u2066", "\x1b"
HOSTILE = (
    f"Officials said on Monday that {RLO}twelve{LRI} drones were shot down over Kyiv {ESC}[31mred{ESC}[0m "
    f"and {ESC}]0;title\x07 more\x9b2J."
)
UNSAFE = [RLO, LRI, ESC, "\x07", "\x9b"]


def assert_safe(text: str) -> None:
    for ch in UNSAFE:
        assert ch not in text, repr(ch)


def test_clean_removes_escapes_controls_and_bidi():
    out = clean(HOSTILE + "\u200f\u061c\ud800")
    assert_safe(out) and "\u200f" not in out and "\u061c" not in out and "\ud800" not in out
    assert "twelve" in out and "drones" in out and "red" in out


def test_json_output_escapes_bidi_but_keeps_the_value():
    text = json_dumps({"t": HOSTILE})
    assert_safe(text)
    assert json.loads(text)["t"] == HOSTILE


def test_ask_and_docs_output_are_sanitised(app, fake_model):
    meta = f"---\ntitle: Drones {RLO}over{LRI} Kyiv\nsource: wire {RLO}service\n---\n"
    ingest_bytes(app, (meta + HOSTILE).encode(), "hostile.md")
    fake_model.default = "{not json"
    app.settings.gate_min_score = 0
    result = ask(app, "how many drones were shot down over Kyiv?", k=3)
    shown = result.citations + result.closest  # an answer's quotes, or an abstention's closest evidence
    assert shown and any(RLO in c.quote for c in shown)  # stored exactly as written
    assert_safe(answer_text(result))
    assert_safe(docs_table([dict(r) for r in app.store.documents()]))


def test_cli_ask_and_docs_print_no_bidi_or_escape(tmp_path):
    from servers import run_briefing

    data = tmp_path / "data"
    meta = f"---\ntitle: Drones {RLO}over{LRI} Kyiv\n---\n"
    proc = run_briefing(["ingest", "-"], data, timeout=300, stdin=(meta + HOSTILE).encode())
    assert proc.returncode == 0, proc.stderr
    for args in (
        ["docs"],
        ["docs", "--json"],
        ["ask", "how many drones over Kyiv?"],
        ["ask", "--json", "how many drones over Kyiv?"],
    ):
        proc = run_briefing(
            args,
            data,
            timeout=300,
            BRIEFING_GATE_MIN_SCORE="0",
            BRIEFING_LLM_BASE_URL="http://127.0.0.1:9/v1",
            BRIEFING_LLM_HTTP_RETRIES="0",
        )
        out = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
        assert_safe(out)


def test_invalid_utf8_question_and_stdin_exit_2(tmp_path):
    import subprocess

    from servers import briefing_cmd, briefing_env, one_line_error, run_briefing

    data = tmp_path / "data"
    assert run_briefing(["ingest", "-"], data, timeout=300, stdin=HOSTILE.encode()).returncode == 0
    proc = subprocess.run(
        [*briefing_cmd("ask"), b"drones \xff over Kyiv"], capture_output=True, env=briefing_env(data), timeout=120
    )
    assert proc.returncode == 2 and "not valid UTF-8" in one_line_error(proc)
    proc = run_briefing(["ask", "-"], data, timeout=120, stdin=b"drones \xff\xfe over Kyiv")
    assert proc.returncode == 2 and "stdin is not UTF-8" in one_line_error(proc)


def test_http_lone_surrogate_is_400(tmp_path):
    from test_service import make_app, serving

    with serving(make_app(tmp_path / "data")) as c:
        body = b'{"question": "drones \\ud800 over Kyiv"}'
        r = c.post("/v1/ask", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and "not valid UTF-8" in r.json()["error"], r.text
        r = c.post(
            "/v1/documents",
            content=b'{"text": "Officials said \\udc00 that twelve drones fell over Kyiv."}',
            headers={"Content-Type": "application/json"},
        )
        assert r.status_code == 422 and "surrogate" in r.json()["error"], r.text  # refused by the JSON parser
        r = c.post("/v1/briefs", content=b'{"actors": ["Russia\\ud800"]}', headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and "not valid Unicode" in r.json()["error"], r.text
