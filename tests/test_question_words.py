"""A question with no content word (punctuation, emoji, stop words) is bad input: exit 2 / HTTP 400 with a
hint, and neither retrieval nor the model runs."""

from __future__ import annotations

import pytest

from briefing.answer import ask
from briefing.errors import InputError

EMPTY_OF_MEANING = ["?!?", "🤔🔥", "the of and", "... --- ;;", "Who?"]


@pytest.mark.parametrize("question", EMPTY_OF_MEANING)
def test_no_content_word_is_input_error(seeded, fake_model, question):
    with pytest.raises(InputError, match="no word to search for") as err:
        ask(seeded, question)
    assert err.value.exit_code == 2 and "e.g." in err.value.hint
    assert fake_model.requests == []


def test_a_real_question_still_passes_the_check(seeded, fake_model):
    fake_model.default = "{not json"
    assert ask(seeded, "who pledged troops?").mode in {"read", "generated", "abstained"}


def test_http_400_with_a_hint(tmp_path):
    from test_service import make_app, serving

    with serving(make_app(tmp_path / "data")) as c:
        for q in EMPTY_OF_MEANING[:3]:
            r = c.post("/v1/ask", json={"question": q})
            assert r.status_code == 400 and "no word to search for" in r.json()["error"] and r.json()["hint"], r.text


def test_cli_exit_2_with_one_line(tmp_path):
    from servers import ingest_stdin, one_line_error, run_briefing

    data = tmp_path / "data"
    ingest_stdin(data, b"Officials said on Monday that twelve drones were shot down over Kyiv.")
    proc = run_briefing(["ask", "?!?"], data, timeout=120)
    assert proc.returncode == 2 and "no word to search for" in one_line_error(proc)
