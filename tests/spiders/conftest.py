"""Helpers of the connector tests: read what the session's offline crawl stored.

The crawl itself is the `offline_db` fixture of tests/conftest.py: every enabled source of the
registry crawled once from the offline mirror, then built. Tests only read that database.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def _rows(db: Path, sql: str, params: list) -> list[dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


def documents_of(db: Path, source_id: str) -> list[dict]:
    """Documents of one source, fields decoded."""
    docs = _rows(db, "select * from documents where source_id = ? order by url", [source_id])
    for doc in docs:
        doc["fields"] = json.loads(doc["fields"] or "{}")
    return docs


def document(db: Path, source_id: str, url: str) -> dict:
    found = [d for d in documents_of(db, source_id) if d["url"] == url]
    assert found, f"{source_id} : aucun document pour {url}"
    return found[0]


def resource_of(db: Path, url: str) -> dict:
    """The published resource that a document URL belongs to."""
    rows = _rows(db, "select r.* from resources r join resource_sources s on s.resource_id = r.id "
                     "where s.url = ? limit 1", [url])
    assert rows, f"aucune ressource publiée pour {url}"
    resource = rows[0]
    for key in ("themes", "audiences", "regions", "departements", "organisations"):
        resource[key] = json.loads(resource[key] or "[]")
    return resource


def last_run(db: Path, source_id: str) -> dict:
    rows = _rows(db, "select * from crawl_runs where source_id = ? order by id desc limit 1", [source_id])
    assert rows, f"aucune collecte enregistrée pour {source_id}"
    run = rows[0]
    run["errors"] = json.loads(run["errors"] or "[]")
    return run


def check_item(db: Path, source_id: str, url: str, *, title: str, published: str | None, type_: str,
               **fields) -> dict:
    """Assert the core fields of one item (document + resource); returns the document."""
    doc = document(db, source_id, url)
    assert doc["title"] == title
    assert (doc["published"] or "")[:10] == (published or "")
    resource = resource_of(db, url)
    assert resource["type"] == type_, f"{url} : type {resource['type']} au lieu de {type_}"
    for key, expected in fields.items():
        assert doc["fields"].get(key) == expected, f"{url} : fields[{key}] = {doc['fields'].get(key)!r}"
    run = last_run(db, source_id)
    assert run["status"] == "ok", f"{source_id} : collecte {run['status']} ({run['errors']})"
    return doc
