"""--k is bounded on the CLI as on the API (exit 2 over it), and the evidence shown to the model is bounded
by the model's context in tokens, so a large k never overflows it."""

from __future__ import annotations

import re

import pytest

from briefing.answer import ask
from briefing.app import App
from briefing.budget import MAX_K, estimate_tokens
from briefing.errors import InputError
from briefing.llm import LLM
from briefing.settings import Settings
from fakes import FakeBackend, HashEmbedder

QUESTION = "who pledged troops?"


def test_k_over_the_bound_is_input_error(seeded, fake_model):
    with pytest.raises(InputError, match=f"between 0 and {MAX_K}"):
        ask(seeded, QUESTION, k=100_000)
    assert fake_model.requests == []


def test_evidence_shown_to_the_model_fits_its_context(tmp_path):
    from briefing.ingest import ingest_paths
    from conftest import SEEDS

    settings = Settings(data_dir=tmp_path / "data", llm_ctx=1024, gate_min_score=0, generate="always")
    backend = FakeBackend(default="{not json")
    a = App(settings, embedder=HashEmbedder(), llm=LLM(backend, settings))
    ingest_paths(a, [SEEDS])
    result = ask(a, QUESTION, k=MAX_K)
    assert result.mode == "read" and backend.requests  # the model failed: the reader's answer
    messages = backend.requests[0]["messages"][:2]  # system, user (re-asks append to the list)
    shown = re.findall(r"^E\d+: ", messages[1]["content"], re.M)
    assert 0 < len(shown) < MAX_K  # retrieval found more, the context took fewer
    prompt_tokens = sum(estimate_tokens(m["content"]) for m in messages)
    assert prompt_tokens + settings.llm_max_tokens < settings.llm_ctx


def test_cli_k_over_the_bound_exits_2(tmp_path):
    from servers import ingest_stdin, one_line_error, run_briefing

    data = tmp_path / "data"
    ingest_stdin(data, b"Officials said on Monday that twelve drones were shot down over Kyiv.")
    proc = run_briefing(["ask", "drones over Kyiv", "--k", "100000"], data, timeout=120)
    assert proc.returncode == 2 and f"between 0 and {MAX_K}" in one_line_error(proc)
