"""Secrets never leave the process: credentials in URLs (user:password@, ?key=...) are shown redacted in
every error, log line and response, and responses to unauthenticated callers name no file paths."""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from briefing.errors import MASK, redact

__all__ = ["MASK", "RedactingFilter", "redact", "redact_logs", "redact_url", "without_paths"]
_ABS_PATH = re.compile(r"(?<![\w:/.~-])~?/(?:[^\s/'\",;()]+/)*[^\s/'\",;()]*")


def redact_url(url: str | None) -> str:
    """A URL fit to show: credentials masked, scheme, host, port and path kept."""
    if not url:
        return url or ""
    try:
        u = urlsplit(url)
    except ValueError:
        return redact(url)
    netloc = u.netloc
    if "@" in netloc:
        netloc = f"{MASK}@" + netloc.rsplit("@", 1)[1]
    query = "&".join(f"{k}={MASK}" for k, _ in parse_qsl(u.query, keep_blank_values=True))
    return urlunsplit((u.scheme, netloc, u.path, query, ""))


def without_paths(text: str | None) -> str:
    """The text with absolute file paths replaced by '<path>' (for unauthenticated callers)."""
    return _ABS_PATH.sub("<path>", redact(text)) if text else ""


class RedactingFilter(logging.Filter):
    """Redacts a log record's message and its formatted traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def redact_logs(*names: str) -> None:
    """Redact every record of these loggers (the HTTP clients log request URLs, credentials included)."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
