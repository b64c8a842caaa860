"""The canonical store: SQLite with documents, sentences, chunks, an FTS5 keyword index,
saved briefs and the LLM call log. Chroma is only an index that can be rebuilt from here."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

from pydantic import BaseModel, Field

from briefing.claims.models import Claim
from briefing.dates import to_epoch
from briefing.documents import Document
from briefing.errors import DISK_FULL_HINT, StoreBusyError, StoreError, is_disk_full
from briefing.splitting import Chunk, Sentence
from briefing.text import sentence_key

SCHEMA_VERSION = 2
KEYWORD_MAX_POSTINGS = 3000  # sentences scored by one keyword search, at most (see keyword_search)
KEYWORD_MAX_DEPTH = 20000  # ranked sentences read, at most, to find `limit` distinct ones
COLLECTION_DAYS = 60  # an undated report's month and day is taken only this close to the collection's days
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT NOT NULL, published TEXT, published_epoch INTEGER,
  text TEXT NOT NULL, meta TEXT NOT NULL DEFAULT '{}', duplicate_of TEXT, ingested_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sentences (
  id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id), idx INTEGER NOT NULL,
  start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, chunk_id TEXT NOT NULL,
  norm_key TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_id, idx);
CREATE INDEX IF NOT EXISTS sentences_chunk ON sentences(chunk_id);
CREATE INDEX IF NOT EXISTS sentences_norm ON sentences(norm_key);
CREATE TABLE IF NOT EXISTS chunks (
  id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id), idx INTEGER NOT NULL,
  start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, indexed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS chunks_unindexed ON chunks(indexed);
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(
  text, content='sentences', content_rowid='rowid', tokenize='porter unicode61');
CREATE TRIGGER IF NOT EXISTS sentences_ai_distinct AFTER INSERT ON sentences
  WHEN NOT EXISTS (SELECT 1 FROM sentences WHERE norm_key=new.norm_key AND rowid<>new.rowid) BEGIN
  INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text); END;
CREATE TABLE IF NOT EXISTS briefs (
  date TEXT NOT NULL, actors TEXT NOT NULL, created_at REAL NOT NULL, body TEXT NOT NULL, PRIMARY KEY (date, actors));
CREATE TABLE IF NOT EXISTS llm_calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ts REAL NOT NULL, model TEXT NOT NULL, task TEXT NOT NULL,
  prompt_hash TEXT NOT NULL, prompt_tokens INTEGER, completion_tokens INTEGER, attempts INTEGER NOT NULL,
  latency_ms REAL NOT NULL, ok INTEGER NOT NULL, error TEXT);
CREATE TABLE IF NOT EXISTS document_urls (url TEXT PRIMARY KEY, doc_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS document_urls_doc ON document_urls(doc_id);
CREATE TABLE IF NOT EXISTS feeds (
  url TEXT PRIMARY KEY, title TEXT, etag TEXT, last_modified TEXT, added_at REAL NOT NULL, checked_at REAL,
  status TEXT);
CREATE TABLE IF NOT EXISTS feed_items (
  feed_url TEXT NOT NULL, item TEXT NOT NULL, url TEXT, doc_id TEXT, seen_at REAL NOT NULL,
  PRIMARY KEY (feed_url, item));
CREATE TABLE IF NOT EXISTS removals (doc_id TEXT PRIMARY KEY, requested_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS claims (
  doc_id TEXT NOT NULL REFERENCES documents(id), idx INTEGER NOT NULL, sentence_id TEXT NOT NULL,
  speaker TEXT, actor TEXT, kind TEXT NOT NULL, event TEXT, event_date TEXT, published TEXT, record TEXT NOT NULL,
  PRIMARY KEY (doc_id, idx));
CREATE INDEX IF NOT EXISTS claims_event_date ON claims(event_date);
CREATE INDEX IF NOT EXISTS claims_published ON claims(published);
CREATE TABLE IF NOT EXISTS claims_done (doc_id TEXT PRIMARY KEY REFERENCES documents(id), version TEXT NOT NULL);
"""


class StoredDocument(BaseModel):
    """One row of Store.documents(): a stored article without its text."""

    id: str
    title: str
    source: str
    published: str | None
    duplicate_of: str | None
    ingested_at: float
    chars: int
    sentences: int
    chunks: int
    planted_instructions: int = Field(
        0, description="Sentences that are instructions to a reader or a model (never used as evidence)."
    )
    dates_differ: dict[str, str | None] = Field(
        default_factory=dict, description="Near-duplicate copies dated otherwise: id → date (briefing.doclist)."
    )
    removal_pending: bool = False


class Store:
    """One SQLite file. Open it read-write for ingest, read-only elsewhere is not needed: WAL lets
    readers run beside one writer; a second writer waits at most `busy_ms` and then fails fast."""

    def __init__(self, path: Path, busy_ms: int = 2000):
        self.path = path
        existed = _check_existing(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=busy_ms / 1000, check_same_thread=False, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            if existed:
                _check_briefing_store(self.db, path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            self.db.executescript(SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is None:
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) != SCHEMA_VERSION:
                raise StoreError(
                    f"store {path} has schema version {row[0]}, this briefing needs {SCHEMA_VERSION}",
                    "use a new BRIEFING_DATA_DIR and re-ingest",
                )
        except sqlite3.DatabaseError as exc:
            raise _translate(exc, path) from None
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc.strerror}", "check BRIEFING_DATA_DIR") from None

    def _migrate(self) -> None:
        """Version 1 → 2: every sentence gets the key of its normalised text (identical sentences of
        syndicated copies share it)."""
        has_meta = self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() if has_meta else None
        if row is None or int(row[0]) != 1:
            return
        with self.transaction() as db:
            db.execute("ALTER TABLE sentences ADD COLUMN norm_key TEXT NOT NULL DEFAULT ''")
            rows = db.execute("SELECT id, text FROM sentences").fetchall()
            db.executemany("UPDATE sentences SET norm_key=? WHERE id=?", [(sentence_key(r[1]), r[0]) for r in rows])
            # The keyword index holds each distinct sentence once (its first copy), so copies do not skew BM25.
            db.execute("DROP TRIGGER IF EXISTS sentences_ai")
            db.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('delete-all')")
            db.execute(
                "INSERT INTO sentences_fts(rowid, text) SELECT s.rowid, s.text FROM sentences s"
                " WHERE s.rowid = (SELECT min(t.rowid) FROM sentences t WHERE t.norm_key=s.norm_key)"
            )
            db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _translate(exc, self.path) from None
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite already rolled back (e.g. on a full disk); the first error is the one to report
            if isinstance(exc, sqlite3.DatabaseError):
                raise _translate(exc, self.path) from None
            raise

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise _translate(exc, self.path) from None

    # --- meta ---------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key=?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value)
        )

    # --- documents ----------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return bool(self.query("SELECT 1 FROM documents WHERE id=?", (doc_id,)))

    def add_document(
        self,
        doc: Document,
        sentences: list[Sentence],
        chunks: list[Chunk],
        duplicate_of: str | None = None,
        replaces_original: str | None = None,
    ) -> bool:
        """Insert a document with its sentences and chunks in one transaction. False if it was already stored.
        replaces_original: the id of a stored original this document becomes the original of (it and its
        copies are then marked as copies of this one)."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM documents WHERE id=?", (doc.id,)).fetchone():
                return False
            if replaces_original:
                db.execute(
                    "UPDATE documents SET duplicate_of=? WHERE id=? OR duplicate_of=?",
                    (doc.id, replaces_original, replaces_original),
                )
            db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    doc.id,
                    doc.title,
                    doc.source,
                    doc.published.isoformat() if doc.published else None,
                    to_epoch(doc.published),
                    doc.text,
                    json.dumps(doc.meta),
                    duplicate_of,
                    time.time(),
                ),
            )
            chunk_of = {}
            for c in chunks:
                db.execute("INSERT INTO chunks VALUES (?,?,?,?,?,?,0)", (c.id, doc.id, c.idx, c.start, c.end, c.text))
                for i in range(c.first, c.last + 1):
                    chunk_of[i] = c.id
            db.executemany(
                "INSERT INTO sentences VALUES (?,?,?,?,?,?,?,?)",
                [
                    (f"{doc.id}:{s.idx}", doc.id, s.idx, s.start, s.end, s.text, chunk_of[s.idx], sentence_key(s.text))
                    for s in sentences
                ],
            )
            db.executemany(
                "INSERT OR IGNORE INTO document_urls VALUES (?, ?)", [(u, doc.id) for u in document_urls(doc)]
            )
        return True

    def documents(self) -> list[sqlite3.Row]:
        return self.query(
            "SELECT d.id, d.title, d.source, d.published, d.duplicate_of, d.ingested_at, length(d.text) AS chars,"
            " (SELECT count(*) FROM sentences s WHERE s.doc_id=d.id) AS sentences,"
            " (SELECT count(*) FROM chunks c WHERE c.doc_id=d.id) AS chunks,"
            " CAST(coalesce(json_extract(d.meta, '$.planted_instructions'), 0) AS INTEGER) AS planted_instructions"
            " FROM documents d ORDER BY d.published IS NULL, d.published, d.source"
        )

    def document(self, doc_id: str) -> sqlite3.Row | None:
        rows = self.query("SELECT * FROM documents WHERE id=?", (doc_id,))
        return rows[0] if rows else None

    def distinct_sentences(self) -> int:
        """Sentences counted once however many copies carry them (the keyword index's size)."""
        return self.query("SELECT count(DISTINCT norm_key) FROM sentences")[0][0]

    def find_documents(self, prefix: str) -> list[sqlite3.Row]:
        """Documents whose id starts with `prefix` (a full id or a unique prefix of one)."""
        like = prefix.replace("%", "").replace("_", "") + "%"
        return self.query(
            "SELECT id, title, source, published, meta FROM documents WHERE id LIKE ? ORDER BY id", (like,)
        )

    def document_headers(self, doc_ids: list[str]) -> dict[str, sqlite3.Row]:
        """doc id → (id, source, title, published, duplicate_of), for the ids that are stored."""
        rows = self.query(
            "SELECT id, source, title, published, duplicate_of FROM documents WHERE id IN "
            f"({','.join('?' * len(doc_ids))})",
            tuple(doc_ids),
        )
        return {r["id"]: r for r in rows}

    def documents_with_text(self) -> list[dict]:
        """Every document with its text and duplicate_of, in storage order."""
        return [
            dict(r)
            for r in self.query(
                "SELECT id, title, source, published, text, duplicate_of,"
                " meta, CAST(coalesce(json_extract(meta, '$.planted_instructions'), 0) AS INTEGER)"
                " AS planted_instructions"
                " FROM documents"
            )
        ]

    def latest_published(self) -> str | None:
        """The latest publication date (ISO) among the originals, or None."""
        return self.query("SELECT max(published) FROM documents WHERE duplicate_of IS NULL")[0][0]

    def date_by_collection(self, doc_ids: list[str], key: str) -> int:
        """Give each of these undated documents whose meta[key] holds the report's month and day ("--09-07") the
        year most of the dated documents have, if that day lies within COLLECTION_DAYS of theirs (the median).
        Returns how many were dated."""
        rows = self.query(
            "SELECT substr(published, 1, 4) AS y FROM documents WHERE published IS NOT NULL"
            " GROUP BY y ORDER BY count(*) DESC, y DESC LIMIT 1"
        )
        if not rows or not doc_ids:
            return 0
        year, dated = int(rows[0]["y"]), 0
        days = sorted(
            date.fromisoformat(r[0]) for r in self.query("SELECT published FROM documents WHERE published IS NOT NULL")
        )
        middle = days[len(days) // 2]
        marks = ",".join("?" * len(doc_ids))
        with self.transaction() as db:
            for row in db.execute(
                f"SELECT id, meta FROM documents WHERE published IS NULL AND id IN ({marks})", doc_ids
            ).fetchall():
                month_day = json.loads(row["meta"] or "{}").get(key, "")
                try:
                    day = date(year, int(month_day[2:4]), int(month_day[5:7]))
                except ValueError:
                    continue
                if abs((day - middle).days) > COLLECTION_DAYS:
                    continue  # far from the collection's days: a background date ("the 9th May parade"), not today's
                db.execute(
                    "UPDATE documents SET published=?, published_epoch=? WHERE id=?",
                    (day.isoformat(), to_epoch(day), row["id"]),
                )
                dated += 1
        return dated

    def integrity(self) -> str:
        return self.query("PRAGMA integrity_check")[0][0]

    def count(self, table: str) -> int:
        assert table in {"documents", "sentences", "chunks", "briefs", "llm_calls"}
        return self.query(f"SELECT count(*) FROM {table}")[0][0]

    # --- chunks -------------------------------------------------------------
    def unindexed_chunks(self) -> list[sqlite3.Row]:
        return self.query(
            "SELECT c.id, c.doc_id, c.text, d.source, d.published_epoch FROM chunks c JOIN documents d ON d.id=c.doc_id"
            " WHERE c.indexed=0 ORDER BY c.doc_id, c.idx"
        )

    def all_chunks(self) -> list[sqlite3.Row]:
        return self.query(
            "SELECT c.id, c.doc_id, c.text, d.source, d.published_epoch FROM chunks c JOIN documents d ON d.id=c.doc_id"
            " ORDER BY c.doc_id, c.idx"
        )

    def mark_indexed(self, chunk_ids: list[str], value: int = 1) -> None:
        with self.transaction() as db:
            db.executemany("UPDATE chunks SET indexed=? WHERE id=?", [(value, cid) for cid in chunk_ids])

    def mark_all_unindexed(self) -> None:
        with self.transaction() as db:
            db.execute("UPDATE chunks SET indexed=0")

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self.query("SELECT id FROM chunks")}

    # --- sentences ----------------------------------------------------------
    def sentences_of_chunks(self, chunk_ids: list[str]) -> list[sqlite3.Row]:
        if not chunk_ids:
            return []
        marks = ",".join("?" * len(chunk_ids))
        return self.query(
            f"SELECT s.*, d.duplicate_of, o.published_epoch AS original_epoch FROM sentences s"
            f" JOIN documents d ON d.id=s.doc_id LEFT JOIN documents o ON o.id=d.duplicate_of"
            f" WHERE s.chunk_id IN ({marks}) ORDER BY s.doc_id, s.idx",
            tuple(chunk_ids),
        )

    def sentence_copies(self, keys: list[str], since: int | None = None, until: int | None = None) -> list[sqlite3.Row]:
        """Every stored sentence whose normalised text has one of these keys, with its document's source and date
        (inside the date range, if given)."""
        if not keys:
            return []
        sql = (
            "SELECT s.*, d.source, d.title, d.published, d.published_epoch FROM sentences s JOIN documents d ON "
            "d.id=s.doc_id"
            f" WHERE s.norm_key IN ({','.join('?' * len(keys))})"
        )
        params: list = list(keys)
        if since is not None:
            sql += " AND d.published_epoch >= ?"
            params.append(since)
        if until is not None:
            sql += " AND d.published_epoch <= ?"
            params.append(until)
        return self.query(sql, tuple(params))

    def document_texts(self, doc_ids: list[str]) -> dict[str, str]:
        if not doc_ids:
            return {}
        marks = ",".join("?" * len(doc_ids))
        return {
            r["id"]: r["text"]
            for r in self.query(f"SELECT id, text FROM documents WHERE id IN ({marks})", tuple(doc_ids))
        }

    def originals(self) -> list[sqlite3.Row]:
        """Documents that are not near-duplicate copies of another, with their text."""
        return self.query("SELECT id, text, published_epoch FROM documents WHERE duplicate_of IS NULL")

    def sentences_of_docs(self, doc_ids: list[str]) -> list[sqlite3.Row]:
        if not doc_ids:
            return []
        marks = ",".join("?" * len(doc_ids))
        return self.query(f"SELECT * FROM sentences WHERE doc_id IN ({marks}) ORDER BY doc_id, idx", tuple(doc_ids))

    def keyword_search(
        self,
        terms: list[str],
        limit: int,
        since: int | None = None,
        until: int | None = None,
        max_postings: int = KEYWORD_MAX_POSTINGS,
    ) -> list[sqlite3.Row]:
        """FTS5 BM25 over sentences, best first: any of the rarest terms (porter-stemmed) whose sentences
        fit in max_postings; when even the rarest is commoner than that, all of the terms together.

        BM25 costs time for every matching sentence, and a term found in thousands of sentences adds
        little to the ranking (dense retrieval covers it), so the common terms are left out first."""
        clean = list(dict.fromkeys(t for t in (re.sub(r"[^\w]", "", t) for t in terms) if t))
        if not clean or limit <= 0:
            return []
        df = {t: self.term_frequency(t, prefix=False, at_most=max_postings + 1) for t in clean}
        chosen, total = [], 0
        for t in sorted((t for t in clean if df[t]), key=lambda t: (df[t], t)):
            if total + df[t] > max_postings:
                break
            chosen.append(t)
            total += df[t]
        if chosen:
            match = " OR ".join(f'"{t}"' for t in chosen)
        elif any(df.values()):
            match = " AND ".join(f'"{t}"' for t in clean if df[t])
        else:
            return []
        inner = "SELECT sentences_fts.rowid AS rowid, bm25(sentences_fts) AS score FROM sentences_fts"
        params: list = []
        if since is not None or until is not None:
            inner += " JOIN sentences s ON s.rowid=sentences_fts.rowid JOIN documents d ON d.id=s.doc_id"
        inner += " WHERE sentences_fts MATCH ?"
        params.append(match)
        if since is not None:
            inner += " AND d.published_epoch >= ?"
            params.append(since)
        if until is not None:
            inner += " AND d.published_epoch <= ?"
            params.append(until)
        inner += " ORDER BY score, rowid LIMIT ?"
        # Identical sentences (syndicated copies) count once: read deeper until `limit` distinct ones are found.
        depth = limit
        while True:
            hits = self.query(inner, (*params, depth))
            rows = {
                r["rowid"]: r
                for r in self.query(
                    f"SELECT rowid, * FROM sentences WHERE rowid IN ({','.join('?' * len(hits))})",
                    tuple(h[0] for h in hits),
                )
            }
            best: dict[str, dict] = {}
            for rowid, score in hits:
                row = rows[rowid]
                best.setdefault(row["norm_key"], {**dict(row), "score": score})
            if len(best) >= limit or len(hits) < depth or depth >= KEYWORD_MAX_DEPTH:
                return list(best.values())[:limit]
            depth *= 4

    def term_frequency(self, term: str, prefix: bool = True, at_most: int | None = None) -> int:
        """How many sentences contain the word (prefix=True: any word starting with this stem);
        counting stops at at_most."""
        clean = re.sub(r"[^\w]", "", term)
        if not clean:
            return 0
        match = f'"{clean}"*' if prefix else f'"{clean}"'
        if at_most is None:
            return self.query("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?", (match,))[0][0]
        return self.query(
            "SELECT count(*) FROM (SELECT 1 FROM sentences_fts WHERE sentences_fts MATCH ? LIMIT ?)", (match, at_most)
        )[0][0]

    # --- briefs -------------------------------------------------------------
    def save_brief(self, day: date, actors: str, body: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO briefs VALUES (?,?,?,?) ON CONFLICT(date, actors) DO UPDATE SET "
                "created_at=excluded.created_at, body=excluded.body",
                (day.isoformat(), actors, time.time(), body),
            )

    def briefs(self) -> list[sqlite3.Row]:
        return self.query("SELECT date, actors, created_at FROM briefs ORDER BY date DESC, created_at DESC")

    def brief(self, day: date, actors: str | None = None) -> sqlite3.Row | None:
        if actors is None:
            rows = self.query("SELECT * FROM briefs WHERE date=? ORDER BY created_at DESC LIMIT 1", (day.isoformat(),))
        else:
            rows = self.query("SELECT * FROM briefs WHERE date=? AND actors=?", (day.isoformat(), actors))
        return rows[0] if rows else None

    def latest_brief_before(self, day: date, actors: str) -> sqlite3.Row | None:
        rows = self.query(
            "SELECT * FROM briefs WHERE date<? AND actors=? ORDER BY date DESC LIMIT 1", (day.isoformat(), actors)
        )
        return rows[0] if rows else None

    # --- claims ---------------------------------------------------------------
    def save_claims(self, by_doc: dict[str, list[Claim]], version: str) -> int:
        """Replace the claims of each document (one transaction); mark them derived by extractor `version`."""
        n = 0
        with self.transaction() as db:
            for doc_id, claims in by_doc.items():
                db.execute("DELETE FROM claims WHERE doc_id=?", (doc_id,))
                db.executemany(
                    "INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            doc_id,
                            i,
                            str(c.sentence_id),
                            c.speaker,
                            c.actor,
                            c.kind,
                            c.event,
                            c.event_date.isoformat() if c.event_date else None,
                            c.published.isoformat() if c.published else None,
                            c.model_dump_json(),
                        )
                        for i, c in enumerate(claims)
                    ],
                )
                db.execute(
                    "INSERT INTO claims_done VALUES (?,?) ON CONFLICT(doc_id) DO UPDATE SET version=excluded.version",
                    (doc_id, version),
                )
                n += len(claims)
        return n

    def claims_of_docs(self, doc_ids: list[str]) -> list[Claim]:
        """Stored claims of the documents, in document and sentence order."""
        if not doc_ids:
            return []
        marks = ",".join("?" * len(doc_ids))
        rows = self.query(f"SELECT record FROM claims WHERE doc_id IN ({marks}) ORDER BY doc_id, idx", tuple(doc_ids))
        return [Claim.model_validate_json(r[0]) for r in rows]

    def docs_without_claims(self, version: str | None = None) -> list[str]:
        """Ids of documents whose claims were never derived (or, given `version`, derived by another one)."""
        rows = self.query(
            "SELECT d.id FROM documents d LEFT JOIN claims_done c ON c.doc_id = d.id "
            "WHERE c.version IS NULL OR (? IS NOT NULL AND c.version != ?) ORDER BY d.id",
            (version, version),
        )
        return [r[0] for r in rows]

    def claims_version_counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.query("SELECT version, count(*) FROM claims_done GROUP BY version")}

    # --- LLM call log -------------------------------------------------------
    def log_call(
        self,
        model: str,
        task: str,
        prompt_hash: str,
        prompt_tokens: int | None,
        completion_tokens: int | None,
        attempts: int,
        latency_ms: float,
        ok: bool,
        error: str | None,
    ) -> None:
        try:
            self.db.execute(
                "INSERT INTO llm_calls (ts, model, task, prompt_hash, prompt_tokens, completion_tokens, attempts, "
                "latency_ms, ok, error)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    time.time(),
                    model,
                    task,
                    prompt_hash,
                    prompt_tokens,
                    completion_tokens,
                    attempts,
                    latency_ms,
                    int(ok),
                    error,
                ),
            )
        except sqlite3.OperationalError:
            pass  # the log must never break an answer (e.g. the store is busy with a long ingest)

    def calls(self, limit: int = 50) -> list[sqlite3.Row]:
        return self.query("SELECT * FROM llm_calls ORDER BY id DESC LIMIT ?", (limit,))

    # --- URLs, feeds ----------------------------------------------------------
    def document_for_urls(self, urls: list[str]) -> str | None:
        """The stored document fetched from (or canonically at) one of these URLs."""
        for url in urls:
            rows = self.query("SELECT doc_id FROM document_urls WHERE url=?", (url,))
            if rows:
                return rows[0][0]
        return None

    def add_urls(self, doc_id: str, urls: list[str]) -> None:
        if urls:
            with self.transaction() as db:
                db.executemany("INSERT OR IGNORE INTO document_urls VALUES (?, ?)", [(u, doc_id) for u in urls])

    def add_feed(self, url: str) -> bool:
        with self.transaction() as db:
            return (
                db.execute("INSERT OR IGNORE INTO feeds (url, added_at) VALUES (?, ?)", (url, time.time())).rowcount
                == 1
            )

    def remove_feed(self, url: str) -> bool:
        with self.transaction() as db:
            db.execute("DELETE FROM feed_items WHERE feed_url=?", (url,))
            return db.execute("DELETE FROM feeds WHERE url=?", (url,)).rowcount == 1

    def feeds(self) -> list[sqlite3.Row]:
        return self.query(
            "SELECT f.*, (SELECT count(*) FROM feed_items i WHERE i.feed_url=f.url) AS items"
            " FROM feeds f ORDER BY f.added_at"
        )

    def feed_checked(
        self,
        url: str,
        status: str,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
        keep_validators: bool = False,
    ) -> None:
        with self.transaction() as db:
            if keep_validators:
                db.execute("UPDATE feeds SET checked_at=?, status=? WHERE url=?", (time.time(), status, url))
            else:
                db.execute(
                    "UPDATE feeds SET checked_at=?, status=?, etag=?, last_modified=?, title=coalesce(?, title)"
                    " WHERE url=?",
                    (time.time(), status, etag, last_modified, title, url),
                )

    def seen_items(self, feed_url: str) -> set[str]:
        return {r[0] for r in self.query("SELECT item FROM feed_items WHERE feed_url=?", (feed_url,))}

    def mark_items_seen(self, feed_url: str, items: list[tuple[str, str | None, str | None]]) -> None:
        """items: (item key, its URL, the document it became)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO feed_items VALUES (?, ?, ?, ?, ?)",
                [(feed_url, key, url, doc_id, time.time()) for key, url, doc_id in items],
            )

    # --- removing documents -----------------------------------------------------
    def mark_for_removal(self, doc_ids: list[str]) -> None:
        with self.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO removals VALUES (?, ?)", [(d, time.time()) for d in doc_ids])

    def pending_removals(self) -> list[str]:
        return [r[0] for r in self.query("SELECT doc_id FROM removals ORDER BY requested_at, doc_id")]

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.query("SELECT id FROM chunks WHERE doc_id=? ORDER BY idx", (doc_id,))]

    def delete_document(self, doc_id: str) -> dict:
        """In one transaction: the document, its sentences and their keyword-index rows, its chunks, its URLs,
        rows of any other table keyed by doc_id (claims...), saved briefs that cite it, and its removal mark.
        Near-duplicates of it get a new original (the earliest of them). Run after its vectors are deleted."""
        gone = {"sentences": 0, "chunks": 0, "briefs": 0}
        with self.transaction() as db:
            # The keyword index holds each distinct sentence once, as its earliest row: when that row goes, the
            # next copy (in another document) takes its place.
            rows = db.execute("SELECT rowid, text, norm_key FROM sentences WHERE doc_id=?", (doc_id,)).fetchall()
            indexed = [
                r
                for r in rows
                if db.execute("SELECT min(rowid) FROM sentences WHERE norm_key=?", (r[2],)).fetchone()[0] == r[0]
            ]
            db.executemany(
                "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', ?, ?)",
                [(r[0], r[1]) for r in indexed],
            )
            gone["sentences"] = db.execute("DELETE FROM sentences WHERE doc_id=?", (doc_id,)).rowcount
            for r in indexed:
                db.execute(
                    "INSERT INTO sentences_fts(rowid, text)"
                    " SELECT rowid, text FROM sentences WHERE norm_key=? ORDER BY rowid LIMIT 1",
                    (r[2],),
                )
            gone["chunks"] = db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,)).rowcount
            db.execute("DELETE FROM document_urls WHERE doc_id=?", (doc_id,))
            db.execute(
                "UPDATE feed_items SET doc_id=NULL WHERE doc_id=?", (doc_id,)
            )  # still seen: an update does not bring it back
            for (table,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN "
                "('documents','sentences','chunks','document_urls','feed_items','removals')"
                " AND name NOT LIKE 'sentences_fts%'"
            ).fetchall():
                if "doc_id" in {c[1] for c in db.execute(f'PRAGMA table_info("{table}")')}:
                    db.execute(f'DELETE FROM "{table}" WHERE doc_id=?', (doc_id,))
            gone["briefs"] = db.execute(
                "DELETE FROM briefs WHERE instr(body, ?) > 0", (f'"doc_id":"{doc_id}"',)
            ).rowcount
            copies = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM documents WHERE duplicate_of=? ORDER BY published IS NULL, published, id", (doc_id,)
                )
            ]
            if copies:
                db.execute("UPDATE documents SET duplicate_of=NULL WHERE id=?", (copies[0],))
                db.executemany("UPDATE documents SET duplicate_of=? WHERE id=?", [(copies[0], c) for c in copies[1:]])
            gone["documents"] = db.execute("DELETE FROM documents WHERE id=?", (doc_id,)).rowcount
            db.execute("DELETE FROM removals WHERE doc_id=?", (doc_id,))
        return gone


def document_urls(doc: Document) -> list[str]:
    """The URLs a document is known by: where it was fetched from and its canonical address."""
    return list(dict.fromkeys(u for u in (doc.meta.get(k) for k in ("url", "final_url", "canonical_url")) if u))


SQLITE_HEADER = b"SQLite format 3\x00"
NOT_A_STORE_HINT = "nothing was changed; move the file aside and re-ingest, or point BRIEFING_DATA_DIR elsewhere"


def _check_existing(path: Path) -> bool:
    """True when the store file exists and looks like SQLite; StoreError when it exists but is not
    (a 0-byte file included): such a file is never re-initialised as a new, empty store."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        raise StoreError(
            f"the store {path.name} in the data directory is a folder, not a file", NOT_A_STORE_HINT
        ) from None
    except OSError as exc:
        raise StoreError(
            f"cannot read the store {path.name} in the data directory: {exc.strerror}", "check its permissions"
        ) from None
    if not head:
        raise StoreError(
            f"the store {path.name} in the data directory is empty (0 bytes): corrupt, not a briefing store",
            NOT_A_STORE_HINT,
        )
    if head != SQLITE_HEADER:
        raise StoreError(
            f"the store {path.name} in the data directory is corrupt: not an SQLite file", NOT_A_STORE_HINT
        )
    return True


def _check_briefing_store(db: sqlite3.Connection, path: Path) -> None:
    """An existing SQLite file must already be a briefing store (it has its schema version)."""
    try:
        row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise
        row = None
    if row is None:
        raise StoreError(
            f"the store {path.name} in the data directory is an SQLite file but not a briefing store "
            "(corrupt or another program's)",
            NOT_A_STORE_HINT,
        )


def _translate(exc: sqlite3.DatabaseError, path: Path) -> Exception:
    text = str(exc)
    if is_disk_full(exc):
        return StoreError("cannot write the store: disk full", DISK_FULL_HINT)
    if "locked" in text or "busy" in text:
        return StoreBusyError(
            f"store busy: another briefing process is writing {path.parent}", "wait for it to finish and retry"
        )
    if isinstance(exc, sqlite3.OperationalError) and "no such" not in text:
        return StoreError(f"cannot use the store at {path}: {text}", "check BRIEFING_DATA_DIR")
    return StoreError(
        f"the store at {path} is corrupt or not a briefing store ({text})",
        "move it aside and re-ingest, or point BRIEFING_DATA_DIR elsewhere",
    )
