"""The Chroma index of chunk vectors: embedded (PersistentClient in the data directory) or a
Chroma server (HttpClient). The collection records the embedding model and dimension and
refuses to be used with another one."""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from briefing.errors import StoreError

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
logging.getLogger("chromadb").setLevel(logging.ERROR)


def _client(data_dir: Path, url: str | None):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    opts = ChromaSettings(anonymized_telemetry=False)
    try:
        if url:
            u = urlparse(url)
            if not u.hostname:
                raise StoreError(f"BRIEFING_CHROMA_URL {url!r} is not a URL", "use http://host:port")
            return chromadb.HttpClient(
                host=u.hostname,
                port=u.port or (443 if u.scheme == "https" else 8000),
                ssl=u.scheme == "https",
                settings=opts,
            )
        return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=opts)
    except StoreError:
        raise
    except Exception as exc:
        where = url or str(data_dir / "chroma")
        raise StoreError(
            f"cannot open the Chroma index at {where}: {str(exc).splitlines()[0][:200]}",
            "check BRIEFING_CHROMA_URL / the data directory, or run `briefing reindex`",
        ) from None


@contextmanager
def _failures(where: str):
    """A Chroma server that goes away (or an index that breaks) mid-command: one line, not an internal error."""
    import httpx
    from chromadb.errors import ChromaError

    try:
        yield
    except (ChromaError, httpx.HTTPError, OSError) as exc:
        raise StoreError(
            f"the Chroma index at {where} failed: {type(exc).__name__}: "
            f"{str(exc).splitlines()[0][:200] if str(exc) else ''}",
            "check that it is running (BRIEFING_CHROMA_URL), then run `briefing doctor`",
        ) from None


class VectorIndex:
    def __init__(self, data_dir: Path, url: str | None, name: str, model: str, dim: int):
        self.model, self.dim = model, dim
        self.where = url or str(data_dir / "chroma")
        self.client = _client(data_dir, url)
        self.name = name
        self.col = self._open()

    def _open(self):
        try:
            col = self.client.get_or_create_collection(
                self.name,
                embedding_function=None,
                metadata={"hnsw:space": "cosine", "embedding_model": self.model, "embedding_dim": self.dim},
            )
        except Exception as exc:
            raise StoreError(
                f"cannot open Chroma collection {self.name!r}: {str(exc).splitlines()[0][:200]}",
                "run `briefing doctor`, or `briefing reindex` to rebuild it",
            ) from None
        meta = col.metadata or {}
        if meta.get("embedding_model") != self.model or int(meta.get("embedding_dim", -1)) != self.dim:
            raise StoreError(
                f"the index was built with {meta.get('embedding_model')} ({meta.get('embedding_dim')} dims), "
                f"but the settings use {self.model} ({self.dim} dims)",
                "run `briefing reindex` to rebuild it with the current model, or change the embedding settings back",
            )
        return col

    def count(self) -> int:
        with _failures(self.where):
            return self.col.count()

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict]) -> None:
        if not ids:
            return
        # Chroma rejects None metadata values: leave the key out instead.
        metas = [{k: v for k, v in m.items() if v is not None} for m in metadatas]
        with _failures(self.where):
            self.col.upsert(ids=ids, embeddings=vectors.astype(np.float32), metadatas=metas)

    def ids(self) -> set[str]:
        out: set[str] = set()
        offset = 0
        while True:
            with _failures(self.where):
                got = self.col.get(include=[], limit=5000, offset=offset)
            out.update(got["ids"])
            if len(got["ids"]) < 5000:
                return out
            offset += 5000

    def delete(self, ids: list[str]) -> None:
        if ids:
            with _failures(self.where):
                self.col.delete(ids=ids)

    def query(
        self, vector: np.ndarray, n: int, since: int | None = None, until: int | None = None
    ) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk id, cosine distance), nearest first."""
        if n <= 0:
            return []  # (an empty collection, or fewer chunks than n, just gives fewer results)
        clauses = []
        if since is not None:
            clauses.append({"published": {"$gte": since}})
        if until is not None:
            clauses.append({"published": {"$lte": until}})
        where = clauses[0] if len(clauses) == 1 else ({"$and": clauses} if clauses else None)
        with _failures(self.where):
            res = self.col.query(
                query_embeddings=[vector.astype(np.float32)], n_results=n, where=where, include=["distances"]
            )
        return list(zip(res["ids"][0], res["distances"][0]))

    @staticmethod
    def drop(data_dir: Path, url: str | None, name: str) -> None:
        client = _client(data_dir, url)
        with _failures(url or str(data_dir / "chroma")):
            if name in {c if isinstance(c, str) else c.name for c in client.list_collections()}:
                client.delete_collection(name)
