"""Each request to a model endpoint has a total deadline: a server that trickles its answer a byte at a
time is cut off at BRIEFING_LLM_TIMEOUT_S (plus a small margin), not held for as long as it likes."""

from __future__ import annotations

import time

import pytest

from briefing.answer import ask
from briefing.app import App
from briefing.errors import ModelError
from briefing.settings import Settings
from conftest import SEEDS
from fakes import HashEmbedder
from test_faults import QUESTION, TIMEOUT_S, TRICKLE_BYTES

MARGIN_S = 1.0


def test_a_trickling_endpoint_is_cut_off_at_the_timeout(stub, tmp_path):
    from briefing.ingest import ingest_paths

    settings = Settings(
        data_dir=tmp_path / "data",
        llm_base_url=stub.url,
        llm_model="stub-model",
        llm_timeout_s=TIMEOUT_S,
        llm_http_retries=0,
        llm_max_attempts=1,
    )
    ingest_paths(App(settings, embedder=HashEmbedder()), [SEEDS])
    a = App(settings, embedder=HashEmbedder())
    a.index  # noqa: B018  (opened before the clock starts)
    stub.set("trickle")
    start = time.monotonic()
    with pytest.raises(ModelError, match="timed out"):
        ask(a, QUESTION)
    elapsed = time.monotonic() - start
    assert TRICKLE_BYTES * TIMEOUT_S / 3 > 2 * TIMEOUT_S  # the trickle alone would take much longer
    assert elapsed < TIMEOUT_S + MARGIN_S, elapsed
    assert len(stub.requests) == 1
