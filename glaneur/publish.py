"""Atomic publication: the database file is replaced only by a complete, validated build.

The build runs on a snapshot next to the database (SQLite's backup API), is checked (integrity,
counts), then renamed over the original in one `os.replace`. A build killed midway leaves the
served file untouched; its leftover snapshot is removed by the next build. A lock file keeps a
crawl and a build of the same database from interleaving.

The portal never serves that working database: crawls write into it in place, and Datasette
opens its files with `immutable=1`, which assumes nobody does. Each publication writes the
portal's own copy instead (`<db>.portail/glaneur.db`, compacted by `VACUUM INTO`, without the
directory of actors) and the directory's own file (`<db>.portail/annuaire.db`), each swapped in
by `os.replace`: a published file is never written again, and the running portal picks the new
one up at its next request (glaneur/live_database.py).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from glaneur.db import open_db

SNAPSHOT_SUFFIX = ".construction"
PORTAL_SUFFIX = ".portail"
PUBLIC_NAME = "glaneur.db"
DIRECTORY_NAME = "annuaire.db"
# Tables of the working database the public copy leaves out: the directory (its own file, for
# logged-in professionals only) and caches that only the build reads.
PRIVATE_TABLES = ("acteurs", "normalized_cache")


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


@contextmanager
def publication_lock(folder: Path) -> Iterator[None]:
    """Exclusive lock on the portal's folder: a build's publication and an editor's correction
    published at once (glaneur/corrections.py) never swap files in at the same time."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "publication.lock", "w") as handle:
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


def portal_dir(db_path: Path) -> Path:
    """Where the files the portal serves live: `data/glaneur.db` → `data/glaneur.db.portail/`."""
    db_path = Path(db_path).resolve()
    return db_path.with_name(db_path.name + PORTAL_SUFFIX)


def portal_files(db_path: Path) -> tuple[Path, Path]:
    """(public database, directory database) served for a working database."""
    folder = portal_dir(db_path)
    return folder / PUBLIC_NAME, folder / DIRECTORY_NAME


def portal_is_current(db_path: Path) -> bool:
    """True when the portal's copy exists and nothing was written to the database since."""
    public, directory = portal_files(db_path)
    if not (public.exists() and directory.exists()):
        return False
    return public.stat().st_mtime_ns >= Path(db_path).stat().st_mtime_ns


def publish_portal(db_path: Path) -> Path:
    """Write the portal's files from the working database and swap them in; the caller holds the lock."""
    from glaneur.corrections import edition_db_path, load_in_force, sync_published
    from glaneur.features import load_features
    from glaneur.portal import build_directory

    public, directory = portal_files(db_path)
    public.parent.mkdir(parents=True, exist_ok=True)
    fresh_public = public.with_name(public.name + ".nouveau")
    fresh_directory = directory.with_name(directory.name + ".nouveau")
    for leftover in (fresh_public, fresh_directory):
        leftover.unlink(missing_ok=True)
    try:
        with sqlite3.connect(db_path) as conn:
            conn.execute("vacuum into ?", [str(fresh_public)])
        conn.close()
        with sqlite3.connect(fresh_public) as conn:
            for table in PRIVATE_TABLES:
                conn.execute(f"drop table if exists [{table}]")
        conn.close()
        stamp_fingerprint(fresh_public)
        build_directory(fresh_directory, fresh_public)
        with publication_lock(public.parent):
            # Corrections recorded while this build ran apply too (the build applied the others).
            edition = edition_db_path(db_path)
            sync_published(fresh_public, load_in_force(edition), features=load_features(edition))
            os.replace(fresh_directory, directory)
            os.replace(fresh_public, public)
    finally:
        for leftover in (fresh_public, fresh_directory):
            leftover.unlink(missing_ok=True)
    return public


def stamp_fingerprint(path: Path) -> str:
    """Name the public file by its content (`portal_settings.empreinte`): the portal's page cache
    and ETags (glaneur/response_cache.py) change with it, and two builds of the same data agree."""
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()[:32]
    with sqlite3.connect(path) as conn:
        if conn.execute("select 1 from sqlite_master where name = 'portal_settings'").fetchone():
            conn.execute("insert or replace into portal_settings (key, value) values ('empreinte', ?)", [digest])
    conn.close()
    return digest


def ensure_portal(db_path: Path) -> tuple[Path, Path]:
    """The portal's files, published first when missing (a database built before they existed).

    Existing files are served as they are, without waiting for a crawl's lock: the next build
    publishes newer ones and the running portal swaps them in.
    """
    files = portal_files(db_path)
    if not all(f.exists() for f in files):
        with database_lock(db_path):
            if not all(f.exists() for f in files):
                publish_portal(db_path)
    return files


def publish_build(db_path: Path, today: date | None = None, min_ratio: float = 0.5, rebuild: bool = False):
    """Build on a snapshot, validate it, then atomically replace the database file.

    When nothing the build reads changed since the last published build (glaneur/build_inputs.py),
    the database is left as it is, unless `rebuild`.
    """
    from glaneur.build import BuildReport, build
    from glaneur.build_inputs import inputs_fingerprint, last_fingerprint, remember_fingerprint
    from glaneur.contributions import accepted_documents
    from glaneur.corrections import edition_db_path, load_in_force
    from glaneur.features import load_features
    from glaneur.gc_tuning import fewer_collections

    db_path = Path(db_path)
    work = db_path.with_name(db_path.name + SNAPSHOT_SUFFIX)
    with database_lock(db_path):
        db = open_db(db_path)  # also the schema of a new database
        try:
            previous = count(db.conn, "resources")
            corrections = load_in_force(edition_db_path(db_path))
            features = load_features(edition_db_path(db_path))
            proposed = accepted_documents(edition_db_path(db_path))
            fingerprint = inputs_fingerprint(db, today, corrections, features, proposed)
            unchanged = not rebuild and previous and fingerprint == last_fingerprint(db)
            documents = count(db.conn, "documents")
        finally:
            db.close()
        if unchanged:
            if not portal_is_current(db_path):  # a crawl confirmed pages: its runs reach the portal
                publish_portal(db_path)
            return BuildReport(documents, previous, documents - previous, unchanged=True,
                               correction_problems=_correction_problems(db_path, corrections, features))
        snapshot(db_path, work)
        try:
            db = open_db(work)
            try:
                with fewer_collections():
                    report = build(db, today=today, corrections=corrections, features=features,
                                   proposed=proposed)
                remember_fingerprint(db, fingerprint)
            finally:
                db.close()
            validate(work, previous, min_ratio)
            os.replace(work, db_path)
            publish_portal(db_path)
        finally:
            if work.exists():
                work.unlink()
    return report


def _correction_problems(db_path: Path, corrections: list[dict], features: dict[str, list[dict]]) -> list[dict]:
    """Editors' data that does not apply to the published build (vanished resource, invalid value)."""
    from glaneur.corrections import winners
    from glaneur.features import public_rows

    if not corrections and not features["pratiques"] and not features["une"]:
        return []
    db = open_db(db_path)
    try:
        by_document = dict(db.execute("select document_id, resource_id from resource_sources").fetchall())
        live = {r[0] for r in db.execute("select id from resources")}
        aliases = dict(db.execute("select alias, resource_id from resource_aliases").fetchall()) \
            if db["resource_aliases"].exists() else {}
    finally:
        db.close()
    problems: list[dict] = []
    winners(corrections, by_document, live, aliases, problems)
    public_rows(features, by_document, live, aliases, problems)
    return problems
