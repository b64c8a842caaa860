"""The routes: the CLI's operations as JSON over one App per process (request.app.state.briefing).

Blocking work runs in the threadpool holding one of the State's slots (429 when none is free)."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import asdict
from functools import partial
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from briefing.errors import BriefingError, InputError, StoreBusyError
from briefing.service.errors import DOCS_HINT, RETRY_AFTER_S, ApiError, log, sse, status_of, validation_message
from briefing.service.schemas import (
    UPLOAD_BODY,
    AskIn,
    AskResult,
    BriefIn,
    Briefing,
    DocumentIn,
    IngestReport,
    StoredDocument,
)
from briefing.service.state import State

INGEST_WAIT_S = 10  # an upload waits this long for another one in this process to finish, then 409
MAX_FILES = 100


def get_state(request: Request) -> State:
    return request.app.state.briefing


router = APIRouter()


@router.get("/healthz", tags=["health"])
def healthz():
    return {"ok": True}


@router.get("/readyz", tags=["health"])
def readyz(st: State = Depends(get_state)):
    try:
        documents = st.app.store.count("documents")  # the store first: its error is the clearest
        a = st.open()
        if not st.checked:
            a.embedder.embed(["ready"])
            a.llm.backend.warm_up()
            st.checked = True
    except BriefingError as exc:
        return JSONResponse({"ready": False, "error": exc.message, "hint": exc.hint}, status_code=503)
    except Exception as exc:
        log.error("readiness check failed", exc_info=exc)
        return JSONResponse(
            {"ready": False, "error": f"not ready ({type(exc).__name__})", "hint": "see the server log"},
            status_code=503,
        )
    return {"ready": True, "documents": documents, "model": a.llm.name, "embedder": a.embedder.name}


def run_ask(st: State, body: AskIn, on_evidence=None) -> AskResult:
    from briefing.answer import ask

    return ask(st.open(), body.question, k=body.k, since=body.since, until=body.until, on_evidence=on_evidence)


@router.post(
    "/v1/ask",
    response_model=AskResult,
    tags=["ask"],
    responses={200: {"content": {"text/event-stream": {"description": "events: evidence, answer (or error), done"}}}},
)
async def ask_route(body: AskIn, request: Request, st: State = Depends(get_state)):
    from briefing.answer import check_question

    try:
        check_question(body.question, st.app.settings.max_question_chars)
    except InputError as exc:
        if not body.question.strip():
            raise ApiError(400, exc.message, 'send {"question": "..."}') from None
        raise ApiError(413, exc.message, "shorten it (the server's limit is BRIEFING_MAX_QUESTION_CHARS)") from None
    if body.since and body.until and body.since > body.until:
        raise ApiError(400, "since is after until", "swap them")
    if body.stream or "text/event-stream" in request.headers.get("accept", ""):
        return stream_ask(st, body)
    return await st.start(run_ask, st, body)


def stream_ask(st: State, body: AskIn) -> StreamingResponse:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()

    def on_evidence(evidence):
        loop.call_soon_threadsafe(queue.put_nowait, ("evidence", [asdict(e) for e in evidence]))

    def finished(task: asyncio.Future):
        task.cancelled() or task.exception()  # retrieved here, so a client that left logs no warning
        queue.put_nowait(("end", task))

    st.start(run_ask, st, body, on_evidence).add_done_callback(finished)

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

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


def run_brief(st: State, body: BriefIn) -> Briefing:
    from briefing.brief.build import build_brief

    return build_brief(st.open(), body.date, body.window_days, body.actors)


@router.post("/v1/briefs", response_model=Briefing, tags=["briefs"])
async def post_brief(body: BriefIn, st: State = Depends(get_state)):
    return await st.start(run_brief, st, body)


@router.get("/v1/briefs/{date}", response_model=Briefing, tags=["briefs"])
def get_brief(date: dt.date, st: State = Depends(get_state)):
    from briefing.brief.build import saved_brief

    try:
        return saved_brief(st.app, date)
    except InputError as exc:
        raise ApiError(404, exc.message, f'build it: POST /v1/briefs {{"date": "{date}"}}') from None


@router.get("/v1/documents", response_model=list[StoredDocument], tags=["documents"])
def get_documents(st: State = Depends(get_state)):
    return [dict(r) for r in st.app.store.documents()] if st.app.store_exists() else []


def run_ingest(st: State, files: list[tuple[str, bytes, dict]]) -> dict:
    from briefing.ingest import ingest_items

    a = st.open()
    if not st.ingest_lock.acquire(timeout=INGEST_WAIT_S):
        raise StoreBusyError("store busy: another upload is being ingested", f"retry in {RETRY_AFTER_S} s")
    try:
        report = ingest_items(
            a, [(name, partial(parse_upload, data, name, meta)) for name, data, meta in files], len(files), None
        )
    finally:
        st.ingest_lock.release()
    return asdict(report)


@router.post("/v1/documents", response_model=IngestReport, tags=["documents"], openapi_extra=UPLOAD_BODY)
async def post_documents(request: Request, st: State = Depends(get_state)):
    """JSON `{text, name?, title?, source?, published?}`, or a multipart upload of one or more files."""
    ctype = request.headers.get("content-type", "").lower()
    if ctype.startswith("multipart/form-data"):
        async with request.form(max_files=MAX_FILES, max_fields=MAX_FILES) as form:
            files = [
                (f.filename or "upload.txt", await f.read(), {})
                for _, f in form.multi_items()
                if isinstance(f, UploadFile)
            ]
        if not files:
            raise ApiError(
                400, "the upload has no files", "send files as multipart fields, e.g. curl -F file=@article.txt"
            )
    elif ctype.startswith("application/json") or not ctype:
        try:
            doc = DocumentIn.model_validate_json(await request.body())
        except ValidationError as exc:
            raise ApiError(422, validation_message(exc.errors()), DOCS_HINT) from None
        files = [(doc.name, doc.text.encode("utf-8"), doc.overrides())]
    else:
        raise ApiError(
            415, f"unsupported content type {ctype.split(';')[0]!r}", "send application/json or multipart/form-data"
        )
    report = await st.start(run_ingest, st, files)
    if not report["added"] and not report["unchanged"]:
        raise ApiError(
            422,
            "nothing ingested: " + "; ".join(report["rejected"][:3]),
            "send UTF-8 .txt, .md or .html articles with at least a sentence of text",
            extra={"report": report},
        )
    return report


def parse_upload(data: bytes, name: str, overrides: dict):
    from briefing.documents import SUFFIXES, parse_document

    suffix = Path(name).suffix.lower()
    if suffix and suffix not in SUFFIXES:
        raise InputError(f"{name}: unsupported file type {suffix}", "send .txt, .md or .html files")
    doc = parse_document(data, name, suffix or ".txt")
    for key, value in overrides.items():
        setattr(doc, key, value)
    return doc
