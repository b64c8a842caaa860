"""A BRIEFING_CONFIG naming a missing file is bad input (exit 2), not silently ignored."""

from __future__ import annotations

import pytest

from briefing.errors import InputError
from briefing.settings import load_settings


def test_missing_config_file_is_input_error(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(InputError, match="not a file") as err:
        load_settings()
    assert err.value.exit_code == 2


def test_an_existing_config_file_is_read(tmp_path, monkeypatch):
    f = tmp_path / "briefing.toml"
    f.write_text("k = 9\n")
    monkeypatch.setenv("BRIEFING_CONFIG", str(f))
    monkeypatch.delenv("BRIEFING_K", raising=False)
    assert load_settings().k == 9


def test_cli_exit_2(tmp_path):
    from servers import one_line_error, run_briefing

    proc = run_briefing(["docs"], tmp_path / "data", timeout=120, BRIEFING_CONFIG=str(tmp_path / "missing.toml"))
    assert proc.returncode == 2 and "BRIEFING_CONFIG" in one_line_error(proc)
