"""`glaneur dedup`: editors' decisions (merge, split) and why a resource groups its sources.

Decisions are stored between two *documents*: a resource id given on the command line is
resolved to the resource's principal document at the time of the decision, because documents
keep their ids whatever the clustering does, while a resource may later gain or lose members.
"""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlite_utils

from glaneur.paths import DEFAULT_DB


class DecisionError(Exception):
    """An id that names neither a document nor a resource, or a decision that makes no sense."""


def resolve_document(db: sqlite_utils.Database, any_id: str) -> str:
    """Document id for a document id, a resource id or an alias of a merged resource."""
    if db.execute("select 1 from documents where id = ?", [any_id]).fetchone():
        return any_id
    alias = db.execute("select resource_id from resource_aliases where alias = ?", [any_id]).fetchone()
    rid = alias[0] if alias else any_id
    row = db.execute(
        "select document_id from resource_sources where resource_id = ? "
        "order by role != 'principale', role = 'pdf', document_id limit 1", [rid]
    ).fetchone()
    if row is None:
        raise DecisionError(f"Identifiant inconnu (ni document ni ressource) : {any_id}")
    return row[0]


def record_decision(db: sqlite_utils.Database, action: str, left: str, right: str, author: str,
                    note: str | None = None, now: datetime | None = None) -> dict:
    """Store one decision; it is applied by every later build, after automatic matching."""
    from glaneur.build import ensure_dedup_schema

    if action not in ("merge", "split"):
        raise DecisionError(f"Action inconnue : {action}")
    ensure_dedup_schema(db)
    left_doc, right_doc = resolve_document(db, left), resolve_document(db, right)
    if left_doc == right_doc:
        raise DecisionError("Les deux identifiants désignent le même document.")
    row = {
        "action": action, "left_id": left, "right_id": right, "left_document": left_doc,
        "right_document": right_doc, "author": author,
        "created": (now or datetime.now(UTC)).replace(microsecond=0).isoformat(), "note": note,
    }
    db["dedup_decisions"].insert(row, pk="id")
    return row


def explain(db: sqlite_utils.Database, any_id: str) -> dict:
    """The resource, each source with the stage and score that attached it, and the decisions."""
    rid = any_id
    if db.execute("select 1 from documents where id = ?", [any_id]).fetchone():
        found = db.execute("select resource_id from resource_sources where document_id = ?", [any_id]).fetchone()
        rid = found[0] if found else any_id
    alias = db.execute("select resource_id from resource_aliases where alias = ?", [rid]).fetchone()
    rid = alias[0] if alias else rid
    res = db.execute(
        "select id, title, type, series_id, edition, is_latest_edition from resources where id = ?", [rid]
    ).fetchone()
    if res is None:
        raise DecisionError(f"Ressource introuvable : {any_id}")
    sources = list(db.query(
        "select document_id, source_id, role, match_stage, score, title, url from resource_sources "
        "where resource_id = ? order by role != 'principale', document_id", [rid]
    ))
    docs = [s["document_id"] for s in sources]
    marks = ",".join("?" * len(docs))
    decisions = list(db.query(
        f"select action, left_document, right_document, author, created from dedup_decisions "
        f"where left_document in ({marks}) or right_document in ({marks}) order by created, id", docs + docs
    ))
    keys = ["id", "title", "type", "series_id", "edition", "is_latest_edition"]
    return {"resource": dict(zip(keys, res, strict=True)), "sources": sources, "decisions": decisions}


STAGE_LABELS = {
    "first": "document principal", "url": "même URL canonique", "pdf_parent": "PDF lié depuis la page",
    "pdf_hash": "même fichier PDF", "content_hash": "même contenu", "title": "titre proche confirmé",
    "manual": "fusion manuelle",
}


def db_option(func):
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
        show_default=True, help="Fichier SQLite de la base.",
    )(func)


def _open(db_path: Path) -> sqlite_utils.Database:
    if not db_path.exists():
        raise click.ClickException(f"Base introuvable : {db_path} (lancez d'abord « glaneur crawl »).")
    from glaneur.build import ensure_dedup_schema
    from glaneur.db import open_db

    db = open_db(db_path)
    ensure_dedup_schema(db)  # a base built before these tables existed
    return db


def _decide(action: str, first: str, second: str, author: str | None, note: str | None, db_path: Path) -> None:
    db = _open(db_path)
    try:
        row = record_decision(db, action, first, second, author or getpass.getuser(), note)
    except DecisionError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        db.close()
    verb = "fusionner" if action == "merge" else "séparer"
    click.echo(f"Décision enregistrée ({row['author']}, {row['created']}) : {verb} les documents "
               f"{row['left_document']} et {row['right_document']}.")
    click.echo("Elle s'appliquera à chaque construction ; lancez « glaneur build » pour la voir.")


def decision_options(func):
    """Arguments and options shared by `dedup merge` and `dedup split`."""
    for decorator in reversed((
        click.argument("first"),
        click.argument("second"),
        click.option("--auteur", "author", help="Nom de l'éditeur (par défaut l'utilisateur du système)."),
        click.option("--note", help="Raison de la décision."),
        db_option,
    )):
        func = decorator(func)
    return func


def register(main: click.Group) -> None:
    """Add the `dedup` group to the main command line."""

    @main.group()
    def dedup() -> None:
        """Dédoublonnage : décisions des éditeurs et explications."""

    @dedup.command()
    @decision_options
    def merge(first: str, second: str, author: str | None, note: str | None, db_path: Path) -> None:
        """Fusionne deux ressources (identifiants de ressources ou de documents).

        \b
        Exemple :
          glaneur dedup merge 095d367cd288 5b75a7df9f6c --auteur "Camille"
        """
        _decide("merge", first, second, author, note, db_path)

    @dedup.command()
    @decision_options
    def split(first: str, second: str, author: str | None, note: str | None, db_path: Path) -> None:
        """Sépare deux documents regroupés à tort (identifiants de documents de préférence).

        Un identifiant de ressource désigne son document principal : « split RESSOURCE DOCUMENT »
        retire DOCUMENT de RESSOURCE.

        \b
        Exemple :
          glaneur dedup split 095d367cd288 cee363c5029faef9 --auteur "Camille"
        """
        _decide("split", first, second, author, note, db_path)

    @dedup.command(name="explain")
    @click.argument("any_id")
    @click.option("--format", "fmt", type=click.Choice(["texte", "json"]), default="texte", show_default=True)
    @db_option
    def explain_cmd(any_id: str, fmt: str, db_path: Path) -> None:
        """Montre les sources d'une ressource et l'étape qui a rattaché chacune."""
        db = _open(db_path)
        try:
            info = explain(db, any_id)
        except DecisionError as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            db.close()
        if fmt == "json":
            click.echo(json.dumps(info, ensure_ascii=False, indent=2))
            return
        res = info["resource"]
        click.echo(f"{res['id']} — {res['title']} ({res['type']})")
        if res["series_id"]:
            latest = " (dernière)" if res["is_latest_edition"] else ""
            click.echo(f"Série {res['series_id']}, édition {res['edition']}{latest}")
        for s in info["sources"]:
            stage = STAGE_LABELS.get(s["match_stage"], s["match_stage"])
            click.echo(f"  [{s['role']}] {s['source_id']} — {stage} (score {s['score']:.2f}) — {s['document_id']}")
            click.echo(f"      {s['title']}")
        for d in info["decisions"]:
            verb = "fusion" if d["action"] == "merge" else "séparation"
            click.echo(f"  Décision : {verb} {d['left_document']} / {d['right_document']} par {d['author']} "
                       f"le {d['created']}")
