"""The pieces a command needs, opened lazily: settings, store, embedder, vector index, model."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from filelock import FileLock, Timeout

from briefing.errors import StoreBusyError, StoreError
from briefing.settings import Settings

if TYPE_CHECKING:
    from briefing.embeddings import Embedder
    from briefing.llm import LLM
    from briefing.store import Store
    from briefing.vectors import VectorIndex


def ensure_data_dir(data_dir: Path) -> None:
    if data_dir.exists() and not data_dir.is_dir():
        raise StoreError(f"data directory {data_dir} is not a folder", "point BRIEFING_DATA_DIR at a folder")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the data directory {data_dir}: {exc.strerror}",
            "point BRIEFING_DATA_DIR at a writable folder",
        ) from None


def open_store(settings: Settings) -> Store:
    """A new connection to the store of the settings' data directory (the service opens one per worker thread)."""
    from briefing.store import Store

    ensure_data_dir(settings.data_dir)
    return Store(settings.data_dir / "store.sqlite")


class App:
    """settings, plus the pieces built elsewhere and passed in (tests, the eval, the service); the rest is
    opened on first use: llm, embedder, store and index."""

    def __init__(
        self, settings: Settings, llm: LLM | None = None, embedder: Embedder | None = None, store: Store | None = None
    ):
        self.settings = settings
        self._llm, self._embedder, self._store = llm, embedder, store
        self._index: VectorIndex | None = None

    @property
    def data_dir(self):
        return self.settings.data_dir

    def store_exists(self) -> bool:
        return (self.data_dir / "store.sqlite").exists()

    def _ensure_data_dir(self) -> None:
        ensure_data_dir(self.data_dir)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from briefing.embeddings import MiniLMEmbedder, OpenAIEmbedder

            s = self.settings
            if s.embed_base_url:
                import openai

                client = openai.OpenAI(
                    base_url=s.embed_base_url,
                    api_key=s.embed_key(),
                    timeout=s.llm_timeout_s,
                    max_retries=s.llm_http_retries,
                )
                self._embedder = OpenAIEmbedder(client, s.embed_model)
            else:
                self._embedder = MiniLMEmbedder()
        return self._embedder

    @property
    def index(self) -> VectorIndex:
        if self._index is None:
            from briefing.vectors import VectorIndex

            e = self.embedder
            self._index = VectorIndex(self.data_dir, self.settings.chroma_url, self.settings.collection, e.name, e.dim)
        return self._index

    def forget_index(self) -> None:
        """The next use opens the index again (after its collection was dropped)."""
        self._index = None

    @property
    def llm(self) -> LLM:
        if self._llm is None:
            from briefing.llm import make_llm

            self._llm = make_llm(self.settings, log=self.store.log_call)
        return self._llm

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer at a time per data directory; a second one fails fast instead of corrupting Chroma."""
        self._ensure_data_dir()
        lock = FileLock(str(self.data_dir / "write.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise StoreBusyError(
                f"store busy: another briefing process is writing to {self.data_dir}",
                "wait for it to finish; for concurrent writers give each its own BRIEFING_DATA_DIR "
                "(and, with a Chroma server, its own BRIEFING_COLLECTION)",
            ) from None
        try:
            yield
        finally:
            lock.release()
