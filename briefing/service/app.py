"""The app factory of the HTTP service (`briefing serve`): one App per process, the guard (auth, body size),
the error handlers and the routes.

Blocking work runs in the threadpool; at most `max_concurrency` requests use the model or the embedder
at once (more get 429 at once, nothing queues); every error is `{"error": ..., "hint": ...}` with a 4xx,
502 or 503 status, and anything unexpected is a 500 with a generic message (the traceback goes to the log).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from briefing import __version__
from briefing.app import App
from briefing.errors import BriefingError, InputError
from briefing.service.errors import (
    DOCS_HINT,
    RETRY_AFTER_S,
    ApiError,
    error_response,
    internal_error,
    status_of,
    validation_message,
)
from briefing.service.guard import Guard
from briefing.service.routes import router
from briefing.service.state import State, ThreadStores
from briefing.settings import Settings, load_settings

DESCRIPTION = (
    "Cited answers and daily briefs from news articles. With BRIEFING_API_TOKEN set, every route but "
    "/healthz and /readyz needs `Authorization: Bearer <token>`. Errors are `{error, hint}`."
)


def create_app(settings: Settings | None = None, app: App | None = None) -> FastAPI:
    """settings: default load_settings(). app: a prebuilt App (tests inject fakes), used with its own settings;
    build it with store=ThreadStores(settings) so that each worker thread has its own SQLite connection."""
    if app is None:
        settings = settings or load_settings()
        app = App(settings, store=ThreadStores(settings))
    s = app.settings
    token = s.api_token.get_secret_value() if s.api_token is not None else None
    if token is not None and not token.strip():
        raise InputError(
            "BRIEFING_API_TOKEN is set but empty", "set a long random token, or unset it to run without auth"
        )
    api = FastAPI(title="briefing", version=__version__, description=DESCRIPTION)
    api.state.briefing = State(app)
    api.add_middleware(Guard, token=token, max_bytes=s.max_request_bytes)
    add_error_handlers(api)
    api.include_router(router)
    return api


def add_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(ApiError)
    async def _api_error(request, exc: ApiError):
        return error_response(exc.status, exc.message, exc.hint, exc.headers, **exc.extra)

    @api.exception_handler(BriefingError)
    async def _briefing_error(request, exc: BriefingError):
        status = status_of(exc)
        if status == 500:
            return internal_error(request.method, request.url.path, exc)
        return error_response(
            status, exc.message, exc.hint, {"Retry-After": str(RETRY_AFTER_S)} if status == 409 else None
        )

    @api.exception_handler(RequestValidationError)
    async def _invalid(request, exc: RequestValidationError):
        return error_response(422, validation_message(exc.errors()), DOCS_HINT)

    @api.exception_handler(HTTPException)
    async def _http(request, exc: HTTPException):
        return error_response(exc.status_code, str(exc.detail), DOCS_HINT, getattr(exc, "headers", None))
