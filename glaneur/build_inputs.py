"""A fingerprint of everything a build reads, so that a build with nothing new is skipped.

The published tables are a function of: the documents (their content hashes), the sources'
rows, the editors' dedup decisions, corrections and features, which documents are gone (lifecycle), « today » (open
calls, upcoming events), and the code and reference data of the build. When none of these
changed since the last published build, building again would write the same tables.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from functools import cache
from pathlib import Path

import sqlite_utils

import dedup
import glaneur
from glaneur.lifecycle import gone_documents
from glaneur.normalize_cache import normalizers_fingerprint
from glaneur.paths import DATA_DIR, DATASETTE_DIR

TABLE = "build_state"


@cache
def code_fingerprint() -> str:
    """The build's code (normalizers, dedup, glaneur) and the reference data it reads."""
    files: list[Path] = []
    for package in (dedup, glaneur):
        files += sorted(Path(package.__file__).parent.glob("*.py"))
    files += sorted(p for p in DATA_DIR.glob("*") if p.suffix in (".yaml", ".csv"))
    files += sorted((DATASETTE_DIR / "fiches").glob("*.md"))
    digest = hashlib.sha256(normalizers_fingerprint().encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _rows(conn: sqlite3.Connection, sql: str) -> bytes:
    return repr(conn.execute(sql).fetchall()).encode()


def inputs_fingerprint(db: sqlite_utils.Database, today: date | None, corrections: list[dict] | None = None,
                       features: dict[str, list[dict]] | None = None, proposed: list[dict] | None = None) -> str:
    conn = db.conn
    digest = hashlib.sha256()
    digest.update(f"{code_fingerprint()}|{today}".encode())
    digest.update(_rows(conn, "select id, content_hash from documents order by id"))
    digest.update(_rows(conn, "select * from sources order by id"))
    # A missing table and an empty one read the same (the first build creates it).
    decisions = _rows(conn, "select * from dedup_decisions order by id") if db["dedup_decisions"].exists() else b"[]"
    digest.update(decisions)
    digest.update(repr(sorted(gone_documents(db).items())).encode())
    if corrections:  # editors' corrections in force (edition.db): none leaves the digest as it was
        from glaneur.corrections import fingerprint_rows

        digest.update(fingerprint_rows(corrections))
    if features and (features["pratiques"] or features["une"]):  # pratiques inspirantes, « À la une »
        from glaneur.features import fingerprint_rows as feature_rows

        digest.update(feature_rows(features))
    if proposed:  # documents of the partners' accepted proposals (glaneur/contributions.py)
        from glaneur.contributions import fingerprint_rows as proposed_rows

        digest.update(proposed_rows(proposed))
    return digest.hexdigest()


def last_fingerprint(db: sqlite_utils.Database) -> str | None:
    if not db[TABLE].exists():
        return None
    row = db.conn.execute(f"select value from {TABLE} where key = 'inputs'").fetchone()
    return row[0] if row else None


def remember_fingerprint(db: sqlite_utils.Database, fingerprint: str) -> None:
    db[TABLE].upsert({"key": "inputs", "value": fingerprint}, pk="key")
