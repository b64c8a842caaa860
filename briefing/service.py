"""The HTTP service (`briefing serve`): the CLI's operations as JSON routes over one App per process.

Blocking work runs in the threadpool; at most `max_concurrency` requests use the model or the embedder
at once (more get 429 at once, nothing queues); every error is `{"error": ..., "hint": ...}` with a 4xx,
502 or 503 status, and anything unexpected is a 500 with a generic message (the traceback goes to the log).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import logging
import threading
from dataclasses import asdict
from functools import partial
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from briefing import __version__
from briefing.app import App
from briefing.brief_models import Briefing
from briefing.errors import BriefingError, InputError, ModelError, StoreBusyError, StoreError
from briefing.models import AskResult
from briefing.settings import Settings, load_settings

log = logging.getLogger("briefing.service")

OPEN_PATHS = {"/healthz", "/readyz"}  # no auth
RETRY_AFTER_S = 2
INGEST_WAIT_S = 10  # an upload waits this long for another one in this process to finish, then 409
MAX_FILES = 100
STATUS = ((StoreBusyError, 409), (StoreError, 503), (ModelError, 502), (InputError, 400))
DOCS_HINT = "see /docs for the routes and request schemas"


class ApiError(Exception):
    def __init__(self, status: int, message: str, hint: str | None = None, headers: dict | None = None, extra: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.hint, self.headers, self.extra = status, message, hint, headers, extra or {}


def error_response(status: int, message: str, hint: str | None, headers: dict | None = None, **extra) -> JSONResponse:
    return JSONResponse({"error": message, "hint": hint, **extra}, status_code=status, headers=headers)


def internal_error(method: str, path: str, exc: BaseException) -> JSONResponse:
    log.error("internal error on %s %s", method, path, exc_info=exc)
    return error_response(500, "internal error", "see the server log")


def status_of(exc: BriefingError) -> int:
    return next((code for cls, code in STATUS if isinstance(exc, cls)), 500)


# --- request and response bodies ------------------------------------------------------------------
class AskIn(BaseModel):
    question: str
    since: dt.date | None = Field(None, description="Only articles published on or after this date.")
    until: dt.date | None = Field(None, description="Only articles published on or before this date.")
    k: int | None = Field(None, ge=0, le=50, description="Evidence sentences to retrieve (default: BRIEFING_K).")
    stream: bool = Field(False, description="Stream server-sent events: evidence, answer, done (or send Accept: text/event-stream).")


class BriefIn(BaseModel):
    date: dt.date | None = Field(None, description="Default: the latest day that has articles.")
    window_days: int = Field(1, ge=1, le=366)
    actors: list[str] | None = Field(None, max_length=50, description="Default: every actor in the actors file.")


class DocumentIn(BaseModel):
    text: str = Field(min_length=1, description="The article: plain text, Markdown (front matter allowed) or HTML.")
    name: str = Field("document.txt", min_length=1, max_length=200, description="File name; its suffix (.txt/.md/.html) picks the parser.")
    title: str | None = Field(None, max_length=500)
    source: str | None = Field(None, max_length=500, description="Default: the name.")
    published: dt.date | None = None

    def overrides(self) -> dict:
        return {k: v for k, v in (("title", self.title), ("source", self.source), ("published", self.published)) if v is not None}


class StoredDocument(BaseModel):
    id: str
    title: str
    source: str
    published: str | None
    duplicate_of: str | None
    ingested_at: float
    chars: int
    sentences: int
    chunks: int


class IngestOut(BaseModel):
    added: list[dict]
    unchanged: list[str]
    rejected: list[str]
    sentences: int
    chunks: int
    indexed: int
    seconds: float


UPLOAD_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": DocumentIn.model_json_schema(ref_template="#/components/schemas/{model}")},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}}


# --- shared state ---------------------------------------------------------------------------------
class ThreadStores:
    """Stands in for app.store: one SQLite connection per worker thread, so the transactions of
    concurrent requests never interleave on one connection (WAL lets readers run beside the writer)."""

    def __init__(self, app: App):
        self._app, self._local = app, threading.local()

    def _get(self):
        from briefing.store import Store

        store = getattr(self._local, "store", None)
        if store is None:
            self._app._ensure_data_dir()
            store = self._local.store = Store(self._app.data_dir / "store.sqlite")
        return store

    def __getattr__(self, name: str):
        from briefing.store import Store

        if callable(getattr(Store, name, None)):  # bound late, so a method kept by another object still uses this thread's connection
            return lambda *args, **kwargs: getattr(self._get(), name)(*args, **kwargs)
        return getattr(self._get(), name)


class State:
    def __init__(self, app: App):
        self.app = app
        self.n = app.settings.max_concurrency
        self._slots = threading.BoundedSemaphore(self.n)
        self._open_lock = threading.Lock()
        self._opened = False
        self.checked = False  # the embedder and the model were loaded once by /readyz
        self.ingest_lock = threading.Lock()
        app.__dict__["store"] = ThreadStores(app)

    def open(self) -> App:
        """Open the index, embedder and model once (cached_property has no lock on Python 3.12+)."""
        if not self._opened:
            with self._open_lock:
                if not self._opened:
                    self.app.index, self.app.llm  # noqa: B018  (the index opens the embedder)
                    self._opened = True
        return self.app

    def start(self, fn, *args) -> asyncio.Future:
        """Run fn in the threadpool holding one of max_concurrency slots; none free → 429 at once.
        The slot is freed when fn ends, even if the client has gone."""
        if not self._slots.acquire(blocking=False):
            raise ApiError(429, f"busy: {self.n} model requests are already running",
                           f"retry in {RETRY_AFTER_S} s (or raise BRIEFING_MAX_CONCURRENCY)", {"Retry-After": str(RETRY_AFTER_S)})

        def work():
            try:
                return fn(*args)
            finally:
                self._slots.release()

        return asyncio.ensure_future(run_in_threadpool(work))


# --- auth and body size, before any route -----------------------------------------------------------
class Guard:
    """Bearer token on every path but the health checks; request bodies over max_bytes → 413
    (by Content-Length, or counted while buffering a chunked body)."""

    def __init__(self, app, token: str | None, max_bytes: int):
        self.app, self.token, self.max_bytes = app, token.encode() if token else None, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        if self.token is not None and scope["path"] not in OPEN_PATHS and not self._authorized(headers.get(b"authorization", b"")):
            return await error_response(401, "missing or wrong bearer token", "send the header Authorization: Bearer <BRIEFING_API_TOKEN>",
                                        {"WWW-Authenticate": "Bearer"})(scope, receive, send)
        too_large = error_response(413, f"request body over the limit of {self.max_bytes:,} bytes",
                                   "send smaller documents, one request each, or raise BRIEFING_MAX_REQUEST_BYTES")
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit():
                return await error_response(400, "bad Content-Length header", None)(scope, receive, send)
            if int(length) > self.max_bytes:
                return await too_large(scope, receive, send)
            return await self._run(scope, receive, send)
        chunks, size, more = [], 0, True  # no Content-Length: read the body up to the limit, then replay it
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.max_bytes:
                return await too_large(scope, receive, send)
        replay = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replayed():
            return replay.pop() if replay else await receive()

        return await self._run(scope, replayed, send)

    async def _run(self, scope, receive, send):
        """Any exception no handler took → a generic 500 here, so uvicorn does not drop the connection."""
        started = False

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise
            await internal_error(scope["method"], scope["path"], exc)(scope, receive, send)

    def _authorized(self, header: bytes) -> bool:
        scheme, _, value = header.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(value.strip(), self.token)


# --- the app ------------------------------------------------------------------------------------------
def create_app(settings: Settings | None = None, app: App | None = None) -> FastAPI:
    """settings: default load_settings(). app: a prebuilt App (tests inject fakes), used with its own settings."""
    core = app if app is not None else App(settings or load_settings())
    s = core.settings
    token = s.api_token.get_secret_value() if s.api_token is not None else None
    if token is not None and not token.strip():
        raise InputError("BRIEFING_API_TOKEN is set but empty", "set a long random token, or unset it to run without auth")
    st = State(core)
    api = FastAPI(title="briefing", version=__version__,
                  description="Cited answers and daily briefs from news articles. With BRIEFING_API_TOKEN set, every route but "
                              "/healthz and /readyz needs `Authorization: Bearer <token>`. Errors are `{error, hint}`.")
    api.add_middleware(Guard, token=token, max_bytes=s.max_request_bytes)

    @api.exception_handler(ApiError)
    async def _api_error(request, exc: ApiError):
        return error_response(exc.status, exc.message, exc.hint, exc.headers, **exc.extra)

    @api.exception_handler(BriefingError)
    async def _briefing_error(request, exc: BriefingError):
        status = status_of(exc)
        if status == 500:
            return internal_error(request.method, request.url.path, exc)
        return error_response(status, exc.message, exc.hint, {"Retry-After": str(RETRY_AFTER_S)} if status == 409 else None)

    @api.exception_handler(RequestValidationError)
    async def _invalid(request, exc: RequestValidationError):
        return error_response(422, validation_message(exc.errors()), DOCS_HINT)

    @api.exception_handler(HTTPException)
    async def _http(request, exc: HTTPException):
        return error_response(exc.status_code, str(exc.detail), DOCS_HINT, getattr(exc, "headers", None))

    @api.get("/healthz", tags=["health"])
    def healthz():
        return {"ok": True}

    @api.get("/readyz", tags=["health"])
    def readyz():
        try:
            documents = core.store.count("documents")  # the store first: its error is the clearest
            a = st.open()
            if not st.checked:
                a.embedder.embed(["ready"])
                a.llm.backend.warm_up()
                st.checked = True
        except BriefingError as exc:
            return JSONResponse({"ready": False, "error": exc.message, "hint": exc.hint}, status_code=503)
        except Exception as exc:
            log.error("readiness check failed", exc_info=exc)
            return JSONResponse({"ready": False, "error": f"not ready ({type(exc).__name__})", "hint": "see the server log"}, status_code=503)
        return {"ready": True, "documents": documents, "model": a.llm.name, "embedder": a.embedder.name}

    def run_ask(body: AskIn, on_evidence=None) -> AskResult:
        from briefing.answer import ask

        return ask(st.open(), body.question, k=body.k, since=body.since, until=body.until, on_evidence=on_evidence)

    @api.post("/v1/ask", response_model=AskResult, tags=["ask"],
              responses={200: {"content": {"text/event-stream": {"description": "events: evidence, answer (or error), done"}}}})
    async def ask_route(body: AskIn, request: Request):
        from briefing.answer import check_question

        try:
            check_question(body.question, s.max_question_chars)
        except InputError as exc:
            if not body.question.strip():
                raise ApiError(400, exc.message, 'send {"question": "..."}') from None
            raise ApiError(413, exc.message, "shorten it (the server's limit is BRIEFING_MAX_QUESTION_CHARS)") from None
        if body.since and body.until and body.since > body.until:
            raise ApiError(400, "since is after until", "swap them")
        if body.stream or "text/event-stream" in request.headers.get("accept", ""):
            return stream_ask(body)
        return await st.start(run_ask, body)

    def stream_ask(body: AskIn) -> StreamingResponse:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()

        def on_evidence(evidence):
            loop.call_soon_threadsafe(queue.put_nowait, ("evidence", [asdict(e) for e in evidence]))

        def finished(task: asyncio.Future):
            task.cancelled() or task.exception()  # retrieved here, so a client that left logs no warning
            queue.put_nowait(("end", task))

        st.start(run_ask, body, on_evidence).add_done_callback(finished)

        async def events():
            kind, item = await queue.get()
            if kind == "evidence":
                yield sse("evidence", item)
                kind, item = await queue.get()
            exc = item.exception()
            if exc is None:
                yield sse("answer", item.result().model_dump(mode="json"))
            elif isinstance(exc, BriefingError) and status_of(exc) != 500:
                yield sse("error", {"error": exc.message, "hint": exc.hint, "status": status_of(exc)})
            else:
                log.error("internal error in a streamed ask", exc_info=exc)
                yield sse("error", {"error": "internal error", "hint": "see the server log", "status": 500})
            yield sse("done", {})

        return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    def run_brief(body: BriefIn) -> Briefing:
        from briefing.brief import build_brief

        return build_brief(st.open(), body.date, body.window_days, body.actors)

    @api.post("/v1/briefs", response_model=Briefing, tags=["briefs"])
    async def post_brief(body: BriefIn):
        return await st.start(run_brief, body)

    @api.get("/v1/briefs/{date}", response_model=Briefing, tags=["briefs"])
    def get_brief(date: dt.date):
        from briefing.brief import saved_brief

        try:
            return saved_brief(core, date)
        except InputError as exc:
            raise ApiError(404, exc.message, f'build it: POST /v1/briefs {{"date": "{date}"}}') from None

    @api.get("/v1/documents", response_model=list[StoredDocument], tags=["documents"])
    def get_documents():
        return [dict(r) for r in core.store.documents()] if core.store_exists() else []

    def run_ingest(files: list[tuple[str, bytes, dict]]) -> dict:
        from briefing.ingest import ingest_items

        a = st.open()
        if not st.ingest_lock.acquire(timeout=INGEST_WAIT_S):
            raise StoreBusyError("store busy: another upload is being ingested", f"retry in {RETRY_AFTER_S} s")
        try:
            report = ingest_items(a, [(name, partial(parse_upload, data, name, meta)) for name, data, meta in files], len(files), None)
        finally:
            st.ingest_lock.release()
        return asdict(report)

    @api.post("/v1/documents", response_model=IngestOut, tags=["documents"], openapi_extra=UPLOAD_BODY)
    async def post_documents(request: Request):
        """JSON `{text, name?, title?, source?, published?}`, or a multipart upload of one or more files."""
        ctype = request.headers.get("content-type", "").lower()
        if ctype.startswith("multipart/form-data"):
            async with request.form(max_files=MAX_FILES, max_fields=MAX_FILES) as form:
                files = [(f.filename or "upload.txt", await f.read(), {}) for _, f in form.multi_items() if isinstance(f, UploadFile)]
            if not files:
                raise ApiError(400, "the upload has no files", "send files as multipart fields, e.g. curl -F file=@article.txt")
        elif ctype.startswith("application/json") or not ctype:
            try:
                doc = DocumentIn.model_validate_json(await request.body())
            except ValidationError as exc:
                raise ApiError(422, validation_message(exc.errors()), DOCS_HINT) from None
            files = [(doc.name, doc.text.encode("utf-8"), doc.overrides())]
        else:
            raise ApiError(415, f"unsupported content type {ctype.split(';')[0]!r}", "send application/json or multipart/form-data")
        report = await st.start(run_ingest, files)
        if not report["added"] and not report["unchanged"]:
            raise ApiError(422, "nothing ingested: " + "; ".join(report["rejected"][:3]),
                           "send UTF-8 .txt, .md or .html articles with at least a sentence of text", extra={"report": report})
        return report

    return api


def parse_upload(data: bytes, name: str, overrides: dict):
    from briefing.documents import SUFFIXES, parse_document

    suffix = Path(name).suffix.lower()
    if suffix and suffix not in SUFFIXES:
        raise InputError(f"{name}: unsupported file type {suffix}", "send .txt, .md or .html files")
    doc = parse_document(data, name, suffix or ".txt")
    for key, value in overrides.items():
        setattr(doc, key, value)
    return doc


def validation_message(errors) -> str:
    parts = [f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}" for e in errors[:3]]
    return "invalid request: " + "; ".join(parts)


def sse(event: str, data) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"
