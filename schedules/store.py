"""Where the schedules' own data lives: files next to the main database, never inside it.

The portal serves the main database read-only (and publicly), so subscribers' addresses, the
messages sent to them and the scheduler's job store are kept in separate SQLite files.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import sqlite_utils

SCHEMA: dict[str, dict] = {
    "abonnes": {
        "columns": {
            "id": int, "email": str, "regions": str, "types": str, "themes": str, "departements": str,
            "frequence": str, "created": str, "last_sent": str,
        },
        "pk": "id",
    },
    "envois": {
        "columns": {"abonne_id": int, "resource_id": str, "digest_id": int, "sent_at": str},
        "pk": ("abonne_id", "resource_id"),
    },
    "digests": {
        "columns": {
            "id": int, "sent_at": str, "subscriber": str, "period": str, "subject": str,
            "html": str, "text": str, "resource_ids": str,
        },
        "pk": "id",
    },
    "reglages": {"columns": {"key": str, "value": str}, "pk": "key"},
    # Subscription requests from the portal, for the limits per address and per IP and for
    # single-use confirmation links; the address is kept only as a keyed hash.
    "demandes": {
        "columns": {"id": int, "email_hash": str, "ip_hash": str, "created": str, "confirmed": str},
        "pk": "id",
    },
}


def subscribers_db_path(main_db: Path | str) -> Path:
    """`abonnes.db` beside the main database unless GLANEUR_ABONNES_DB says otherwise."""
    env = os.environ.get("GLANEUR_ABONNES_DB")
    return Path(env) if env else Path(main_db).resolve().parent / "abonnes.db"


def scheduler_db_path(main_db: Path | str) -> Path:
    """`planificateur.db` (APScheduler's job store) beside the main database."""
    env = os.environ.get("GLANEUR_PLANIFICATEUR_DB")
    return Path(env) if env else Path(main_db).resolve().parent / "planificateur.db"


def open_subscribers_db(path: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) the private database of subscribers and sent digests."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    for name, spec in SCHEMA.items():
        if not db[name].exists():
            db[name].create(spec["columns"], pk=spec["pk"])
        else:  # a file from before a column was added
            for column, kind in spec["columns"].items():
                if column not in db[name].columns_dict:
                    db[name].add_column(column, kind)
    db["abonnes"].create_index(["email"], unique=True, if_not_exists=True)
    db["digests"].create_index(["subscriber", "sent_at"], if_not_exists=True)
    return db


def secret_key(db: sqlite_utils.Database) -> str:
    """GLANEUR_SECRET, or a random key created once and kept with the subscribers.

    The portal reads the same file, so unsubscribe links it receives can be verified without
    any configuration; setting GLANEUR_SECRET lets an operator rotate the key.
    """
    env = os.environ.get("GLANEUR_SECRET")
    if env:
        return env
    row = db.execute("select value from reglages where key = 'secret'").fetchone()
    if row:
        return row[0]
    value = secrets.token_urlsafe(32)
    db["reglages"].insert({"key": "secret", "value": value}, pk="key", ignore=True)
    return db.execute("select value from reglages where key = 'secret'").fetchone()[0]
