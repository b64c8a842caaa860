from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.app import App
from briefing.llm import LLM
from briefing.settings import Settings
from fakes import FakeBackend, HashEmbedder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", generate="always")  # the fake model's path


@pytest.fixture
def fake_model() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def app(settings, fake_model) -> App:
    """An App on a fresh store with the hash embedder and the fake model."""
    a = App(settings, embedder=HashEmbedder(), llm=LLM(fake_model, settings, log=lambda *args: a.store.log_call(*args)))
    return a


@pytest.fixture
def seeded(app) -> App:
    from briefing.ingest import ingest_paths

    ingest_paths(app, [SEEDS])
    return app


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst


@pytest.fixture(scope="module")
def stub():
    """A loopback model server whose behaviour each test sets (test_faults.Stub): one per test module."""
    from test_faults import Stub

    s = Stub()
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()
