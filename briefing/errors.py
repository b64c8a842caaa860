"""One base error type; every error says what to do next and carries its exit code.

Exit codes (documented in the README):
  0 ok · 1 unexpected internal error · 2 bad usage or bad input · 3 store missing or corrupt
  4 store busy (another process is writing) · 5 model or embedding endpoint failed
  6 eval thresholds missed · 7 a URL or feed could not be fetched or read (HTTP error, timeout, too large,
  not a web page or feed)
"""

from __future__ import annotations


class BriefingError(Exception):
    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
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
