"""Store documents in SQLite: upsert by (source, URL), counting new / updated / unchanged.

Storing never deletes: a source that fails or shrinks keeps what it contributed before.
Writes are plain prepared statements (one lookup, one write per item): this runs on the
reactor thread for every item of the crawl.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import sqlite_utils

from glaneur.db import SCHEMA, compress, open_db, stable_id
from glaneur.items import Document
from glaneur.normalize_cache import ensure_table, store_normalized

_connections: dict[str, sqlite_utils.Database] = {}


COMMIT_EVERY = 200  # writes per transaction: a crash loses at most these, re-fetched next crawl
COLUMNS = tuple(SCHEMA["documents"]["columns"])
_UPSERT = (
    f"insert into documents ({', '.join(COLUMNS)}) values ({', '.join('?' for _ in COLUMNS)}) "
    "on conflict(id) do update set "
    + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c not in ("id", "first_seen"))
)
_SEEN = ("update documents set last_seen = ?, origin = coalesce(?, origin), checked_at = coalesce(?, checked_at) "
         "where id = ?")


def shared_db(path: str) -> sqlite_utils.Database:
    """One connection per database file for all crawlers of the process (one reactor thread)."""
    db = _connections.get(path)  # hot path: called for every item
    if db is None:
        key = str(Path(path).resolve())
        db = _connections.get(key) or open_db(path)
        ensure_table(db)
        _connections[key] = _connections[path] = db
    return db


def in_batch(db: sqlite_utils.Database) -> sqlite_utils.Database:
    """Open a transaction if none is: one commit (one fsync) per batch instead of per write."""
    if not db.conn.in_transaction:
        db.conn.execute("BEGIN")
    return db


def commit(db: sqlite_utils.Database) -> None:
    if db.conn.in_transaction:
        db.conn.commit()


def fields_json(doc: Document) -> str:
    """`documents.fields` as stored, and so as the build reads it back."""
    return json.dumps(doc.fields, ensure_ascii=False, sort_keys=True, default=str)


def content_hash(doc: Document) -> str:
    """The payload hash set by the extract stage, else a hash of the extracted content."""
    if doc.content_hash:
        return doc.content_hash
    basis = doc.raw if doc.raw_format == "pdf" else (doc.title + "\n" + doc.text).encode("utf-8")
    return hashlib.sha256(basis).hexdigest()


def stored_hash(db: sqlite_utils.Database, doc: Document) -> str | None:
    """Content hash of the stored version of this document, if any."""
    row = db.conn.execute(
        "select content_hash from documents where id = ?", [stable_id(doc.source_id, doc.url)]
    ).fetchone()
    return row[0] if row else None


def store_document(db: sqlite_utils.Database, doc: Document) -> str:
    """Upsert one document; returns 'new', 'updated' or 'unchanged'."""
    doc_id = stable_id(doc.source_id, doc.url)
    digest = content_hash(doc)
    conn = db.conn
    if doc.unchanged:
        status = "unchanged"
    else:
        existing = conn.execute("select content_hash from documents where id = ?", [doc_id]).fetchone()
        status = "new" if existing is None else ("unchanged" if existing[0] == digest else "updated")
    if status == "unchanged":
        conn.execute(_SEEN, [doc.fetched_at, doc.origin, doc.checked_at, doc_id])
        return status
    values = {
        **vars(doc),
        "id": doc_id,
        "fields": fields_json(doc),
        "raw": doc.stored_raw if doc.stored_raw is not None else compress(doc.raw),
        "content_hash": digest,
        "first_seen": doc.fetched_at,
        "last_seen": doc.fetched_at,
    }
    conn.execute(_UPSERT, [values.get(c) for c in COLUMNS])
    if doc.normalized:
        store_normalized(db, doc_id, *doc.normalized)
    return status


class StorePipeline:
    def __init__(self, crawler, db_path: str):
        self.crawler = crawler
        self.db_path = db_path
        self.pending = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("GLANEUR_DB_PATH"))

    def process_item(self, item):
        db = in_batch(shared_db(self.db_path))
        status = store_document(db, item)
        self.crawler.stats.inc_value(f"glaneur/items_{status}")
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            commit(db)
            self.pending = 0
        return item

    def close_spider(self, spider=None):
        commit(shared_db(self.db_path))
