"""Atomic publication: the database file is replaced only by a complete, validated build.

The build runs on a snapshot next to the database (SQLite's backup API), is checked (integrity,
counts), then renamed over the original in one `os.replace`. A build killed midway leaves the
served file untouched; its leftover snapshot is removed by the next build. A lock file keeps a
crawl and a build of the same database from interleaving.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from glaneur.db import open_db

SNAPSHOT_SUFFIX = ".construction"


class PublishError(RuntimeError):
    """The new build failed validation; the published database was left as it was."""


@contextmanager
def database_lock(db_path: Path) -> Iterator[None]:
    """Exclusive lock on `<db>.lock`, waited for, released even if the process dies."""
    lock_path = Path(str(db_path) + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def snapshot(source: Path, target: Path) -> None:
    if target.exists():
        target.unlink()
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def count(conn: sqlite3.Connection, table: str) -> int:
    try:
        return conn.execute(f"select count(*) from [{table}]").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def validate(candidate: Path, previous_resources: int, min_ratio: float) -> None:
    with sqlite3.connect(candidate) as conn:
        check = conn.execute("pragma integrity_check").fetchone()[0]
        documents, resources = count(conn, "documents"), count(conn, "resources")
    conn.close()
    if check != "ok":
        raise PublishError(f"Base construite corrompue (integrity_check : {check}) ; publication annulée.")
    if documents and not resources:
        raise PublishError(f"{documents} documents mais aucune ressource construite ; publication annulée.")
    if previous_resources and resources < previous_resources * min_ratio:
        raise PublishError(
            f"La construction ne donne que {resources} ressources contre {previous_resources} publiées "
            f"(moins de {min_ratio:.0%}) ; publication annulée."
        )


def publish_build(db_path: Path, today: date | None = None, min_ratio: float = 0.5, rebuild: bool = False):
    """Build on a snapshot, validate it, then atomically replace the database file.

    When nothing the build reads changed since the last published build (glaneur/build_inputs.py),
    the database is left as it is, unless `rebuild`.
    """
    from glaneur.build import BuildReport, build
    from glaneur.build_inputs import inputs_fingerprint, last_fingerprint, remember_fingerprint
    from glaneur.gc_tuning import fewer_collections

    db_path = Path(db_path)
    work = db_path.with_name(db_path.name + SNAPSHOT_SUFFIX)
    with database_lock(db_path):
        db = open_db(db_path)  # also the schema of a new database
        try:
            previous = count(db.conn, "resources")
            fingerprint = inputs_fingerprint(db, today)
            if not rebuild and previous and fingerprint == last_fingerprint(db):
                documents = count(db.conn, "documents")
                return BuildReport(documents, previous, documents - previous, unchanged=True)
        finally:
            db.close()
        snapshot(db_path, work)
        try:
            db = open_db(work)
            try:
                with fewer_collections():
                    report = build(db, today=today)
                remember_fingerprint(db, fingerprint)
            finally:
                db.close()
            validate(work, previous, min_ratio)
            os.replace(work, db_path)
        finally:
            if work.exists():
                work.unlink()
    return report
