"""Editors' corrections of resources: stored apart, re-applied on top of every build.

A correction replaces one group of fields of a resource (its type, themes, audiences,
territories, deadline, event dates, place or summary) with what an editor wrote, with who, when
and why. Corrections live in their own database (`edition.db`, beside the working database),
never in the derived tables: each build applies them after normalization (glaneur/build.py),
and each publication applies those recorded since (`sync_published`). Like dedup decisions,
a correction is anchored on the resource's principal *document* at the time it was made, since
documents keep their ids whatever the clustering does; the resource id is kept as a fallback.

For one resource and one group of fields the latest correction still in force wins; undoing it
brings back the one before, or the normalized value. A correction whose resource has vanished
stays stored and is reported (by the build and by `glaneur corrections list`).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml

from glaneur.paths import TAXONOMY_FILE
from glaneur.sql_rewrites import refresh_values_rows

EDITION_NAME = "edition.db"
# Group of fields → (French label, resource columns it sets).
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "type": ("Type de ressource", ("type",)),
    "themes": ("Thèmes", ("themes",)),
    "audiences": ("Publics", ("audiences",)),
    "territoires": ("Territoires", ("regions", "departements", "scope")),
    "deadline": ("Date limite", ("deadline",)),
    "evenement": ("Dates de l'événement", ("event_start", "event_end")),
    "location": ("Lieu", ("location",)),
    "summary": ("Résumé", ("summary",)),
}
LIST_COLUMNS = ("themes", "audiences", "regions", "departements")
MAX_LOCATION = 200
MAX_SUMMARY = 1200
MAX_REASON = 500
PUBLIC_TABLE = "corrections_appliquees"  # in the public database: what was corrected, not by whom
SCHEMA: dict[str, dict[str, Any]] = {
    "corrections": {
        "columns": {
            "id": int, "resource_id": str, "document_id": str, "field": str, "value": str, "before": str,
            "reason": str, "author": str, "created": str, "undone": str, "undone_by": str, "undo_reason": str,
        },
        "pk": "id",
    },
    # Resources qualified « pratique inspirante » against the published criteria (glaneur/features.py).
    "pratiques": {
        "columns": {
            "id": int, "resource_id": str, "document_id": str, "criteres": str, "note": str, "author": str,
            "created": str, "undone": str, "undone_by": str,
        },
        "pk": "id",
    },
    # Resources « À la une » of the home page and the letter, in the editors' order (rang).
    "une": {
        "columns": {
            "id": int, "resource_id": str, "document_id": str, "rang": int, "author": str, "created": str,
            "undone": str, "undone_by": str,
        },
        "pk": "id",
    },
    # Resources proposed by partners, waiting for an editor (glaneur/contributions.py).
    "propositions": {
        "columns": {
            "id": int, "url": str, "type": str, "description": str, "nom": str, "email": str,
            "email_hash": str, "ip_hash": str, "created": str, "statut": str, "decided_by": str,
            "decided_at": str, "raison": str, "document": str, "nature": str,
        },
        "pk": "id",
    },
    # Every editor act, in the order it happened: who, when, what.
    "journal": {
        "columns": {"id": int, "at": str, "actor": str, "action": str, "target": str, "details": str},
        "pk": "id",
    },
}


class CorrectionError(ValueError):
    """A value an editor cannot set; the message is French and names the field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def edition_db_path(main_db: Path | str) -> Path:
    """`edition.db` beside the working database unless GLANEUR_EDITION_DB says otherwise."""
    env = os.environ.get("GLANEUR_EDITION_DB")
    return Path(env) if env else Path(main_db).resolve().parent / EDITION_NAME


def open_edition_db(path: Path | str) -> sqlite_utils.Database:
    """Open (creating it if needed) the editorial database."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("pragma busy_timeout = 10000")  # two editors at once wait for each other
    for name, spec in SCHEMA.items():
        if not db[name].exists():
            db[name].create(spec["columns"], pk=spec["pk"])
        else:  # a file made before a column was added
            for column, kind in spec["columns"].items():
                if column not in db[name].columns_dict:
                    db[name].add_column(column, kind)
    db["corrections"].create_index(["document_id", "field"], if_not_exists=True)
    db["corrections"].create_index(["resource_id"], if_not_exists=True)
    return db


def read_only(path: Path | str) -> sqlite_utils.Database | None:
    """The editorial database opened read-only (None when there is none yet): GETs never write."""
    path = Path(path)
    if not path.exists():
        return None
    return sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def _now(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).replace(microsecond=0).isoformat()


# -- Values -----------------------------------------------------------------------------------

@cache
def _taxonomy_mtime_cached(mtime: float) -> dict[str, Any]:
    return yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))


def taxonomy() -> dict[str, Any]:
    """The controlled vocabularies (data/taxonomy.yaml), read again when the file changes."""
    return _taxonomy_mtime_cached(TAXONOMY_FILE.stat().st_mtime)


def _iso(value: Any, name: str, label: str) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CorrectionError(f"{label} : « {text} » n'est pas une date (AAAA-MM-JJ).", name) from None
    if not 1990 <= day.year <= 2100:
        raise CorrectionError(f"{label} : l'année {day.year} est hors des années possibles.", name)
    return day.isoformat()


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        value = re.split(r"[\s,;]+", value)
    return [str(v).strip().upper() if str(v).strip().lower() in ("2a", "2b") else str(v).strip()
            for v in value or [] if str(v).strip()]


def clean(field: str, value: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a correction (resource columns → values), or a French CorrectionError.

    Slugs are checked against the taxonomy and codes against the COG, as the normalizers'
    output is; a département brings its région and the scope follows the territories.
    """
    if field not in FIELDS:
        raise CorrectionError(f"Champ inconnu : {field}")
    label = FIELDS[field][0]
    vocab = taxonomy()
    if field == "type":
        kind = str(value.get("type") or "").strip()
        if kind not in vocab["types"]:
            raise CorrectionError(f"{label} : « {kind} » n'est pas un type du portail.", field)
        return {"type": kind}
    if field in ("themes", "audiences"):
        chosen = [str(v) for v in value.get(field) or []]
        unknown = [v for v in chosen if v not in vocab[field]]
        if unknown:
            raise CorrectionError(f"{label} : valeur inconnue {', '.join(unknown)}.", field)
        return {field: [slug for slug in vocab[field] if slug in chosen]}
    if field == "territoires":
        from normalizers.territories import cog, resolve

        data = cog()
        regions, deps = _codes(value.get("regions")), _codes(value.get("departements"))
        bad_regions = [r for r in regions if r not in data.region_names]
        if bad_regions:
            raise CorrectionError(f"Régions : code inconnu {', '.join(bad_regions)}.", "regions")
        bad_deps = [d for d in deps if d not in data.dep_region]
        if bad_deps:
            raise CorrectionError(f"Départements : code inconnu {', '.join(bad_deps)} (codes INSEE : 30, 2A, 971…).",
                                  "departements")
        regions, deps, scope = resolve(regions, deps)
        return {"regions": regions, "departements": deps, "scope": scope}
    if field == "deadline":
        return {"deadline": _iso(value.get("deadline"), "deadline", label)}
    if field == "evenement":
        start = _iso(value.get("event_start"), "event_start", "Début de l'événement")
        end = _iso(value.get("event_end"), "event_end", "Fin de l'événement")
        if end and not start:
            raise CorrectionError("Dates de l'événement : indiquez aussi le premier jour.", "event_start")
        end = end or start  # a one-day event ends the day it starts
        if start and end < start:
            raise CorrectionError("Dates de l'événement : la fin précède le début.", "event_end")
        return {"event_start": start, "event_end": end}
    text = " ".join(str(value.get(field) or "").split())
    limit = MAX_LOCATION if field == "location" else MAX_SUMMARY
    if len(text) > limit:
        raise CorrectionError(f"{label} : {len(text)} caractères, {limit} au plus.", field)
    return {field: text or None}


def current_value(row: dict[str, Any], field: str) -> dict[str, Any]:
    """A resource row's value of a group of fields, in the stored form of `clean`."""
    out = {}
    for column in FIELDS[field][1]:
        value = row.get(column)
        if column in LIST_COLUMNS:
            value = json.loads(value) if isinstance(value, str) else list(value or [])
        out[column] = value if value != "" else None
    return out


def set_value(row: dict[str, Any], value: dict[str, Any], current: dict[str, Any] | None = None) -> None:
    """Write a stored value into a resource row (lists as JSON text, as the tables hold them);
    hours read from the page belong to its dates: dates other than `current`'s (the row's own by
    default) drop them."""
    current = row if current is None else current
    dates = (value.get("event_start"), value.get("event_end"))
    if "event_start" in value and "event_start_time" in current and \
            (current.get("event_start"), current.get("event_end")) != dates:
        row["event_start_time"] = row["event_end_time"] = None
    for column, item in value.items():
        row[column] = json.dumps(item, ensure_ascii=False) if column in LIST_COLUMNS else item


# -- Recording --------------------------------------------------------------------------------

def log(db: sqlite_utils.Database, actor: str, action: str, target: str, details: dict | None = None,
        now: datetime | None = None) -> None:
    """One line of the editors' journal."""
    db["journal"].insert({"at": _now(now), "actor": actor, "action": action, "target": target,
                          "details": json.dumps(details or {}, ensure_ascii=False)})


def record(db: sqlite_utils.Database, resource_id: str, document_id: str | None, field: str, value: dict,
           before: dict, author: str, reason: str, now: datetime | None = None) -> dict:
    """Store one correction (already `clean`) and journal it; it applies from the next publication on."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise CorrectionError("Dites en une phrase pourquoi vous corrigez.", "raison")
    if len(reason) > MAX_REASON:
        raise CorrectionError(f"Raison : {len(reason)} caractères, {MAX_REASON} au plus.", "raison")
    row = {"resource_id": resource_id, "document_id": document_id, "field": field,
           "value": json.dumps(value, ensure_ascii=False), "before": json.dumps(before, ensure_ascii=False),
           "reason": reason, "author": author, "created": _now(now)}
    with db.conn:
        row["id"] = db["corrections"].insert(row).last_pk
        log(db, author, "correction", resource_id, {"correction": row["id"], "champ": field, "valeur": value,
                                                     "avant": before, "raison": reason}, now)
    return row


def undo(db: sqlite_utils.Database, correction_id: int, author: str, reason: str = "",
         now: datetime | None = None) -> dict:
    """Mark a correction undone (it stays stored, with who undid it and when) and journal it."""
    found = db.execute("select * from corrections where id = ?", [correction_id]).fetchone()
    if found is None:
        raise CorrectionError(f"Correction inconnue : {correction_id}")
    row = dict(zip([c[0] for c in db.execute("select * from corrections limit 0").description], found, strict=True))
    if row["undone"]:
        raise CorrectionError(f"La correction {correction_id} est déjà annulée (le {row['undone']}).")
    when = _now(now)
    with db.conn:
        db["corrections"].update(correction_id, {"undone": when, "undone_by": author,
                                                 "undo_reason": " ".join((reason or "").split()) or None})
        log(db, author, "annulation", row["resource_id"], {"correction": correction_id, "champ": row["field"]}, now)
    return {**row, "undone": when, "undone_by": author}


def all_corrections(db: sqlite_utils.Database | None) -> list[dict]:
    if db is None or not db["corrections"].exists():
        return []
    return list(db.query("select * from corrections order by created, id"))


def in_force(rows: list[dict]) -> list[dict]:
    """Corrections not undone, each with its value decoded (oldest first)."""
    return [{**r, "value": json.loads(r["value"])} for r in rows if not r["undone"]]


def load_in_force(path: Path | str) -> list[dict]:
    """The corrections in force of an editorial database file ([] when there is none)."""
    db = read_only(path)
    try:
        return in_force(all_corrections(db))
    finally:
        if db is not None:
            db.close()


def fingerprint_rows(corrections: list[dict]) -> bytes:
    """What a build's fingerprint takes of the corrections (glaneur/build_inputs.py)."""
    return repr([(c["id"], c["resource_id"], c["document_id"], c["field"], c["value"]) for c in corrections]).encode()


# -- Applying ---------------------------------------------------------------------------------

@dataclass
class Applied:
    """What applying the corrections did: rows of the public table, and what could not apply."""
    rows: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)  # {"id", "field", "resource_id", "probleme"}


def target_of(correction: dict, by_document: dict[str, str], live: set[str], aliases: dict[str, str]) -> str | None:
    """The resource a correction applies to now: its document's, else its resource id (or alias)."""
    doc = correction.get("document_id")
    if doc and doc in by_document:
        return by_document[doc]
    rid = correction["resource_id"]
    rid = rid if rid in live else aliases.get(rid)
    return rid if rid in live else None


def winners(corrections: list[dict], by_document: dict[str, str], live: set[str], aliases: dict[str, str],
            problems: list[dict]) -> dict[tuple[str, str], tuple[dict, dict]]:
    """(resource, field) → (correction, cleaned value): the latest valid one in force for each."""
    chosen: dict[tuple[str, str], tuple[dict, dict]] = {}
    for c in corrections:  # oldest first: a later one replaces an earlier one
        rid = target_of(c, by_document, live, aliases)
        if rid is None:
            problems.append({"id": c["id"], "field": c["field"], "resource_id": c["resource_id"],
                             "probleme": "ressource disparue (document et identifiant introuvables)"})
            continue
        try:
            value = clean(c["field"], c["value"])
        except CorrectionError as exc:
            problems.append({"id": c["id"], "field": c["field"], "resource_id": rid, "probleme": f"invalide : {exc}"})
            continue
        chosen[(rid, c["field"])] = (c, value)
    return chosen


def public_row(correction: dict, rid: str, origin: dict) -> dict:
    return {"correction_id": correction["id"], "resource_id": rid, "champ": correction["field"],
            "libelle": FIELDS[correction["field"]][0], "valeur_origine": json.dumps(origin, ensure_ascii=False),
            "corrige_le": correction["created"][:10]}


def apply_to_rows(resources: list[dict], links: list[dict], aliases: dict[str, str],
                  corrections: list[dict]) -> Applied:
    """Apply corrections to a build's resource rows (in place), after normalization."""
    result = Applied()
    by_id = {r["id"]: r for r in resources}
    by_document = {link["document_id"]: link["resource_id"] for link in links}
    for (rid, name), (c, value) in sorted(winners(corrections, by_document, set(by_id), aliases,
                                                  result.problems).items()):
        row = by_id[rid]
        result.rows.append(public_row(c, rid, current_value(row, name)))
        set_value(row, value)
    return result


def create_public_table(db: sqlite_utils.Database) -> None:
    if not db[PUBLIC_TABLE].exists():
        db[PUBLIC_TABLE].create({"correction_id": int, "resource_id": str, "champ": str, "libelle": str,
                                 "valeur_origine": str, "corrige_le": str}, pk="correction_id")
        db[PUBLIC_TABLE].create_index(["resource_id"], if_not_exists=True)


def sync_published(path: Path, corrections: list[dict], now: datetime | None = None,
                   features: dict[str, list[dict]] | None = None) -> set[str]:
    """Bring a copy of the public database up to date with the editors' data in force.

    Applies the corrections recorded since its build, undoes those undone since (the value
    before the correction is kept in `corrections_appliquees`), then re-derives what depends on
    the corrected fields: open/closed status, map of events, search index rows. With `features`
    (glaneur/features.py), rewrites `pratiques_inspirantes` and `a_la_une` too. Returns the ids of
    the resources it changed. The copy is written before it is published, never after.
    """
    db = sqlite_utils.Database(path)
    try:
        if not db["resources"].exists():
            return set()
        by_document = dict(db.execute("select document_id, resource_id from resource_sources").fetchall())
        live = {r[0] for r in db.execute("select id from resources")}
        aliases = dict(db.execute("select alias, resource_id from resource_aliases").fetchall()) \
            if db["resource_aliases"].exists() else {}
        changed = _sync_corrections(db, corrections, by_document, live, aliases, now)
        if features is not None:
            changed |= _sync_features(db, features, by_document, live, aliases)
        return changed
    finally:
        db.close()


def _sync_features(db: sqlite_utils.Database, features: dict[str, list[dict]], by_document: dict[str, str],
                   live: set[str], aliases: dict[str, str]) -> set[str]:
    from glaneur.features import current_public, public_rows, write_public_tables

    practices, featured = public_rows(features, by_document, live, aliases, [])
    old_practices, old_featured = current_public(db)
    if (practices, featured) == (old_practices, old_featured):
        return set()
    with db.conn:
        write_public_tables(db, practices, featured)
    before = {json.dumps(r, sort_keys=True) for r in old_practices + old_featured}
    after = {json.dumps(r, sort_keys=True) for r in practices + featured}
    return {json.loads(r)["resource_id"] for r in before ^ after}


def _sync_corrections(db: sqlite_utils.Database, corrections: list[dict], by_document: dict[str, str],
                      live: set[str], aliases: dict[str, str], now: datetime | None) -> set[str]:
    from glaneur.portal import build_event_places, mark_deadlines

    create_public_table(db)
    applied = {(r["resource_id"], r["champ"]): r for r in db[PUBLIC_TABLE].rows}
    wanted = winners(corrections, by_document, live, aliases, [])
    changes: dict[str, dict[str, Any]] = {}
    public_rows, gone_ids = [], []
    rows = {}
    for key in sorted(set(applied) | set(wanted)):
        old, new = applied.get(key), wanted.get(key)
        if old and new and old["correction_id"] == new[0]["id"]:
            continue
        rid, name = key
        if rid not in live:
            continue
        if rid not in rows:
            rows[rid] = next(db.query("select * from resources where id = ?", [rid]))
        origin = json.loads(old["valeur_origine"]) if old else current_value(rows[rid], name)
        if old:
            gone_ids.append(old["correction_id"])
        if new:
            public_rows.append(public_row(new[0], rid, origin))
        update: dict[str, Any] = {}
        set_value(update, new[1] if new else origin, rows[rid])
        changes.setdefault(rid, {}).update(update)
    if not changes:
        return set()
    today_row = db.execute("select value from portal_settings where key = 'today'").fetchone() \
        if db["portal_settings"].exists() else None
    today = date.fromisoformat(today_row[0]) if today_row else date.today()
    before = _index_rows(db, list(changes))
    with db.conn:
        for rid, update in changes.items():
            db["resources"].update(rid, {**update, "updated": _now(now)})
        for gone in gone_ids:
            db.execute(f"delete from {PUBLIC_TABLE} where correction_id = ?", [gone])
        if public_rows:
            db[PUBLIC_TABLE].insert_all(public_rows, pk="correction_id", replace=True)
    mark_deadlines(db, today)
    if db["evenements_carte"].exists():
        build_event_places(db, today)
    _reindex(db, before)
    with db.conn:  # the indexed list filters of the facets (glaneur/sql_rewrites.py)
        refresh_values_rows(db.conn, [r[0] for r in db.execute(
            f"select rowid from resources where id in ({','.join('?' * len(changes))})", list(changes)).fetchall()])
    return set(changes)


def _index_rows(db: sqlite_utils.Database, ids: list[str]) -> list[tuple]:
    from glaneur.search_index import INDEXED_COLUMNS

    if not db["resources_fts"].exists():
        return []
    present = db["resources"].columns_dict
    extra = "".join(f", [{c}]" if c in present else ", null" for c in INDEXED_COLUMNS)
    marks = ",".join("?" * len(ids))
    return db.execute(f"select rowid, title, summary, text{extra} from resources where id in ({marks})",
                      ids).fetchall()


def _reindex(db: sqlite_utils.Database, before: list[tuple]) -> None:
    """Replace the search index rows of changed resources (external content: delete the old terms)."""
    from glaneur.search_best import forget_best_scores
    from glaneur.search_index import INDEXED_COLUMNS, _analyzed_rows, _label_maps

    if not before:
        return
    labels = _label_maps()
    present = db["resources"].columns_dict
    extra = "".join(f", [{c}]" if c in present else ", null" for c in INDEXED_COLUMNS)
    rowids = [r[0] for r in before]
    after = db.execute(f"select rowid, title, summary, text{extra} from resources where rowid in "
                       f"({','.join('?' * len(rowids))})", rowids).fetchall()
    with db.conn:
        db.conn.executemany(
            "insert into resources_fts (resources_fts, rowid, title, summary, text) values ('delete', ?, ?, ?, ?)",
            _analyzed_rows(before, labels))
        db.conn.executemany("insert into resources_fts (rowid, title, summary, text) values (?, ?, ?, ?)",
                            _analyzed_rows(after, labels))
        forget_best_scores(db.conn)  # read on the index before the change; the next build keeps them again


def republish(public: Path, edition: Path) -> set[str]:
    """Publish at once a copy of the served database with the editors' data in force.

    The served file is never written: a copy is made beside it, brought up to date, then swapped
    in by `os.replace` under the publication lock, which a build's publication also takes; the
    running portal opens the new file at its next request (glaneur/live_database.py).
    """
    from glaneur.features import load_features
    from glaneur.publish import publication_lock, stamp_fingerprint

    public = Path(public).resolve()
    fresh = public.with_name(public.name + ".correction")
    with publication_lock(public.parent):
        corrections = load_in_force(edition)
        features = load_features(edition)
        fresh.unlink(missing_ok=True)
        try:
            with sqlite3.connect(f"file:{public}?mode=ro", uri=True) as src, sqlite3.connect(fresh) as dst:
                src.backup(dst)
            src.close()
            dst.close()
            changed = sync_published(fresh, corrections, features=features)
            if changed:
                # A new name for new content: the page cache and the ETags follow it (glaneur/response_cache.py)
                stamp_fingerprint(fresh)
                os.replace(fresh, public)
            return changed
        finally:
            fresh.unlink(missing_ok=True)


# -- Listing and exporting --------------------------------------------------------------------

def status_report(db: sqlite_utils.Database, rows: list[dict]) -> list[dict]:
    """Each correction with its state against a built database: en vigueur, remplacée, annulée,
    ressource disparue, invalide."""
    by_document = dict(db.execute("select document_id, resource_id from resource_sources").fetchall()) \
        if db["resource_sources"].exists() else {}
    live = {r[0] for r in db.execute("select id from resources")} if db["resources"].exists() else set()
    aliases = dict(db.execute("select alias, resource_id from resource_aliases").fetchall()) \
        if db["resource_aliases"].exists() else {}
    problems: list[dict] = []
    active = in_force(rows)
    chosen = winners(active, by_document, live, aliases, problems)
    winning = {c["id"]: rid for (rid, _), (c, _) in chosen.items()}
    troubles = {p["id"]: p["probleme"] for p in problems}
    out = []
    for r in rows:
        target = target_of(r, by_document, live, aliases)
        if r["undone"]:
            state = f"annulée le {r['undone'][:10]} par {r['undone_by']}"
        elif r["id"] in troubles:
            state = troubles[r["id"]]
        elif r["id"] in winning:
            state = "en vigueur"
        else:
            state = "remplacée par une correction plus récente"
        out.append({**r, "value": json.loads(r["value"]), "before": json.loads(r["before"] or "{}"),
                    "resource_now": target, "etat": state})
    return out


def eval_cases(db: sqlite_utils.Database, rows: list[dict]) -> list[tuple[dict, str]]:
    """Cases in the `glaneur eval` format (docs/etiquetage.md) from the resources corrections touch.

    The expected fields are the resource's values as the portal shows them once corrected (the
    build applies the corrections): the corrected groups are what editors wrote, the other
    fields what they saw and left as they were. Dates follow the labelling rules (a deadline
    only for a call, event dates only for an event or a training).
    """
    report = [r for r in status_report(db, rows) if r["etat"] == "en vigueur"]
    by_resource: dict[str, list[dict]] = {}
    for r in report:
        by_resource.setdefault(r["resource_now"], []).append(r)
    cases = []
    for rid, corrections in sorted(by_resource.items()):
        found = list(db.query("select * from resources where id = ?", [rid]))
        doc_id = corrections[-1]["document_id"]
        doc = next(db.query("select * from documents where id = ?", [doc_id]), None) if doc_id else None
        if not found:
            continue
        res = found[0]
        text = (doc or {}).get("text") or res.get("text") or ""
        if len(text.strip()) < 200:
            continue  # too little text to be a case (eval_cases.check_case)
        expected: dict[str, Any] = {
            "type": res["type"], "themes": json.loads(res["themes"] or "[]"),
            "audiences": json.loads(res["audiences"] or "[]"),
            "regions": json.loads(res["regions"] or "[]"), "departements": json.loads(res["departements"] or "[]"),
            "published": res["published"] if _full_date(res["published"]) else None,
            "deadline": res["deadline"] if res["type"] == "appel_a_projets" else None,
            "event_start": None, "event_end": None, "location": res["location"],
        }
        if res["type"] in ("evenement", "formation") and res["event_start"]:
            expected["event_start"] = res["event_start"]
            expected["event_end"] = res["event_end"] or res["event_start"]
        case_id = f"corr-{rid}"
        url = (doc or {}).get("url") or res.get("url") or ""
        fields = sorted({c["field"] for c in corrections})
        notes = "; ".join(f"{FIELDS[c['field']][0]} corrigé par {c['author']} le {c['created'][:10]} : {c['reason']}"
                          for c in corrections)
        case = {"id": case_id, "file": f"docs/{case_id}.txt", "url": url, "model_url": url,
                "title": (doc or {}).get("title") or res["title"], "kind": (doc or {}).get("kind") or "page",
                "published": (doc or {}).get("published"), "synthetic": False, "site": "autre",
                "corrected_fields": fields, "notes": notes, "expected": expected}
        if not url.startswith(("http://", "https://")):
            continue
        cases.append((case, text))
    return cases


def _full_date(value: Any) -> bool:
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def write_eval_folder(folder: Path, cases: list[tuple[dict, str]]) -> Path:
    """`labels-corrections.jsonl` and `docs/<id>.txt`: a folder `glaneur eval --dir` measures."""
    folder = Path(folder)
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    lines = []
    for case, text in cases:
        (folder / case["file"]).write_text(text, encoding="utf-8")
        lines.append(json.dumps(case, ensure_ascii=False))
    labels = folder / "labels-corrections.jsonl"
    labels.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return labels
