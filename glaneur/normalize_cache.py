"""Normalized fields of unchanged documents are reused from one build to the next.

The key covers everything normalize() reads — the document's inputs, its source's inputs —
and a fingerprint of the normalizers' code and data, so changing a rule or a keyword list
invalidates the whole cache by itself. « Today » only matters to a document with no date
of its own (it anchors dates written without a year): such entries also record the day they
were computed for, and only they are redone the next day.

The crawl fills this cache as documents arrive (pipelines/prepare.py, on worker processes
while the network is busy), so the build that follows finds most of its work done.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import sqlite_utils

import normalizers
from normalizers import DOCUMENT_INPUTS, SOURCE_INPUTS, normalize
from normalizers.text import as_list
from pipelines.workers import map_chunks, new_pool, running_pool

TABLE = "normalized_cache"
PARALLEL_FROM = 400  # documents to normalize before worker processes pay off
COLUMNS = {"document_id": str, "key": str, "today": str, "fields": str}


@cache
def normalizers_fingerprint() -> str:
    root = Path(normalizers.__file__).parent
    digest = hashlib.sha1()
    for path in sorted(root.glob("*")):
        if path.suffix in (".py", ".yaml", ".csv", ".json"):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def source_inputs(source: dict | None) -> dict[str, Any]:
    """The part of a source row normalize() reads: the same from the registry (Source.as_row) and
    from the database (load_sources), and all empty for a document whose source row is missing."""
    source = source or {}
    values = {key: as_list(source.get(key)) if key in ("regions", "departements") else (source.get(key) or None)
              for key in SOURCE_INPUTS}
    values["aggregator"] = bool(values.get("aggregator"))  # True in the registry, 1 in the database
    return values


def document_inputs(doc: dict) -> dict[str, Any]:
    """The part of a document normalize() reads; `fields` as stored (JSON round trip)."""
    values = {key: doc.get(key) for key in DOCUMENT_INPUTS}
    if not isinstance(values["fields"], dict):
        values["fields"] = json.loads(values["fields"] or "{}")
    return values


def cache_key(doc: dict, source: dict | None) -> str:
    basis = json.dumps([normalizers_fingerprint(), document_inputs(doc), source_inputs(source)],
                       sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()


def normalize_keyed(doc: dict, source: dict | None, today: date | None) -> tuple[str, str | None, dict]:
    """(key, day it depends on or None, fields) of one document."""
    fields = normalize(document_inputs(doc), source_inputs(source), today=today)
    used_today = None if fields.get("published") else str(today or date.today())
    return cache_key(doc, source), used_today, fields


def ensure_table(db: sqlite_utils.Database) -> sqlite_utils.Table:
    table = db[TABLE]
    if not table.exists():
        table.create(COLUMNS, pk="document_id")
    elif "today" not in table.columns_dict:
        table.add_column("today", str)
    return table


def as_stored(keyed: tuple[str, str | None, dict]) -> tuple[str, str | None, str]:
    """normalize_keyed()'s result with the fields as the cache stores them (JSON text)."""
    key, today, fields = keyed
    return key, today, json.dumps(fields, ensure_ascii=False)


def store_normalized(db: sqlite_utils.Database, document_id: str, key: str, today: str | None,
                     fields_json: str) -> None:
    """Remember one document's normalized fields, given as as_stored() gives them (the crawl
    serializes them on the worker that computed them, not on the reactor thread)."""
    db.conn.execute(
        f"insert or replace into {TABLE} (document_id, key, today, fields) values (?, ?, ?, ?)",
        [document_id, key, today, fields_json],
    )


def normalize_all(db: sqlite_utils.Database, docs: list[dict], sources: dict[str, dict],
                  today: date | None) -> dict[str, dict]:
    """normalize() of every document, computed only for documents whose key changed."""
    table = ensure_table(db)
    day = str(today or date.today())
    cached = {row[0]: row[1:] for row in db.execute(f"select document_id, key, today, fields from {TABLE}")}
    result, todo = {}, []
    for doc in docs:
        source = sources.get(doc["source_id"])
        key = cache_key(doc, source)
        hit = cached.get(doc["id"])
        if hit and hit[0] == key and hit[1] in (None, day):
            result[doc["id"]] = json.loads(hit[2])
        else:
            todo.append((doc, source))
    fresh = []
    for (doc, _), keyed in zip(todo, normalize_many(todo, today), strict=True):
        result[doc["id"]] = keyed[2]
        key, used_today, stored = as_stored(keyed)
        fresh.append({"document_id": doc["id"], "key": key, "today": used_today, "fields": stored})
    if fresh:
        table.upsert_all(fresh, pk="document_id")
    return result


def _normalize_chunk(chunk: list[tuple[dict, dict | None]], today: date | None) -> list[tuple]:
    return [normalize_keyed(doc, source, today) for doc, source in chunk]


def normalize_many(pairs: list[tuple[dict, dict | None]], today: date | None) -> list[tuple]:
    """normalize_keyed() over many documents, on every core when there are enough to pay for the
    workers' start (each loads the COG reference once, about 1.5 s), or on the crawl's workers
    when the crawl that preceded this build in the same process started them (already warm)."""
    warm = running_pool()
    workers = min(os.cpu_count() or 1, 8)
    if not pairs or (warm is None and (workers < 2 or len(pairs) < PARALLEL_FROM)):
        return _normalize_chunk(pairs, today)
    if warm is not None:
        return map_chunks(warm, _normalize_chunk, pairs, today)
    with new_pool(workers) as pool:
        return map_chunks(pool, _normalize_chunk, pairs, today)
