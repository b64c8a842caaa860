"""Errors as the HTTP service returns them: `{"error": ..., "hint": ...}` with a 4xx, 502 or 503 status, and a
generic 500 for anything unexpected (the traceback goes to the log)."""

from __future__ import annotations

import json
import logging

from fastapi.responses import JSONResponse

from briefing.errors import BriefingError, InputError, ModelError, StoreBusyError, StoreError

log = logging.getLogger("briefing.service")

RETRY_AFTER_S = 2
STATUS = ((StoreBusyError, 409), (StoreError, 503), (ModelError, 502), (InputError, 400))
DOCS_HINT = "see /docs for the routes and request schemas"


class ApiError(Exception):
    def __init__(
        self, status: int, message: str, hint: str | None = None, headers: dict | None = None, extra: dict | None = None
    ):
        super().__init__(message)
        self.status, self.message, self.hint, self.headers, self.extra = status, message, hint, headers, extra or {}


def error_response(status: int, message: str, hint: str | None, headers: dict | None = None, **extra) -> JSONResponse:
    return JSONResponse({"error": message, "hint": hint, **extra}, status_code=status, headers=headers)


def internal_error(method: str, path: str, exc: BaseException) -> JSONResponse:
    log.error("internal error on %s %s", method, path, exc_info=exc)
    return error_response(500, "internal error", "see the server log")


def status_of(exc: BriefingError) -> int:
    return next((code for cls, code in STATUS if isinstance(exc, cls)), 500)


def validation_message(errors) -> str:
    parts = [f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}" for e in errors[:3]]
    return "invalid request: " + "; ".join(parts)


def sse(event: str, data) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"
