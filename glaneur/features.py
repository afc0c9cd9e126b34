"""What editors put forward: « pratiques inspirantes » and the resources « À la une ».

A resource is qualified « pratique inspirante » against published criteria
(data/criteres-pratiques.yaml) with a short editorial note; the home page and the weekly letter
show the resources « À la une » in the order the editors chose. Both live in `edition.db` with
the corrections (glaneur/corrections.py), anchored the same way (principal document, else the
resource id), journalled, undoable; each build and each publication writes them into the public
database as `pratiques_inspirantes` and `a_la_une`. One that no longer finds its resource is
reported, not lost.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml

from glaneur.corrections import CorrectionError, _now, log, read_only, target_of
from glaneur.paths import DATA_DIR

CRITERIA_FILE = DATA_DIR / "criteres-pratiques.yaml"
MAX_NOTE = 600
MAX_FEATURED = 12  # beyond, the home page would be a second list of resources
PRACTICES_TABLE, FEATURED_TABLE = "pratiques_inspirantes", "a_la_une"


@cache
def _criteria_cached(mtime: float) -> list[dict[str, str]]:
    data = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8")) or {}
    return [{"slug": slug, "label": spec["label"], "description": spec.get("description", "")}
            for slug, spec in (data.get("criteres") or {}).items()]


def criteria() -> list[dict[str, str]]:
    """The published criteria, in the file's order (read again when the file changes)."""
    return _criteria_cached(CRITERIA_FILE.stat().st_mtime)


def _row(db: sqlite_utils.Database, table: str, row_id: int) -> dict:
    found = list(db.query(f"select * from {table} where id = ?", [row_id]))
    if not found:
        raise CorrectionError(f"Identifiant inconnu : {row_id}")
    return found[0]


def qualify(db: sqlite_utils.Database, resource_id: str, document_id: str | None, chosen: list[str], note: str,
            author: str, now: datetime | None = None) -> dict:
    """Qualify a resource (a new qualification replaces the previous one of the same resource)."""
    known = [c["slug"] for c in criteria()]
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise CorrectionError(f"Critère inconnu : {', '.join(unknown)}.", "criteres")
    if not chosen:
        raise CorrectionError("Cochez au moins un des critères que la pratique remplit.", "criteres")
    note = " ".join((note or "").split())
    if not note:
        raise CorrectionError("Écrivez la note éditoriale : en quoi cette pratique inspire.", "note")
    if len(note) > MAX_NOTE:
        raise CorrectionError(f"Note : {len(note)} caractères, {MAX_NOTE} au plus.", "note")
    row = {"resource_id": resource_id, "document_id": document_id,
           "criteres": json.dumps([c for c in known if c in chosen]), "note": note, "author": author,
           "created": _now(now)}
    with db.conn:
        for old in db.query("select id from pratiques where resource_id = ? and undone is null", [resource_id]):
            db["pratiques"].update(old["id"], {"undone": row["created"], "undone_by": author})
        row["id"] = db["pratiques"].insert(row).last_pk
        log(db, author, "pratique inspirante", resource_id, {"pratique": row["id"], "criteres": chosen, "note": note},
            now)
    return row


def withdraw(db: sqlite_utils.Database, table: str, row_id: int, author: str, now: datetime | None = None) -> dict:
    """Take a qualification (`pratiques`) or a feature (`une`) back; it stays in the history."""
    row = _row(db, table, row_id)
    if row["undone"]:
        raise CorrectionError(f"Déjà retiré le {row['undone'][:10]}.")
    with db.conn:
        db[table].update(row_id, {"undone": _now(now), "undone_by": author})
        log(db, author, "pratique retirée" if table == "pratiques" else "retirée de la une", row["resource_id"],
            {table: row_id}, now)
    return row


def feature(db: sqlite_utils.Database, resource_id: str, document_id: str | None, author: str,
            now: datetime | None = None) -> dict:
    """Put a resource « À la une », last of the list."""
    if db.execute("select 1 from une where resource_id = ? and undone is null", [resource_id]).fetchone():
        raise CorrectionError("Cette ressource est déjà à la une.")
    count = db.execute("select count(*) from une where undone is null").fetchone()[0]
    if count >= MAX_FEATURED:
        raise CorrectionError(f"Déjà {MAX_FEATURED} ressources à la une : retirez-en une d'abord.")
    last = db.execute("select max(rang) from une where undone is null").fetchone()[0] or 0
    row = {"resource_id": resource_id, "document_id": document_id, "rang": last + 1, "author": author,
           "created": _now(now)}
    with db.conn:
        row["id"] = db["une"].insert(row).last_pk
        log(db, author, "à la une", resource_id, {"une": row["id"], "rang": row["rang"]}, now)
    return row


def move(db: sqlite_utils.Database, row_id: int, step: int, author: str, now: datetime | None = None) -> dict:
    """Move a featured resource one place up (step -1) or down (+1) among those in force."""
    row = _row(db, "une", row_id)
    order = [r["id"] for r in db.query("select id from une where undone is null order by rang, id")]
    if row_id not in order:
        raise CorrectionError("Cette ressource n'est plus à la une.")
    place = order.index(row_id)
    other = place + step
    if not 0 <= other < len(order):
        raise CorrectionError("Elle est déjà " + ("la première." if step < 0 else "la dernière."))
    order[place], order[other] = order[other], order[place]
    with db.conn:
        for rank, une_id in enumerate(order, 1):
            db["une"].update(une_id, {"rang": rank})
        log(db, author, "ordre de la une", row["resource_id"], {"une": row_id, "rang": other + 1}, now)
    return row


def load_features(path: Path | str) -> dict[str, list[dict]]:
    """Qualifications and features in force of an editorial database file (empty when none)."""
    db = read_only(path)
    try:
        if db is None or not db["pratiques"].exists():
            return {"pratiques": [], "une": []}
        return {"pratiques": list(db.query("select * from pratiques where undone is null order by created, id")),
                "une": list(db.query("select * from une where undone is null order by rang, id"))}
    finally:
        if db is not None:
            db.close()


def fingerprint_rows(features: dict[str, list[dict]]) -> bytes:
    return repr([(p["id"], p["resource_id"], p["document_id"], p["criteres"], p["note"]) for p in features["pratiques"]]
                + [(u["id"], u["resource_id"], u["document_id"], u["rang"]) for u in features["une"]]).encode()


def public_rows(features: dict[str, list[dict]], by_document: dict[str, str], live: set[str],
                aliases: dict[str, str], problems: list[dict]) -> tuple[list[dict], list[dict]]:
    """Rows of `pratiques_inspirantes` and `a_la_une` for a built database."""
    practices: dict[str, dict] = {}
    for p in features["pratiques"]:
        rid = target_of(p, by_document, live, aliases)
        if rid is None:
            problems.append({"id": p["id"], "kind": "Qualification « pratique inspirante »",
                             "field": "pratique inspirante", "resource_id": p["resource_id"],
                             "probleme": "ressource disparue (document et identifiant introuvables)"})
            continue
        practices[rid] = {"resource_id": rid, "criteres": p["criteres"], "note": p["note"],
                          "qualifie_le": p["created"][:10]}
    featured: list[dict] = []
    for u in features["une"]:
        rid = target_of(u, by_document, live, aliases)
        if rid is None:
            problems.append({"id": u["id"], "kind": "Mise à la une", "field": "à la une",
                             "resource_id": u["resource_id"],
                             "probleme": "ressource disparue (document et identifiant introuvables)"})
            continue
        if all(f["resource_id"] != rid for f in featured):
            featured.append({"resource_id": rid, "rang": len(featured) + 1, "depuis": u["created"][:10]})
    return sorted(practices.values(), key=lambda r: r["resource_id"]), featured


def write_public_tables(db: sqlite_utils.Database, practices: list[dict], featured: list[dict]) -> None:
    for name, columns, pk, rows in (
        (PRACTICES_TABLE, {"resource_id": str, "criteres": str, "note": str, "qualifie_le": str}, "resource_id",
         practices),
        (FEATURED_TABLE, {"resource_id": str, "rang": int, "depuis": str}, "resource_id", featured),
    ):
        db[name].drop(ignore=True)
        db[name].create(columns, pk=pk)
        db[name].insert_all(rows)


def current_public(db: sqlite_utils.Database) -> tuple[list[dict], list[dict]]:
    """The two tables as a published database holds them (empty lists when it predates them)."""
    practices = list(db.query(f"select * from {PRACTICES_TABLE} order by resource_id")) \
        if db[PRACTICES_TABLE].exists() else []
    featured = list(db.query(f"select * from {FEATURED_TABLE} order by rang")) if db[FEATURED_TABLE].exists() else []
    return practices, featured


def practice_view(row: dict[str, Any]) -> dict[str, Any]:
    """A row of `pratiques_inspirantes` with its criteria's labels, for the pages."""
    labels = {c["slug"]: c["label"] for c in criteria()}
    slugs = json.loads(row["criteres"] or "[]")
    return {**row, "criteres": slugs, "criteres_libelles": [labels.get(s, s) for s in slugs]}
