"""A misbehaving OpenAI-compatible endpoint on loopback: every failure ends in one clear line and
the documented exit code, the number of requests is exactly what the settings allow, the API key
and the prompt never leak, and a failed brief saves nothing."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ROOT, SEEDS
from servers import HOST, ingested_data_dir, one_line_error, run_briefing

SECRET = "sk-test-SECRET"
QUESTION = "who pledged troops?"  # passes the answerability gate, so the model is asked
TIMEOUT_S = 1.5
RETRIES = 2
MAX_ATTEMPTS = 2
SYSTEM_PROMPT = (ROOT / "briefing" / "prompts" / "answer.md").read_text().split("---user---")[0].strip()


def completion(content: str) -> dict:
    return {
        "id": "stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "stub-model",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


# What the stub answers, per behaviour: (status, headers, body); "slow" stalls past the timeout first,
# "trickle" sends its body a byte at a time, each byte well within the timeout.
BEHAVIOURS = {
    "429": (429, {"Retry-After": "1", "Content-Type": "application/json"}, b'{"error": {"message": "slow down"}}'),
    "500": (500, {"Content-Type": "application/json"}, b'{"error": {"message": "boom"}}'),
    "bad-json": (200, {"Content-Type": "application/json"}, b'{"id": "x", "choices": [{"mess'),
    "html": (200, {"Content-Type": "text/html"}, b"<html><body>Welcome to the proxy</body></html>"),
    "not-a-completion": (200, {"Content-Type": "application/json"}, b'{"status": "ok"}'),
    "never-valid": (
        200,
        {"Content-Type": "application/json"},
        json.dumps(completion(json.dumps({"answer": "E3", "citations": ["E1"]}))).encode(),
    ),
}
BEHAVIOURS["slow"] = BEHAVIOURS["trickle"] = BEHAVIOURS["never-valid"]
TRICKLE_BYTES = 12  # leading blanks (valid JSON), one every TIMEOUT_S / 3: the answer takes 4 x TIMEOUT_S


class Stub:
    """Counts the requests it gets and answers them according to `behaviour`."""

    def __init__(self):
        self.behaviour = "500"
        self.requests: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stub.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                status, headers, payload = BEHAVIOURS[stub.behaviour]
                if stub.behaviour == "slow":
                    time.sleep(TIMEOUT_S * 2.5)  # the client has given up by now
                trickle = TRICKLE_BYTES if stub.behaviour == "trickle" else 0
                try:
                    self.send_response(status)
                    for k, v in {**headers, "Content-Length": str(trickle + len(payload))}.items():
                        self.send_header(k, v)
                    self.end_headers()
                    for _ in range(trickle):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(TIMEOUT_S / 3)
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client hung up (timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{HOST}:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def set(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.requests = []


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return ingested_data_dir(tmp_path_factory, "faults", SEEDS)


def briefing(args, data, stub):
    return run_briefing(
        args,
        data,
        BRIEFING_LLM_BASE_URL=stub.url,
        BRIEFING_LLM_MODEL="stub-model",
        OPENAI_API_KEY=SECRET,
        BRIEFING_LLM_TIMEOUT_S=str(TIMEOUT_S),
        BRIEFING_LLM_HTTP_RETRIES=str(RETRIES),
        BRIEFING_LLM_MAX_ATTEMPTS=str(MAX_ATTEMPTS),
        timeout=120,
    )


def assert_nothing_leaks(proc, data, stub):
    out = proc.stdout.decode() + proc.stderr.decode()
    logs = run_briefing(["logs", "--json"], data).stdout.decode()
    for text in (out, logs):
        assert SECRET not in text
    assert SYSTEM_PROMPT[:60] not in out and "Use ONLY the numbered evidence" not in out
    # ... while the key really was sent to the endpoint
    assert stub.requests and all(r["auth"] == f"Bearer {SECRET}" for r in stub.requests)


@pytest.mark.parametrize(
    "behaviour,needle",
    [
        ("slow", "timed out"),
        ("429", "429"),
        ("500", "HTTP 500"),
        ("bad-json", "unusable"),
        ("html", "unusable"),
        ("not-a-completion", "unusable"),
    ],
)
def test_endpoint_failure_is_one_line_exit_5_with_bounded_requests(stub, data, behaviour, needle):
    stub.set(behaviour)
    start = time.monotonic()
    proc = briefing(["ask", QUESTION], data, stub)
    elapsed = time.monotonic() - start
    line = one_line_error(proc)
    assert proc.returncode == 5, line
    assert needle in line and stub.url in line
    # HTTP-level failures are retried by the openai client (1 + retries); garbage is not retried at all,
    # and an endpoint failure is never re-asked by instructor.
    expected = 1 + RETRIES if behaviour in ("slow", "429", "500") else 1
    assert len(stub.requests) == expected, f"{behaviour}: {len(stub.requests)} requests"
    assert all(r["path"] == "/v1/chat/completions" for r in stub.requests)
    assert proc.stdout == b""
    assert elapsed < 60
    assert_nothing_leaks(proc, data, stub)
    last = json.loads(run_briefing(["logs", "--json", "--limit", "1"], data).stdout)[0]
    assert last["model"] == "stub-model" and not last["ok"] and needle in last["error"]


def test_answer_that_never_validates_falls_back_to_the_reader_after_max_attempts(stub, data):
    stub.set("never-valid")
    proc = briefing(["ask", QUESTION, "--json"], data, stub)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode()
    r = json.loads(proc.stdout)
    assert r["mode"] == "read" and r["answerable"] and r["citations"]
    assert r["attempts"] == MAX_ATTEMPTS == len(stub.requests)
    assert r["model"] == "stub-model"
    # the re-ask tells the model what was wrong
    second = json.loads(stub.requests[1]["body"])
    assert len(second["messages"]) > len(json.loads(stub.requests[0]["body"])["messages"])
    assert_nothing_leaks(proc, data, stub)
    human = briefing(["ask", QUESTION], data, stub)
    assert human.returncode == 0 and "[read from the sources" in human.stdout.decode()
    assert_nothing_leaks(human, data, stub)


def test_failed_brief_exits_5_and_saves_nothing(stub, data):
    stub.set("500")
    proc = briefing(["brief", "--date", "2025-09-05", "--format", "json"], data, stub)
    line = one_line_error(proc)
    assert proc.returncode == 5 and "HTTP 500" in line
    assert len(stub.requests) == 1 + RETRIES  # the first part fails; no further parts are attempted
    assert proc.stdout == b""
    listed = run_briefing(["briefs", "list", "--json"], data)
    assert listed.returncode == 0 and json.loads(listed.stdout) == []
    assert_nothing_leaks(proc, data, stub)


def test_brief_to_a_file_that_fails_leaves_no_file(stub, data, tmp_path):
    stub.set("500")
    out = tmp_path / "brief.json"
    proc = briefing(["brief", "--date", "2025-09-05", "--format", "json", "--out", str(out)], data, stub)
    assert proc.returncode == 5 and not out.exists() and list(tmp_path.iterdir()) == []


def test_an_endpoint_that_trickles_is_cut_off_at_the_timeout(stub, data):
    stub.set("trickle")
    start = time.monotonic()
    proc = briefing(["ask", QUESTION], data, stub)
    assert time.monotonic() - start < 4 * TIMEOUT_S + 15  # process start and retrieval take a few seconds
    assert proc.returncode == 5 and "timed out" in one_line_error(proc)
