"""The pieces a command needs, opened lazily: settings, store, embedder, vector index, model."""

from __future__ import annotations

from contextlib import contextmanager
from functools import cached_property
from typing import Iterator

from filelock import FileLock, Timeout

from briefing.errors import StoreBusyError, StoreError
from briefing.settings import Settings


class App:
    def __init__(self, settings: Settings, llm=None, embedder=None):
        self.settings = settings
        if llm is not None:
            self.__dict__["llm"] = llm
        if embedder is not None:
            self.__dict__["embedder"] = embedder

    @property
    def data_dir(self):
        return self.settings.data_dir

    def store_exists(self) -> bool:
        return (self.data_dir / "store.sqlite").exists()

    def _ensure_data_dir(self) -> None:
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise StoreError(f"data directory {self.data_dir} is not a folder", "point BRIEFING_DATA_DIR at a folder")
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data directory {self.data_dir}: {exc.strerror}", "point BRIEFING_DATA_DIR at a writable folder") from None

    @cached_property
    def store(self):
        from briefing.store import Store

        self._ensure_data_dir()
        return Store(self.data_dir / "store.sqlite")

    @cached_property
    def embedder(self):
        from briefing.embeddings import MiniLMEmbedder, OpenAIEmbedder

        s = self.settings
        if s.embed_base_url:
            import openai

            client = openai.OpenAI(base_url=s.embed_base_url, api_key=s.embed_key(), timeout=s.llm_timeout_s, max_retries=s.llm_http_retries)
            return OpenAIEmbedder(client, s.embed_model)
        return MiniLMEmbedder()

    @cached_property
    def index(self):
        from briefing.vectors import VectorIndex

        e = self.embedder
        return VectorIndex(self.data_dir, self.settings.chroma_url, self.settings.collection, e.name, e.dim)

    @cached_property
    def llm(self):
        from briefing.llm import make_llm

        return make_llm(self.settings, log=self.store.log_call)

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer at a time per data directory; a second one fails fast instead of corrupting Chroma."""
        self._ensure_data_dir()
        lock = FileLock(str(self.data_dir / "write.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise StoreBusyError(f"store busy: another briefing process is writing to {self.data_dir}",
                                 "wait for it to finish; for concurrent writers give each its own BRIEFING_DATA_DIR "
                                 "(and, with a Chroma server, its own BRIEFING_COLLECTION)") from None
        try:
            yield
        finally:
            lock.release()
