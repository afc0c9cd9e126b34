"""Rebuild the published tables (resources, resource_sources, search index) from documents.

Documents are the source of truth; resources are derived, so a rebuild can re-derive every
field after a normalizer improves, without re-crawling. Resource ids are kept in
`resource_keys` so a resource keeps its id across rebuilds and when a new source joins it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlite_utils

from dedup import Cluster, cluster_documents
from glaneur.db import JSON_LIST_COLUMNS, stable_id
from glaneur.portal import prepare_portal
from glaneur.search_index import refresh_search_index
from normalizers import normalize

KIND_RANK = {"record": 0, "page": 1, "entry": 2, "pdf": 3}


@dataclass
class BuildReport:
    documents: int
    resources: int
    merged: int


def load_documents(db: sqlite_utils.Database) -> list[dict]:
    docs = []
    for row in db.query(
        "select id, source_id, url, kind, title, summary, text, published, fields, parent_url, "
        "first_seen from documents order by id"
    ):
        row["fields"] = json.loads(row["fields"] or "{}")
        docs.append(row)
    return docs


def primary_member(cluster: Cluster, sources: dict[str, dict]):
    """The document whose fields the resource takes: the publisher's own, else the richest."""
    orgs = set()
    for m in cluster.members:
        orgs.update(m.doc["fields"].get("organisations") or [])

    def rank(member):
        doc = member.doc
        src = sources.get(doc["source_id"], {})
        own = src.get("organisation") in orgs
        return (not own, doc["kind"] == "pdf", -len(doc["text"] or ""), KIND_RANK.get(doc["kind"], 9), doc["id"])

    return min(cluster.members, key=rank)


def resource_id(db: sqlite_utils.Database, cluster: Cluster) -> str:
    keys = sorted(cluster.keys)
    placeholders = ",".join("?" * len(keys))
    found = db.execute(
        f"select resource_id from resource_keys where key in ({placeholders}) order by key limit 1", keys
    ).fetchone()
    return found[0] if found else stable_id(keys[0], length=12)


def build(db: sqlite_utils.Database, today: date | None = None) -> BuildReport:
    """Normalize every document, group them, and rewrite the published tables in one transaction."""
    sources = {row["id"]: row for row in db["sources"].rows}
    for row in sources.values():
        for col in ("regions", "departements"):
            row[col] = json.loads(row.get(col) or "[]")
    docs = load_documents(db)
    clusters = cluster_documents(docs)
    if not db["resource_keys"].exists():
        db["resource_keys"].create({"key": str, "resource_id": str}, pk="key")
    resources, links, keys = [], [], []
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    for cluster in clusters:
        primary = primary_member(cluster, sources)
        doc = primary.doc
        fields = normalize(doc, sources.get(doc["source_id"]), today=today)
        rid = resource_id(db, cluster)
        row = {k: fields[k] for k in fields}
        for col in JSON_LIST_COLUMNS:
            row[col] = json.dumps(row[col], ensure_ascii=False)
        row.update(
            id=rid,
            year=int(fields["published"][:4]) if fields["published"] else None,
            source_count=len({m.doc["source_id"] for m in cluster.members}),
            text=doc["text"],
            updated=now,
        )
        resources.append(row)
        keys.extend({"key": k, "resource_id": rid} for k in cluster.keys)
        for m in cluster.members:
            links.append({
                "resource_id": rid, "source_id": m.doc["source_id"], "url": m.doc["url"],
                "document_id": m.doc["id"], "title": m.doc["title"],
                "role": "pdf" if m.doc["kind"] == "pdf" else ("principale" if m is primary else "relais"),
                "match_stage": m.stage, "score": m.score,
            })
    with db.atomic():
        db.execute("delete from resource_sources")
        db.execute("delete from resources")
        db["resources"].insert_all(resources, pk="id")
        db["resource_sources"].insert_all(links, pk=("resource_id", "document_id"))
        db["resource_keys"].upsert_all(keys, pk="key")
    refresh_search_index(db)
    prepare_portal(db, today=today)
    return BuildReport(documents=len(docs), resources=len(resources), merged=len(docs) - len(resources))
