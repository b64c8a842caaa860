"""Credentials in BRIEFING_LLM_BASE_URL never leave the process (CLI errors, 502 bodies, the server log,
`briefing logs`), and the unauthenticated /readyz names no file paths."""

from __future__ import annotations

import json
import logging

from briefing.app import App
from briefing.redact import RedactingFilter, redact, redact_url, without_paths
from briefing.settings import Settings
from conftest import SEEDS
from fakes import HashEmbedder
from servers import one_line_error, run_briefing

PASSWORD = "pw-Zq81xL0"


def secret_url(stub) -> str:
    return stub.url.replace("http://", f"http://analyst:{PASSWORD}@")


def test_redaction_helpers():
    assert PASSWORD not in redact(f"cannot reach http://analyst:{PASSWORD}@host:1/v1 now")
    assert redact_url(f"https://u:{PASSWORD}@h:8/v1?api_key=abc") == "https://***@h:8/v1?api_key=***"
    assert "/srv/data" not in without_paths("cannot open the store at /srv/data/store.sqlite: denied")
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed on %s", (f"http://a:{PASSWORD}@h/v1",), None)
    RedactingFilter().filter(record)
    assert PASSWORD not in record.getMessage()


def test_cli_errors_and_logs_hide_the_password(stub, tmp_path):
    data = tmp_path / "data"
    assert run_briefing(["ingest", str(SEEDS)], data, timeout=600).returncode == 0
    stub.set("500")
    env = dict(BRIEFING_LLM_BASE_URL=secret_url(stub), BRIEFING_LLM_MODEL="stub-model", BRIEFING_LLM_HTTP_RETRIES="0")
    proc = run_briefing(["ask", "who pledged troops?"], data, timeout=120, **env)
    line = one_line_error(proc)
    assert proc.returncode == 5 and "***@" in line and PASSWORD not in line
    assert stub.requests  # the endpoint was really called (with the credentials)
    for args in (["logs"], ["logs", "--json"]):
        out = run_briefing(args, data, timeout=60, **env).stdout.decode()
        assert PASSWORD not in out and out.strip()


def test_502_body_hides_the_password_and_readyz_hides_paths(stub, tmp_path, caplog):
    from briefing.ingest import ingest_paths
    from test_service import QUESTION, serving

    data = tmp_path / "data"
    settings = Settings(data_dir=data, llm_base_url=secret_url(stub), llm_model="stub-model", llm_http_retries=0)
    ingest_paths(App(settings, embedder=HashEmbedder()), [SEEDS])
    stub.set("500")
    with caplog.at_level(logging.INFO), serving(App(settings, embedder=HashEmbedder())) as c:
        r = c.post("/v1/ask", json={"question": QUESTION})
        assert r.status_code == 502 and "***@" in r.text and PASSWORD not in r.text, r.text
    assert PASSWORD not in caplog.text

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "store.sqlite").write_bytes(b"not a database at all" * 10)
    with serving(App(Settings(data_dir=broken), embedder=HashEmbedder())) as c:
        r = c.get("/readyz")
        assert r.status_code == 503 and str(tmp_path) not in r.text and "/" + tmp_path.name not in r.text
        assert json.loads(r.text)["error"]
