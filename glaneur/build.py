"""Rebuild the published tables (resources, resource_sources, series, search index) from documents.

Documents are the source of truth; resources are derived, so a rebuild can re-derive every
field after a normalizer improves, without re-crawling. Steps: normalize every document, match
them into clusters (dedup/, stage by stage, editors' decisions last), give each cluster its stable
id (`resource_keys`), take the fields of its best document, link editions into series, and
rewrite the tables in one transaction. Same input, same database content.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlite_utils

from dedup import (
    Cluster,
    Decisions,
    DedupOptions,
    SeriesInput,
    assign_ids,
    cluster_records,
    detect_series,
    make_record,
)
from glaneur.contributions import TABLE as PROPOSED_TABLE
from glaneur.corrections import PUBLIC_TABLE, apply_to_rows, create_public_table
from glaneur.db import JSON_LIST_COLUMNS
from glaneur.features import public_rows, write_public_tables
from glaneur.lifecycle import gone_documents, resource_status
from glaneur.normalize_cache import normalize_all
from glaneur.portal import prepare_portal
from glaneur.search_index import refresh_search_index

KIND_RANK = {"record": 0, "page": 1, "entry": 2, "pdf": 3}
# Fields a relay may complete when the best document lacks them.
FILLABLE = ("published", "deadline", "event_start", "event_end", "location", "summary")

DEDUP_TABLES: dict[str, dict[str, Any]] = {
    "resource_keys": {"columns": {"key": str, "resource_id": str}, "pk": "key"},
    "resource_aliases": {"columns": {"alias": str, "resource_id": str}, "pk": "alias"},
    "dedup_decisions": {
        "columns": {
            "id": int, "action": str, "left_id": str, "right_id": str, "left_document": str,
            "right_document": str, "author": str, "created": str, "note": str,
        },
        "pk": "id",
    },
    "series": {
        "columns": {
            "id": str, "title": str, "organisation": str, "type": str, "editions": int,
            "first_edition": int, "latest_edition": int, "latest_resource_id": str,
        },
        "pk": "id",
    },
}
RESOURCE_EXTRA_COLUMNS = {
    "series_id": str, "edition": int, "is_latest_edition": int,
    "previous_edition_id": str, "next_edition_id": str,
}


@dataclass
class BuildReport:
    documents: int
    resources: int
    merged: int
    unchanged: bool = False  # nothing the build reads had changed: the published tables were kept
    corrections: int = 0  # editors' corrections applied
    correction_problems: list[dict] = field(default_factory=list)  # vanished resource, invalid value


def ensure_dedup_schema(db: sqlite_utils.Database) -> None:
    """Tables and columns of deduplication, added idempotently next to glaneur.db's schema."""
    for name, spec in DEDUP_TABLES.items():
        table = db[name]
        if not table.exists():
            table.create(spec["columns"], pk=spec["pk"])
        else:
            for column, kind in spec["columns"].items():
                if column not in table.columns_dict:
                    table.add_column(column, kind)
    resources = db["resources"]
    if resources.exists():
        for column, kind in RESOURCE_EXTRA_COLUMNS.items():
            if column not in resources.columns_dict:
                resources.add_column(column, kind)
        resources.create_index(["series_id", "edition"], if_not_exists=True)
    if db["resource_keys"].exists():
        db["resource_keys"].create_index(["resource_id"], if_not_exists=True)


def load_documents(db: sqlite_utils.Database) -> list[dict]:
    docs = []
    for row in db.query(
        "select id, source_id, url, kind, title, summary, text, published, fields, parent_url, "
        "content_hash, first_seen from documents order by id"
    ):
        row["fields"] = json.loads(row["fields"] or "{}")
        docs.append(row)
    return docs


def load_sources(db: sqlite_utils.Database) -> dict[str, dict]:
    sources = {row["id"]: row for row in db["sources"].rows}
    for row in sources.values():
        for col in ("regions", "departements"):
            row[col] = json.loads(row.get(col) or "[]")
    return sources


def load_decisions(db: sqlite_utils.Database) -> Decisions:
    """Editors' decisions, oldest first; for one pair of documents the latest decision wins."""
    last: dict[frozenset[str], tuple[str, str, str]] = {}
    for row in db.query("select action, left_document, right_document from dedup_decisions order by created, id"):
        a, b = row["left_document"], row["right_document"]
        if a and b and a != b:
            last[frozenset((a, b))] = (row["action"], *sorted((a, b)))
    merges = tuple(sorted((a, b) for action, a, b in last.values() if action == "merge"))
    splits = frozenset(frozenset((a, b)) for action, a, b in last.values() if action == "split")
    return Decisions(merges=merges, splits=splits)


def primary_member(cluster: Cluster, docs: dict[str, dict], sources: dict[str, dict], fields: dict[str, dict]):
    """The document whose fields the resource takes: the publisher's own, else the richest.

    A source is the publisher when its organisation is credited: in a document's own
    `organisations` field, or among the organisations the normalizer found in a document of
    another source (a relay names whom it relays; normalize() always adds a document's own source).
    """
    raw = {o for m in cluster.members for o in docs[m.record.id]["fields"].get("organisations") or []}

    def rank(member):
        doc = docs[member.record.id]
        org = sources.get(doc["source_id"], {}).get("organisation")
        by_others = {o for n in cluster.members if n.record.source_id != doc["source_id"]
                     for o in fields[n.record.id].get("organisations") or []}
        own = bool(org) and (org in raw or org in by_others)
        return (not own, doc["kind"] == "pdf", -len(doc["text"] or ""), KIND_RANK.get(doc["kind"], 9), doc["id"])

    return min(cluster.members, key=rank)


def resource_row(cluster: Cluster, primary, fields: dict[str, dict], docs: dict[str, dict]) -> dict:
    """Fields of the best document, completed by the others (in id order) where it has none."""
    row = dict(fields[primary.record.id])
    for member in cluster.members:
        for key in FILLABLE:
            if not row.get(key) and fields[member.record.id].get(key):
                row[key] = fields[member.record.id][key]
        other = fields[member.record.id]
        if not row.get("event_start_time") and other.get("event_start_time") and \
                (other.get("event_start"), other.get("event_end")) == (row.get("event_start"), row.get("event_end")):
            row["event_start_time"], row["event_end_time"] = other["event_start_time"], other.get("event_end_time")
    for col, value in row.items():  # lists as JSON text, as stored: re-runs compare equal
        if isinstance(value, list | dict) or col in JSON_LIST_COLUMNS:
            row[col] = json.dumps(value if value is not None else [], ensure_ascii=False)
    row.update(
        year=int(row["published"][:4]) if row.get("published") else None,
        source_count=len({m.record.source_id for m in cluster.members}),
        text=docs[primary.record.id]["text"],
    )
    return row


def _fingerprint(row: dict) -> str:
    stable = {k: v for k, v in row.items() if k != "updated"}
    return hashlib.sha1(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def build(db: sqlite_utils.Database, today: date | None = None, options: DedupOptions | None = None,
          corrections: list[dict] | None = None, features: dict[str, list[dict]] | None = None,
          proposed: list[dict] | None = None) -> BuildReport:
    """Normalize every document, group them, and rewrite the published tables in one transaction.

    `corrections` (glaneur/corrections.py, in force) are applied on top of normalization,
    before what depends on the fields they set (series, status, search index, portal tables);
    `features` (glaneur/features.py) become `pratiques_inspirantes` and `a_la_une`; `proposed`
    (glaneur/contributions.py) are the documents of accepted proposals, built like the others.
    """
    options = options or DedupOptions()
    ensure_dedup_schema(db)
    sources = load_sources(db)
    doc_list = load_documents(db) + [{k: v for k, v in d.items() if k not in ("propose_par", "accepte_le")}
                                     for d in proposed or []]
    docs = {d["id"]: d for d in doc_list}
    fields = normalize_all(db, doc_list, sources, today)
    records = [make_record(d, fields[d["id"]], options.min_text_for_hash) for d in doc_list]
    clusters = cluster_records(records, options, load_decisions(db))
    known = {row["key"]: row["resource_id"] for row in db["resource_keys"].rows}
    ids, aliases = assign_ids([c.keys for c in clusters], known)
    previous = {row["id"]: row for row in db.query("select * from resources")}
    now = datetime.now(UTC).replace(microsecond=0).isoformat()

    gone = gone_documents(db)
    resources, links, keys, members = [], [], [], []
    for cluster, rid in zip(clusters, ids, strict=True):
        primary = primary_member(cluster, docs, sources, fields)
        row = resource_row(cluster, primary, fields, docs)
        row["id"] = rid
        resources.append(row)
        members.append([m.record.id for m in cluster.members])
        keys.extend({"key": k, "resource_id": rid} for k in sorted(cluster.keys))
        for m in cluster.members:
            doc = docs[m.record.id]
            is_primary = m is primary
            links.append({
                "resource_id": rid, "source_id": doc["source_id"], "url": doc["url"],
                "document_id": doc["id"], "title": doc["title"],
                "role": "pdf" if doc["kind"] == "pdf" else ("principale" if is_primary else "relais"),
                "match_stage": "first" if is_primary else m.stage, "score": 1.0 if is_primary else m.score,
            })
    known_aliases = {**dict(db.execute("select alias, resource_id from resource_aliases").fetchall()), **aliases}
    applied = apply_to_rows(resources, links, known_aliases, corrections or [])
    practices, featured = public_rows(features or {"pratiques": [], "une": []},
                                      {link["document_id"]: link["resource_id"] for link in links},
                                      {r["id"] for r in resources}, known_aliases, applied.problems)
    for row, documents in zip(resources, members, strict=True):
        row.update(resource_status(documents, gone, row.get("deadline"), row.get("event_start")))
    series = link_series(resources)
    unchanged = 0
    for row in resources:
        old = previous.get(row["id"])
        same = old is not None and _fingerprint({k: old.get(k) for k in row}) == _fingerprint(row)
        row["updated"] = old["updated"] if same else now
        unchanged += same
    resources.sort(key=lambda r: r["id"])
    links.sort(key=lambda r: (r["resource_id"], r["document_id"]))
    live = {r["id"] for r in resources}
    with db.atomic():
        for table in ("resource_sources", "resources", "series"):
            db.execute(f"delete from {table}")
        db["resources"].insert_all(resources, pk="id", alter=True)
        db["resource_sources"].insert_all(links, pk=("resource_id", "document_id"))
        db["series"].insert_all(series, pk="id")
        db[PUBLIC_TABLE].drop(ignore=True)
        create_public_table(db)
        db[PUBLIC_TABLE].insert_all(applied.rows, pk="correction_id")
        write_public_tables(db, practices, featured)
        by_document = {link["document_id"]: link["resource_id"] for link in links}
        db[PROPOSED_TABLE].drop(ignore=True)
        db[PROPOSED_TABLE].create({"document_id": str, "resource_id": str, "propose_par": str, "accepte_le": str},
                                  pk="document_id")
        db[PROPOSED_TABLE].insert_all({"document_id": d["id"], "resource_id": by_document[d["id"]],
                                       "propose_par": d["propose_par"], "accepte_le": d["accepte_le"]}
                                      for d in proposed or [] if d["id"] in by_document)
        db["resource_keys"].upsert_all(keys, pk="key")
        db.execute("delete from resource_aliases where alias in (select id from resources)")
        db["resource_aliases"].upsert_all(
            [{"alias": a, "resource_id": r} for a, r in sorted(aliases.items()) if a not in live], pk="alias"
        )
        # An alias pointing to a resource that was itself merged away follows it.
        db.execute(
            "update resource_aliases set resource_id = (select a2.resource_id from resource_aliases a2 "
            "where a2.alias = resource_aliases.resource_id) "
            "where resource_id in (select alias from resource_aliases)"
        )
    if unchanged != len(resources) or len(previous) != len(resources) or not db["resources_fts"].exists():
        refresh_search_index(db)  # the index of an unchanged set of resources is still right
    prepare_portal(db, today=today)
    return BuildReport(documents=len(doc_list), resources=len(resources), merged=len(doc_list) - len(resources),
                       corrections=len(applied.rows), correction_problems=applied.problems)


def link_series(resources: list[dict]) -> list[dict]:
    """Set series_id, edition, is_latest_edition, previous/next_edition_id; return `series` rows."""
    inputs = []
    for row in resources:
        orgs = json.loads(row["organisations"] or "[]")
        inputs.append(SeriesInput(row["id"], row["title"] or "", row["type"] or "", orgs[0] if orgs else "",
                                  row.get("published")))
        row.update(series_id=None, edition=None, is_latest_edition=1, previous_edition_id=None,
                   next_edition_id=None)
    by_id = {row["id"]: row for row in resources}
    out = []
    for s in detect_series(inputs):
        ordered = [rid for _, rid in s.editions]
        for n, (edition, rid) in enumerate(s.editions):
            by_id[rid].update(
                series_id=s.id, edition=edition, is_latest_edition=int(rid == s.latest_resource_id),
                previous_edition_id=ordered[n - 1] if n else None,
                next_edition_id=ordered[n + 1] if n + 1 < len(ordered) else None,
            )
        out.append({
            "id": s.id, "title": s.title, "organisation": s.organisation, "type": s.type,
            "editions": len(s.editions), "first_edition": s.editions[0][0], "latest_edition": s.editions[-1][0],
            "latest_resource_id": s.latest_resource_id,
        })
    return out
