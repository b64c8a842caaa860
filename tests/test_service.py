"""The HTTP service on a real uvicorn server (loopback, free port, background thread) with the fake
model and the hash embedder: every route, SSE order, auth, bounds, concurrency, error mapping."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from briefing.app import App
from briefing.brief.models import Briefing
from briefing.errors import ModelError
from briefing.llm import LLM
from briefing.models import AskResult
from briefing.service import create_app
from briefing.service.state import ThreadStores
from briefing.settings import Settings
from fakes import FakeBackend, HashEmbedder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
QUESTION = "Who pledged to deploy troops as a reassurance force?"
TOKEN = "tok-3f9c2d7a1b5e48e0a6c4"
MAX_BYTES = 200_000


class BlockingBackend(FakeBackend):
    """Every model call fails validation (→ extractive); while `hold` is set, calls wait on it."""

    def __init__(self):
        super().__init__(default="{not json")
        self.hold: threading.Event | None = None
        self.entered = threading.Event()

    def create(self, **request):
        if self.hold is not None:
            self.entered.set()
            self.hold.wait(20)
        return super().create(**request)


class BrokenEmbedder(HashEmbedder):
    def embed(self, texts):
        raise RuntimeError(f"boom {TOKEN}")


def make_app(data_dir: Path, backend=None, embedder=None, **overrides) -> App:
    settings = Settings(data_dir=data_dir, max_request_bytes=MAX_BYTES, **overrides)
    stores = ThreadStores(settings)
    llm = LLM(backend or FakeBackend(default="{not json"), settings, log=stores.log_call)
    return App(settings, embedder=embedder or HashEmbedder(), llm=llm, store=stores)


@contextmanager
def serving(app: App):
    """A real uvicorn server on a free loopback port, in a thread; yields an httpx client for it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(app=app), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    from briefing.ingest import ingest_paths

    d = tmp_path_factory.mktemp("service") / "data"
    ingest_paths(make_app(d), [SEEDS])
    return d


@pytest.fixture(scope="module")
def client(data_dir):
    with serving(make_app(data_dir)) as c:
        yield c


def events(response: httpx.Response) -> list[tuple[str, object]]:
    out, name = [], None
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            out.append((name, json.loads(line[6:])))
    return out


def assert_error(r: httpx.Response, status: int, *words: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) >= {"error", "hint"} and body["error"]
    for w in words:
        assert w in body["error"], body
    assert "Traceback" not in r.text
    return body


# --- health, docs -------------------------------------------------------------------------------------
def test_health_ready_and_openapi(client):
    assert client.get("/healthz").json() == {"ok": True}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True and ready.json()["documents"] >= 3
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/ask", "/v1/briefs", "/v1/briefs/{date}", "/v1/documents", "/healthz", "/readyz"} <= set(paths)
    assert {"get", "post"} <= set(paths["/v1/documents"])
    assert {"application/json", "multipart/form-data"} <= set(paths["/v1/documents"]["post"]["requestBody"]["content"])
    assert client.get("/docs").status_code == 200


def test_readyz_is_503_with_the_reason_when_the_store_cannot_open(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with serving(make_app(blocker)) as c:
        assert c.get("/healthz").status_code == 200
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json()["ready"] is False and "not a folder" in r.json()["error"]
        assert_error(c.get("/v1/briefs/2025-09-07"), 503, "not a folder")


# --- documents ------------------------------------------------------------------------------------------
def test_ingest_json_with_front_matter_fields_then_list(client):
    doc = {
        "text": "Kyiv: Officials said on Monday that 12 drones were shot down over the capital overnight.",
        "name": "drones.txt",
        "title": "Drones over Kyiv",
        "source": "Example Wire",
        "published": "2025-09-08",
    }
    r = client.post("/v1/documents", json=doc)
    assert r.status_code == 200, r.text
    added = r.json()["added"]
    assert [(a["title"], a["source"], a["published"]) for a in added] == [
        ("Drones over Kyiv", "Example Wire", "2025-09-08")
    ]
    again = client.post("/v1/documents", json=doc).json()
    assert again["added"] == [] and again["unchanged"] == ["Example Wire"]
    listed = {d["id"]: d for d in client.get("/v1/documents").json()}
    assert listed[added[0]["id"]]["title"] == "Drones over Kyiv" and listed[added[0]["id"]]["sentences"] == 1


def test_ingest_multipart_upload_of_several_files(client):
    files = [
        (
            "file",
            (
                "a.md",
                b"---\ntitle: Grain deal\npublished: 2025-09-04\n---\nAnkara: Turkey said on Thursday that grain "
                b"ships will sail again from Odesa.\n",
            ),
        ),
        (
            "file",
            (
                "b.html",
                b"<html><body><article><h1>Power cuts</h1><p>Kharkiv: Strikes on Friday cut power to 40,000 homes "
                b"in the region.</p></article></body></html>",
            ),
        ),
    ]
    r = client.post("/v1/documents", files=files)
    assert r.status_code == 200, r.text
    assert sorted(a["title"] for a in r.json()["added"]) == ["Grain deal", "Power cuts"]
    sources = {d["source"] for d in client.get("/v1/documents").json()}
    assert {"a.md", "b.html"} <= sources


def test_ingest_rejections_are_4xx_with_the_report(client):
    body = assert_error(
        client.post("/v1/documents", files={"file": ("scan.pdf", b"%PDF-1.4\x00\x00")}), 422, "unsupported file type"
    )
    assert body["report"]["rejected"]
    assert_error(client.post("/v1/documents", json={"text": "\x00\x01"}), 422, "nothing ingested")
    assert_error(client.post("/v1/documents", json={"name": "x.txt"}), 422, "text")
    assert_error(client.post("/v1/documents", content=b"hello", headers={"content-type": "text/plain"}), 415)
    no_files = b'--XyZ\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--XyZ--\r\n'
    assert_error(
        client.post("/v1/documents", content=no_files, headers={"content-type": "multipart/form-data; boundary=XyZ"}),
        400,
        "no files",
    )


# --- ask ----------------------------------------------------------------------------------------------
def test_ask_returns_the_cli_json(client):
    r = client.post("/v1/ask", json={"question": QUESTION})
    assert r.status_code == 200, r.text
    result = AskResult.model_validate(r.json())
    assert result.answerable and result.mode == "extractive" and result.citations
    assert any("26 of Ukraine" in c.quote for c in result.citations)
    none = AskResult.model_validate(client.post("/v1/ask", json={"question": QUESTION, "until": "2025-01-01"}).json())
    assert none.mode == "abstained"


@pytest.mark.parametrize("how", ["body", "accept"])
def test_ask_streams_evidence_then_answer_then_done(client, how):
    kwargs = (
        {"json": {"question": QUESTION, "stream": True}}
        if how == "body"
        else {"json": {"question": QUESTION}, "headers": {"Accept": "text/event-stream"}}
    )
    with client.stream("POST", "/v1/ask", **kwargs) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        got = events(r)
    assert [name for name, _ in got] == ["evidence", "answer", "done"]
    evidence, answer = got[0][1], AskResult.model_validate(got[1][1])
    assert evidence and {"id", "doc_id", "text", "start", "end", "score"} <= set(evidence[0])
    assert {c.evidence_id for c in answer.citations} <= {e["id"] for e in evidence}


# --- briefs -------------------------------------------------------------------------------------------
def test_briefs_build_get_and_404(client):
    r = client.post("/v1/briefs", json={"date": "2025-09-07", "actors": ["Russia", "Ukraine"]})
    assert r.status_code == 200, r.text
    built = Briefing.model_validate(r.json())
    assert built.actors == ["Russia", "Ukraine"] and built.headline.citations
    saved = client.get("/v1/briefs/2025-09-07")
    assert saved.status_code == 200 and Briefing.model_validate(saved.json()).headline == built.headline
    assert_error(client.get("/v1/briefs/2001-01-01"), 404, "no saved brief for 2001-01-01")
    assert_error(client.get("/v1/briefs/yesterday"), 422, "date")
    assert_error(client.post("/v1/briefs", json={"window_days": 0}), 422, "window_days")


# --- bounds and errors --------------------------------------------------------------------------------
def test_oversized_bodies_are_413(client):
    big = {"text": "Officials said the talks would resume. " * (MAX_BYTES // 30)}
    assert_error(client.post("/v1/documents", json=big), 413, f"{MAX_BYTES:,} bytes")

    def chunked():  # no Content-Length: counted while it arrives
        for _ in range(30):
            yield b"x" * 10_000

    assert_error(client.post("/v1/documents", content=chunked(), headers={"content-type": "application/json"}), 413)
    assert client.get("/healthz").status_code == 200


def test_question_bounds_and_bad_requests_are_4xx_with_a_message(client):
    assert_error(client.post("/v1/ask", json={"question": "x" * 100_000}), 413, "100,000 characters", "2,000")
    assert_error(client.post("/v1/ask", json={"question": "   "}), 400, "empty")
    assert_error(client.post("/v1/ask", json={"question": QUESTION, "k": 1000}), 422, "k")
    assert_error(
        client.post("/v1/ask", json={"question": QUESTION, "since": "2025-09-08", "until": "2025-09-01"}), 400, "since"
    )
    assert_error(client.post("/v1/ask", content=b"{nope", headers={"content-type": "application/json"}), 422)
    assert_error(client.get("/v1/nothing-here"), 404)


def test_model_error_is_502_and_a_bug_is_a_generic_500(data_dir):
    failing = FakeBackend([ModelError("the model endpoint http://m timed out", "raise BRIEFING_LLM_TIMEOUT_S")])
    with serving(make_app(data_dir, backend=failing)) as c:
        assert_error(c.post("/v1/ask", json={"question": QUESTION}), 502, "timed out")
    with serving(make_app(data_dir, embedder=BrokenEmbedder())) as c:
        body = assert_error(c.post("/v1/ask", json={"question": QUESTION}), 500)
        assert body["error"] == "internal error" and "boom" not in json.dumps(body)
        with c.stream("POST", "/v1/ask", json={"question": QUESTION, "stream": True}) as r:
            got = events(r)
        assert [n for n, _ in got] == ["error", "done"] and got[0][1]["status"] == 500 and "boom" not in json.dumps(got)


def test_busy_store_is_409(data_dir, client):
    a = make_app(data_dir)
    with a.write_lock():  # another process is writing this data directory
        body = assert_error(
            client.post(
                "/v1/documents", json={"text": "Officials said on Tuesday that the bridge reopened to traffic."}
            ),
            409,
            "busy",
        )
    assert body["hint"]


def test_concurrency_bound_gives_429_not_a_queue(data_dir):
    backend = BlockingBackend()
    with serving(make_app(data_dir, backend=backend, max_concurrency=1)) as c:
        backend.hold = threading.Event()
        first: dict = {}
        t = threading.Thread(target=lambda: first.update(r=c.post("/v1/ask", json={"question": QUESTION})))
        t.start()
        try:
            assert backend.entered.wait(20), "the first request never reached the model"
            r = c.post("/v1/ask", json={"question": QUESTION})
            assert_error(r, 429, "busy")
            assert int(r.headers["Retry-After"]) > 0
            assert_error(c.post("/v1/ask", json={"question": QUESTION, "stream": True}), 429)
            assert_error(c.post("/v1/briefs", json={}), 429)
            assert c.get("/v1/documents").status_code == 200 and c.get("/healthz").status_code == 200  # not model work
        finally:
            backend.hold.set()
            t.join(30)
        backend.hold = None
        assert first["r"].status_code == 200
        assert c.post("/v1/ask", json={"question": QUESTION}).status_code == 200  # the slot was freed


def test_concurrent_ingest_ask_and_briefs_do_not_mix_store_transactions(data_dir):
    codes: list[tuple[str, int, str]] = []
    with serving(make_app(data_dir, max_concurrency=8)) as c:

        def worker(i: int):
            for j in range(3):
                if (i + j) % 3 == 0:
                    r = c.post(
                        "/v1/documents",
                        json={"text": f"Officials in district {i} said on day {j} that {i * j + 7} buses ran late."},
                    )
                elif (i + j) % 3 == 1:
                    r = c.post("/v1/ask", json={"question": QUESTION})
                else:
                    r = c.post("/v1/briefs", json={"date": "2025-09-07"})
                codes.append((r.request.url.path, r.status_code, r.text[:200]))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert len(codes) == 18 and all(code == 200 for _, code, _ in codes), [c for c in codes if c[1] != 200]


# --- auth ---------------------------------------------------------------------------------------------
def test_bearer_token_auth(data_dir, caplog):
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    with serving(make_app(data_dir, api_token=TOKEN)) as c:

        def call(method, url, token=None, **kw):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            r = c.request(method, url, headers=headers, **kw)
            seen.append(r.text + json.dumps(dict(r.headers)))
            return r

        assert call("GET", "/healthz").status_code == 200
        assert call("GET", "/readyz").status_code == 200
        for method, url, kw in [
            ("GET", "/v1/documents", {}),
            ("POST", "/v1/ask", {"json": {"question": QUESTION}}),
            ("GET", "/v1/briefs/2025-09-07", {}),
            ("GET", "/openapi.json", {}),
            ("POST", "/v1/documents", {"json": {"text": "x" * (MAX_BYTES + 1)}}),
        ]:
            r = call(method, url, **kw)
            assert_error(r, 401, "bearer token")
            assert r.headers["WWW-Authenticate"] == "Bearer"
        assert_error(call("GET", "/v1/documents", token="wrong"), 401)
        assert_error(call("GET", "/v1/documents", token=TOKEN + "x"), 401)
        assert call("GET", "/v1/documents", token=TOKEN).status_code == 200
        assert call("POST", "/v1/ask", token=TOKEN, json={"question": QUESTION}).status_code == 200
        assert call("GET", "/openapi.json", token=TOKEN).status_code == 200
        assert_error(call("POST", "/v1/ask", token=TOKEN, json={"question": TOKEN * 200}), 413)
        assert_error(call("GET", "/v1/briefs/2001-01-01", token=TOKEN), 404)
    assert seen and not any(TOKEN in text for text in seen)
    assert TOKEN not in caplog.text


def test_empty_token_refuses_to_start(tmp_path):
    from briefing.errors import InputError

    with pytest.raises(InputError, match="empty"):
        create_app(app=make_app(tmp_path / "data", api_token=""))


def test_serve_command_is_registered():
    from typer.testing import CliRunner

    from briefing.cli import app as cli

    r = CliRunner().invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0 and "--port" in r.output and "--host" in r.output
