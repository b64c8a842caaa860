"""The remote path for real: llama.cpp's HTTP server (tests/model_server.py, the embedded SmolLM2
GGUF) on loopback, reached through the openai client with BRIEFING_LLM_BASE_URL — answers and
briefs are as valid as with the embedded model, and the log names the remote model."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import SEEDS
from servers import HOST, assert_exact_quotes, free_port, ingested_data_dir, run_briefing, server_process

pytestmark = pytest.mark.e2e

ALIAS = "smollm2-remote"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    d = tmp_path_factory.mktemp("model-server")
    port = free_port()
    cmd = [sys.executable, str(Path(__file__).with_name("model_server.py")), "--port", str(port), "--alias", ALIAS]
    with server_process(cmd, f"http://{HOST}:{port}/health", d / "server.log", timeout=300):
        yield f"http://{HOST}:{port}/v1"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return ingested_data_dir(tmp_path_factory, "data", SEEDS)


def remote(args, data, endpoint):
    return run_briefing(
        args, data, timeout=1800, BRIEFING_LLM_BASE_URL=endpoint, BRIEFING_LLM_MODEL=ALIAS, BRIEFING_LLM_TIMEOUT_S="600"
    )  # a 2-CPU machine, shared


def test_the_server_serves_the_model_under_its_alias(endpoint):
    import urllib.request

    with urllib.request.urlopen(f"{endpoint}/models", timeout=10) as resp:
        models = json.loads(resp.read())
    assert ALIAS in [m["id"] for m in models["data"]]


def test_ask_through_the_model_server(data, endpoint):
    proc = remote(["ask", "who pledged troops?", "--json"], data, endpoint)
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout)
    # a model server is set, so BRIEFING_GENERATE=auto asks it; an answer failing the checks falls back to the reader
    assert r["answerable"] and r["mode"] in ("generated", "read")
    assert r["model"] == ALIAS and r["attempts"] >= 1 and r["prompt_tokens"] > 0
    assert_exact_quotes(data, r["citations"])
    if r["mode"] == "read":
        assert any("26 of Ukraine’s allies had pledged to deploy troops" in c["quote"] for c in r["citations"])


def test_brief_through_the_model_server(data, endpoint):
    # One actor keeps this to one model call (its position's wording); test_e2e covers the four-actor brief.
    proc = remote(["brief", "--date", "2025-09-05", "--actors", "Russia", "--format", "json"], data, endpoint)
    assert proc.returncode == 0, proc.stderr.decode()
    b = json.loads(proc.stdout)
    assert b["model"] == ALIAS and b["llm_calls"] >= 1
    assert [p["actor"] for p in b["positions"]] == ["Russia"] and b["positions"][0]["has_position"]
    every = [b["headline"]] + b["summary"] + b["key_facts"] + b["timeline"]
    every += [p["stance"] for p in b["positions"]] + [k for p in b["positions"] for k in p["key_points"]]
    for item in every:
        assert item["mode"] in ("generated", "extractive")
        assert_exact_quotes(data, item["citations"])
    listed = json.loads(run_briefing(["briefs", "list", "--json"], data).stdout)
    assert [r["date"] for r in listed] == ["2025-09-05"]


def test_logs_name_the_remote_model(data, endpoint):
    rows = json.loads(run_briefing(["logs", "--json", "--limit", "100"], data).stdout)
    assert rows and {r["model"] for r in rows} == {ALIAS}
    assert {"answer", "position"} <= {r["task"] for r in rows}  # a brief's model calls word its positions
    assert all(r["prompt_hash"] and r["attempts"] >= 1 and r["prompt_tokens"] for r in rows)
    human = run_briefing(["logs"], data).stdout.decode()
    assert ALIAS in human and "(embedded)" not in human
