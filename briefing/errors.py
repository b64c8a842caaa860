"""One base error type; every error says what to do next and carries its exit code.

Exit codes (documented in the README):
  0 ok · 1 unexpected internal error · 2 bad usage or bad input · 3 store missing or corrupt
  4 store busy (another process is writing) · 5 model or embedding endpoint failed
  6 eval thresholds missed · 7 a URL or feed could not be fetched or read (HTTP error, timeout, too large,
  not a web page or feed)
"""

from __future__ import annotations

import errno
import re

# Credentials in URLs never reach a message: user:password@ and secret-looking query values are masked.
MASK = "***"
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s/@?#]*@")
_SECRET_PARAM = re.compile(
    r"(?i)([?&](?:api[_-]?key|key|token|access_token|secret|password|auth|sig|signature)=)[^&#\s]+"
)


def redact(text: str | None) -> str:
    """The text with every URL's user:password@ and secret-looking query values masked."""
    if not text:
        return text or ""
    return _SECRET_PARAM.sub(rf"\g<1>{MASK}", _USERINFO.sub(rf"\g<1>{MASK}@", text))


DISK_FULL_HINT = "free space, then run briefing doctor"


def is_disk_full(exc: BaseException) -> bool:
    """SQLITE_FULL, or ENOSPC / EDQUOT from the file system, anywhere in the message."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "disk is full" in text or "no space left" in text or "disk quota exceeded" in text


class BriefingError(Exception):
    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        message, hint = redact(message), (redact(hint) if hint else hint)  # no credential in any error
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        text = self.message if not self.hint else f"{self.message} — {self.hint}"
        return " ".join(text.split())


class InputError(BriefingError):
    """The user gave us something we cannot use (empty question, binary file...)."""

    exit_code = 2


class StoreError(BriefingError):
    """The data directory is missing, unreadable or inconsistent."""

    exit_code = 3


class StoreBusyError(BriefingError):
    exit_code = 4


class ModelError(BriefingError):
    """The LLM or embedding endpoint is down, timed out, or answered garbage."""

    exit_code = 5


class ThresholdError(BriefingError):
    exit_code = 6


class FetchError(InputError):
    """A URL or feed could not be fetched or read: HTTP error status, timeout, redirect loop, over the size
    bound, a PDF or image instead of a page, a feed that is not RSS/Atom."""

    exit_code = 7
