"""What the service shares between requests: one App per process, one SQLite connection per worker thread,
and at most `max_concurrency` requests using the model or the embedder at once."""

from __future__ import annotations

import asyncio
import threading

from starlette.concurrency import run_in_threadpool

from briefing.app import App, open_store
from briefing.service.errors import RETRY_AFTER_S, ApiError
from briefing.settings import Settings
from briefing.store import Store


class ThreadStores:
    """Stands in for app.store: one SQLite connection per worker thread, so the transactions of
    concurrent requests never interleave on one connection (WAL lets readers run beside the writer)."""

    def __init__(self, settings: Settings):
        self._settings, self._local = settings, threading.local()

    def _get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = open_store(self._settings)
        return store

    def __getattr__(self, name: str):
        if callable(
            getattr(Store, name, None)
        ):  # bound late, so a method kept by another object still uses this thread's connection
            return lambda *args, **kwargs: getattr(self._get(), name)(*args, **kwargs)
        return getattr(self._get(), name)


class State:
    """The App (built with store=ThreadStores(settings), so each worker thread has its own connection),
    the concurrency slots and the ingest lock."""

    def __init__(self, app: App):
        self.app = app
        self.n = app.settings.max_concurrency
        self._slots = threading.BoundedSemaphore(self.n)
        self._open_lock = threading.Lock()
        self._opened = False
        self.checked = False  # the embedder and the model were loaded once by /readyz
        self.ingest_lock = threading.Lock()

    def open(self) -> App:
        """Open the index, embedder and model once (the App opens them lazily, without a lock)."""
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
            raise ApiError(
                429,
                f"busy: {self.n} model requests are already running",
                f"retry in {RETRY_AFTER_S} s (or raise BRIEFING_MAX_CONCURRENCY)",
                {"Retry-After": str(RETRY_AFTER_S)},
            )

        def work():
            try:
                return fn(*args)
            finally:
                self._slots.release()

        return asyncio.ensure_future(run_in_threadpool(work))
