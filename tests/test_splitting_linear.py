"""Sentence splitting is linear in the text (long paragraphs are cut at hard boundaries before pysbd), and a
line over MAX_LINE_CHARS is refused at once with a clear error instead of holding the ingest lock."""

from __future__ import annotations

import time

import pytest

from briefing.documents import MAX_LINE_CHARS, parse_document
from briefing.errors import InputError
from briefing.splitting import WINDOW, pieces, split_sentences
from conftest import SEEDS


def one_line(n: int) -> str:
    para = " ".join((SEEDS / "000_ae75808e823564bb.txt").read_text().split())
    return ((para + " ") * (n // (len(para) + 1) + 1))[:n]


def test_pieces_cover_the_line_and_cut_at_sentence_ends():
    line = one_line(30_000)
    got = pieces(line)
    assert "".join(p for _, p in got) == line and all(line[o : o + len(p)] == p for o, p in got)
    assert all(len(p) <= WINDOW for _, p in got)
    assert all(p.rstrip()[-1] in ".!?\"'”’)" for _, p in got[:-1])  # real sentence ends, not mid-sentence
    assert pieces("x" * (3 * WINDOW)) and all(len(p) <= WINDOW for _, p in pieces("x" * (3 * WINDOW)))


def test_pre_splitting_finds_the_same_sentences(monkeypatch):
    import briefing.splitting as splitting

    line = one_line(20_000)
    cut = [(s.start, s.end) for s in split_sentences(line)]
    monkeypatch.setattr(splitting, "WINDOW", 10**9)  # pysbd on the whole line
    assert [(s.start, s.end) for s in split_sentences(line)] == cut


def test_splitting_a_long_line_is_linear():
    short, long = one_line(MAX_LINE_CHARS // 4), one_line(MAX_LINE_CHARS)
    t0 = time.perf_counter()
    split_sentences(short)
    t_short = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = split_sentences(long)
    t_long = time.perf_counter() - t0
    assert all(long[s.start : s.end] == s.text for s in found) and len(found) > 500
    assert t_long < 20 and t_long / max(t_short, 1e-3) < 8, (t_short, t_long)  # 4x the text, not 16x the time


def test_a_5_mb_single_line_is_refused_at_once():
    data = one_line(4_900_000).encode()
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=f"the limit is {MAX_LINE_CHARS:,}"):
        parse_document(data, "one-line.txt")
    assert time.perf_counter() - t0 < 10


def test_an_attribution_after_a_quoted_question_ends_its_sentence():
    from briefing.splitting import split_sentences

    text = (
        '"Who would negotiate with a government whose leader says he is stepping down?" Mr Ishiba said. '
        "Then he left the podium.\n\nWhat next? He would not say which minister would run the party."
    )
    got = [s.text for s in split_sentences(text)]
    assert got[0].endswith('stepping down?" Mr Ishiba said.')
    assert got[1] == "Then he left the podium."
    assert "What next?" not in got[0]


def test_the_last_line_cut_off_before_its_full_stop_is_a_sentence():
    from briefing.splitting import split_sentences

    text = "Fico met Zelensky\n\nThe two leaders met in Uzhhorod.\n\nFico stated the necessity of territorial changes"
    got = [s.text for s in split_sentences(text)]
    assert got == ["The two leaders met in Uzhhorod.", "Fico stated the necessity of territorial changes"]
