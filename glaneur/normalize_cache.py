"""Normalized fields of unchanged documents are reused from one build to the next.

The key covers everything normalize() reads — the document, its source's row, the build's
« today » — and a fingerprint of the normalizers' code and data, so changing a rule or a
keyword list invalidates the whole cache by itself.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from functools import cache
from multiprocessing import get_context
from pathlib import Path

import sqlite_utils

import normalizers
from normalizers import normalize

TABLE = "normalized_cache"
PARALLEL_FROM = 400  # documents to normalize before worker processes pay off
INPUT_KEYS = ("source_id", "url", "kind", "title", "summary", "text", "published", "fields", "parent_url")


@cache
def normalizers_fingerprint() -> str:
    root = Path(normalizers.__file__).parent
    digest = hashlib.sha1()
    for path in sorted(root.glob("*")):
        if path.suffix in (".py", ".yaml", ".csv"):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def cache_key(doc: dict, source: dict | None, today: date | None) -> str:
    basis = json.dumps([normalizers_fingerprint(), str(today), [doc.get(k) for k in INPUT_KEYS], source],
                       sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()


def normalize_all(db: sqlite_utils.Database, docs: list[dict], sources: dict[str, dict],
                  today: date | None) -> dict[str, dict]:
    """normalize() of every document, computed only for documents whose key changed."""
    table = db[TABLE]
    if not table.exists():
        table.create({"document_id": str, "key": str, "fields": str}, pk="document_id")
    cached = {row[0]: (row[1], row[2]) for row in db.execute(f"select document_id, key, fields from {TABLE}")}
    result, todo = {}, []
    for doc in docs:
        source = sources.get(doc["source_id"])
        key = cache_key(doc, source, today)
        hit = cached.get(doc["id"])
        if hit and hit[0] == key:
            result[doc["id"]] = json.loads(hit[1])
        else:
            todo.append((doc, source, key))
    fresh = []
    for (doc, _, key), fields in zip(todo, normalize_many([(d, s) for d, s, _ in todo], today), strict=True):
        result[doc["id"]] = fields
        fresh.append({"document_id": doc["id"], "key": key, "fields": json.dumps(fields, ensure_ascii=False)})
    if fresh:
        table.upsert_all(fresh, pk="document_id")
    return result


def _normalize_chunk(chunk: list[tuple[dict, dict | None]], today: date | None) -> list[dict]:
    return [normalize(doc, source, today=today) for doc, source in chunk]


def normalize_many(pairs: list[tuple[dict, dict | None]], today: date | None) -> list[dict]:
    """normalize() over many documents, on every core when there are enough to pay for the
    workers' start (each loads the COG reference once, about 1.5 s)."""
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(pairs) < PARALLEL_FROM:
        return _normalize_chunk(pairs, today)
    size = -(-len(pairs) // (workers * 4))
    chunks = [pairs[i:i + size] for i in range(0, len(pairs), size)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        parts = pool.map(_normalize_chunk, chunks, [today] * len(chunks))
        return [fields for part in parts for fields in part]
