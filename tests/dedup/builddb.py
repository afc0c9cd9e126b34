"""Helpers of the dedup tests: real SQLite files filled with documents, built with the real build."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import sqlite_utils

from glaneur.build import build
from glaneur.db import open_db

TODAY = date(2026, 11, 20)
SOURCES = {
    "dgcs": "DGCS", "france-pat": "RnPAT", "cocagne": "Réseau Cocagne", "ansa": "Ansa",
    "banques": "Banques Alimentaires", "uniopss": "Uniopss", "secours-populaire": "Secours populaire",
}


def make_doc(doc_id: str, source: str, title: str, url: str | None = None, kind: str = "page",
             published: str | None = "2026-10-01", text: str = "", parent_url: str | None = None,
             content_hash: str | None = None, **fields) -> dict:
    """A row of `documents` as the pipelines store it."""
    return {
        "id": doc_id, "source_id": source, "url": url or f"https://{source}.example/{doc_id}", "kind": kind,
        "title": title, "summary": "", "text": text, "published": published, "fields": json.dumps(fields),
        "parent_url": parent_url,
        "content_hash": content_hash or hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
        "first_seen": "2026-11-01T00:00:00+00:00",
    }


class DemoDB:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite_utils.Database = open_db(path)
        self.db["sources"].insert_all(
            [{"id": s, "name": org, "organisation": org, "kind": "listing", "enabled": 1, "regions": "[]",
              "departements": "[]"} for s, org in SOURCES.items()], pk="id")

    def add(self, *docs: dict) -> None:
        self.db["documents"].insert_all(docs, pk="id", replace=True)

    def build(self):
        return build(self.db, today=TODAY)

    def resource_of(self, doc_id: str) -> str:
        return self.db.execute("select resource_id from resource_sources where document_id = ?", [doc_id]).fetchone()[0]

    def dump(self, tables=("resources", "resource_sources", "resource_keys", "resource_aliases", "series")) -> dict:
        return {t: list(self.db.execute(f"select * from {t} order by rowid").fetchall()) for t in tables}
