"""SQLite storage of claims: one table, save/load functions taking a sqlite3 connection.
Claims are re-derivable from the stored sentences, so saving a document's claims replaces them."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from briefing.claims.models import Claim

DDL = """
CREATE TABLE IF NOT EXISTS claims (
  doc_id TEXT NOT NULL, sentence_id TEXT NOT NULL, idx INTEGER NOT NULL,
  speaker TEXT, actor TEXT, kind TEXT NOT NULL, event TEXT, event_date TEXT, published TEXT,
  record TEXT NOT NULL,
  PRIMARY KEY (doc_id, idx));
CREATE INDEX IF NOT EXISTS claims_event_date ON claims(event_date);
CREATE INDEX IF NOT EXISTS claims_published ON claims(published);
CREATE INDEX IF NOT EXISTS claims_actor ON claims(actor);
"""


def ensure_table(conn: sqlite3.Connection) -> None:
    conn.executescript(DDL)


def save_claims(conn: sqlite3.Connection, doc_id: str, claims: list[Claim]) -> int:
    """Replace the stored claims of one document (in the caller's transaction, if any)."""
    ensure_table(conn)
    conn.execute("DELETE FROM claims WHERE doc_id=?", (doc_id,))
    conn.executemany(
        "INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(doc_id, str(c.sentence_id), i, c.speaker, c.actor, c.kind, c.event,
          c.event_date.isoformat() if c.event_date else None, c.published.isoformat() if c.published else None,
          c.model_dump_json()) for i, c in enumerate(claims)])
    return len(claims)


def _rows(conn: sqlite3.Connection, sql: str, params: tuple) -> list[Claim]:
    ensure_table(conn)
    return [Claim.model_validate(json.loads(row[0])) for row in conn.execute(sql, params)]


def load_claims(conn: sqlite3.Connection, doc_id: str) -> list[Claim]:
    return _rows(conn, "SELECT record FROM claims WHERE doc_id=? ORDER BY idx", (doc_id,))


def load_claims_between(conn: sqlite3.Connection, first: date, last: date) -> list[Claim]:
    """Claims whose event happened, or (without an event day) whose article was published, in [first, last]."""
    a, b = first.isoformat(), last.isoformat()
    return _rows(conn, "SELECT record FROM claims WHERE (event_date BETWEEN ? AND ?)"
                       " OR (event_date IS NULL AND published BETWEEN ? AND ?) ORDER BY published, doc_id, idx",
                 (a, b, a, b))
