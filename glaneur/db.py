"""Database schema: created idempotently by every command that opens the database.

Table and column names are a contract with other tools (Datasette metadata, canned queries,
digest): change them only by adding.
"""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

import sqlite_utils

from glaneur.paths import DEFAULT_DB

JSON_LIST_COLUMNS = ("themes", "audiences", "regions", "departements", "organisations")

SCHEMA: dict[str, dict] = {
    "sources": {
        "columns": {
            "id": str, "name": str, "organisation": str, "homepage": str, "kind": str,
            "entry_urls": str, "cadence": str, "enabled": int, "licence": str, "mention": str,
            "default_type": str, "regions": str, "departements": str, "retire_after": int,
            "aggregator": int,
        },
        "pk": "id",
    },
    "documents": {
        "columns": {
            "id": str, "source_id": str, "url": str, "kind": str, "title": str, "summary": str,
            "text": str, "published": str, "fields": str, "parent_url": str, "raw": bytes,
            "raw_format": str, "content_type": str, "pages": int, "content_hash": str,
            "fetched_at": str, "first_seen": str, "last_seen": str, "origin": str, "checked_at": str,
        },
        "pk": "id",
        "foreign_keys": [("source_id", "sources", "id")],
    },
    "resources": {
        "columns": {
            "id": str, "title": str, "type": str, "url": str, "summary": str, "published": str,
            "year": int, "deadline": str, "event_start": str, "event_end": str, "event_start_time": str,
            "event_end_time": str, "location": str, "themes": str, "audiences": str, "regions": str,
            "departements": str, "scope": str,
            "organisations": str, "source_count": int, "text": str, "updated": str,
        },
        "pk": "id",
    },
    "resource_sources": {
        "columns": {
            "resource_id": str, "source_id": str, "url": str, "document_id": str,
            "title": str, "role": str, "match_stage": str, "score": float,
        },
        "pk": ("resource_id", "document_id"),
        "foreign_keys": [("resource_id", "resources", "id"), ("source_id", "sources", "id")],
    },
    "link_checks": {
        "columns": {
            "url": str, "checked_at": str, "status": int, "ok": int, "error": str, "casse_depuis": str,
            "dernier_succes": str,
        },
        "pk": "url",
    },
    # What each entry point (feed, listing page, API page) produced in its last complete crawl:
    # a 304 on an unchanged entry point then confirms its documents without re-reading them.
    "entry_points": {
        "columns": {"source_id": str, "url": str, "signature": str, "run_id": int, "leaf": int},
        "pk": ("source_id", "url"),
    },
    # What `glaneur health --decouvrir` found on the site of a broken listing or sitemap source:
    # a feed or an API to switch to, and the command that applies the switch.
    "source_suggestions": {
        "columns": {
            "source_id": str, "checked_at": str, "connector": str, "label": str, "entry_url": str,
            "evidence": str, "command": str, "explanation": str,
        },
        "pk": "source_id",
    },
    "crawl_runs": {
        "columns": {
            "id": int, "source_id": str, "started": str, "ended": str, "status": str,
            "mode": str, "pages": int, "items": int, "items_new": int, "items_updated": int,
            "items_unchanged": int, "errors_count": int, "errors": str,
        },
        "pk": "id",
    },
}

# (type, published): the candidates of a resource page's « Ressources liées » (glaneur/related.py).
INDEXES = {
    "documents": [["source_id"], ["url"], ["parent_url"], ["source_id", "origin"]],
    "resources": [["type"], ["published"], ["deadline"], ["event_start"], ["year"],
                  ["type", "published"]],
    "resource_sources": [["source_id"], ["url"]],
    "crawl_runs": [["source_id", "started"]],
}
# Covering indexes of the related resources while they were scored in SQL (6 % of a file at 100k).
RETIRED_INDEXES = ("idx_resources_type_published_id_themes_regions_departements",
                   "idx_resources_published_type_id_themes_regions_departements")


def open_db(path: Path | str | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) the database with the current schema."""
    path = Path(path or DEFAULT_DB)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    for name, spec in SCHEMA.items():
        table = db[name]
        if not table.exists():
            table.create(spec["columns"], pk=spec["pk"], foreign_keys=spec.get("foreign_keys"))
        else:
            missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
            for column, col_type in missing.items():
                table.add_column(column, col_type)
    for name, indexes in INDEXES.items():
        for columns in indexes:
            db[name].create_index(columns, if_not_exists=True)
    for index in RETIRED_INDEXES:
        db.execute(f"drop index if exists {index}")


def stable_id(*parts: str, length: int = 16) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:length]


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 6) if data else b""


def decompress(data: bytes | None) -> bytes:
    return zlib.decompress(data) if data else b""
