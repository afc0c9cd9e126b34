"""`glaneur corrections`: the editors' corrections, their state against the build, their export.

Corrections are made in the portal by accounts with the « éditeur » role; the command line
lists them (with those that no longer apply: vanished resource, invalid value), undoes one,
shows the journal of editors' acts, and exports them (CSV, JSON, or cases for `glaneur eval`).
"""

from __future__ import annotations

import csv
import getpass
import io
import json
from pathlib import Path

import click

from glaneur.cli_dedup import db_option


def _edition_option(func):
    return click.option(
        "--edition", "edition_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Base des éditeurs (par défaut edition.db à côté de la base, ou $GLANEUR_EDITION_DB).",
    )(func)


def _paths(db_path: Path, edition_path: Path | None) -> tuple[Path, Path]:
    from glaneur.corrections import edition_db_path

    if not db_path.exists():
        raise click.ClickException(f"Base introuvable : {db_path} (lancez d'abord « glaneur crawl »).")
    return db_path, edition_path or edition_db_path(db_path)


def _stored(edition_path: Path) -> list[dict]:
    """Every correction recorded (none when the editors' database does not exist yet)."""
    from glaneur.corrections import all_corrections, read_only

    edition = read_only(edition_path)
    try:
        return all_corrections(edition)
    finally:
        if edition is not None:
            edition.close()


def _report(db_path: Path, edition_path: Path) -> list[dict]:
    from glaneur.corrections import status_report
    from glaneur.db import open_db

    rows = _stored(edition_path)
    db = open_db(db_path)
    try:
        return status_report(db, rows)
    finally:
        db.close()


def _value_text(value: dict) -> str:
    parts = []
    for key, item in value.items():
        if key == "scope":
            continue
        shown = ", ".join(item) if isinstance(item, list) else ("—" if item in (None, "") else str(item))
        parts.append(f"{key}={shown or '—'}")
    return " ; ".join(parts)


def register(main: click.Group) -> None:
    """Add the `corrections` group to the main command line."""

    @main.group()
    def corrections() -> None:
        """Corrections des éditeurs : liste, annulation, journal, export."""

    @corrections.command(name="list")
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
    @click.option("--toutes", "everything", is_flag=True, help="Aussi les corrections annulées ou remplacées.")
    @db_option
    @_edition_option
    def list_cmd(fmt: str, everything: bool, db_path: Path, edition_path: Path | None) -> None:
        """Liste les corrections et dit si chacune s'applique à la base construite.

        Une correction dont la ressource a disparu, ou dont la valeur n'est plus permise par la
        taxonomie, est signalée ; elle reste enregistrée.
        """
        report = _report(*_paths(db_path, edition_path))
        problems = [r for r in report if not r["undone"] and r["etat"] not in
                    ("en vigueur", "remplacée par une correction plus récente")]
        shown = report if everything else [r for r in report if not r["undone"]]
        if fmt == "json":
            click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        else:
            for r in shown:
                click.echo(f"{r['id']:>5}  {r['created'][:10]}  {r['author']:<16} {r['resource_id']:<18} "
                           f"{r['field']:<12} {_value_text(r['value'])}")
                click.echo(f"       {r['etat']} — « {r['reason']} »")
            click.echo(f"{len(shown)} correction(s), dont {len(problems)} qui ne s'applique(nt) pas.", err=True)
        for r in problems:
            click.echo(f"Attention : correction {r['id']} ({r['field']}, ressource {r['resource_id']}) : {r['etat']}.",
                       err=True)

    @corrections.command(name="undo")
    @click.argument("correction_id", type=int)
    @click.option("--auteur", "author", help="Nom de l'éditeur (par défaut l'utilisateur du système).")
    @click.option("--raison", "reason", default="", help="Pourquoi la correction est annulée.")
    @db_option
    @_edition_option
    def undo_cmd(correction_id: int, author: str | None, reason: str, db_path: Path,
                 edition_path: Path | None) -> None:
        """Annule une correction (elle reste dans l'historique) et republie la copie du portail."""
        from glaneur.corrections import CorrectionError, open_edition_db, undo

        _, edition_path = _paths(db_path, edition_path)
        db = open_edition_db(edition_path)
        try:
            row = undo(db, correction_id, author or getpass.getuser(), reason)
        except CorrectionError as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            db.close()
        click.echo(f"Correction {correction_id} ({row['field']}, ressource {row['resource_id']}) annulée.")
        from glaneur.corrections import republish
        from glaneur.publish import portal_files

        public, _ = portal_files(db_path)
        if public.exists():
            republish(public, edition_path)
            click.echo("Copie du portail republiée : la ressource y apparaît sans la correction.")

    @corrections.command(name="journal")
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
    @db_option
    @_edition_option
    def journal_cmd(fmt: str, db_path: Path, edition_path: Path | None) -> None:
        """Journal des actes des éditeurs : qui, quand, quoi."""
        from glaneur.corrections import read_only

        _, edition_path = _paths(db_path, edition_path)
        db = read_only(edition_path)
        rows = list(db.query("select * from journal order by id")) if db is not None else []
        if db is not None:
            db.close()
        if fmt == "json":
            click.echo(json.dumps([{**r, "details": json.loads(r["details"] or "{}")} for r in rows],
                                  ensure_ascii=False, indent=2))
            return
        for r in rows:
            click.echo(f"{r['at']}  {r['actor']:<16} {r['action']:<12} {r['target']}  {r['details']}")
        click.echo(f"{len(rows)} acte(s).", err=True)

    @corrections.command(name="export")
    @click.option("--format", "fmt", type=click.Choice(["csv", "json", "eval"]), default="csv", show_default=True,
                  help="eval : un dossier de cas pour « glaneur eval --dir » (docs/etiquetage.md).")
    @click.option("--sortie", "output", type=click.Path(path_type=Path), default=None,
                  help="Fichier (csv, json ; sinon la sortie standard) ou dossier (eval, obligatoire).")
    @db_option
    @_edition_option
    def export_cmd(fmt: str, output: Path | None, db_path: Path, edition_path: Path | None) -> None:
        """Exporte toutes les corrections (annulées comprises, avec leur état).

        \b
        Exemples :
          glaneur corrections export --format csv --sortie corrections.csv
          glaneur corrections export --format eval --sortie cas-corriges/
          glaneur eval --dir cas-corriges/
        """
        db_path, edition_path = _paths(db_path, edition_path)
        if fmt == "eval":
            from glaneur.corrections import eval_cases, write_eval_folder
            from glaneur.db import open_db

            if output is None:
                raise click.UsageError("--sortie DOSSIER est obligatoire avec --format eval.")
            rows = _stored(edition_path)
            db = open_db(db_path)
            try:
                cases = eval_cases(db, rows)
            finally:
                db.close()
            labels = write_eval_folder(output, cases)
            click.echo(f"{len(cases)} cas écrits dans {labels} (vérifier : glaneur eval --verifier {output}).")
            return
        report = _report(db_path, edition_path)
        if fmt == "json":
            text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
        else:
            buffer = io.StringIO()
            columns = ["id", "created", "author", "resource_id", "document_id", "field", "value", "before",
                       "reason", "etat", "resource_now", "undone", "undone_by", "undo_reason"]
            writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for r in report:
                writer.writerow({**r, "value": json.dumps(r["value"], ensure_ascii=False),
                                 "before": json.dumps(r["before"], ensure_ascii=False)})
            text = buffer.getvalue()
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            click.echo(f"{len(report)} correction(s) écrite(s) dans {output}.", err=True)

    @click.command(name="proposees")
    @db_option
    @_edition_option
    def proposed_sources(db_path: Path, edition_path: Path | None) -> None:
        """Sources proposées par des partenaires et acceptées : brouillons d'entrées du registre.

        Chaque brouillon (désactivé) est dans sources-proposees.yaml, à côté d'edition.db ; la
        commande à lancer pour en faire une vraie source est dans ses notes.
        """
        from glaneur.contributions import draft_registry_path
        from glaneur.corrections import edition_db_path
        from glaneur.registry import load_registry

        draft = draft_registry_path(edition_path or edition_db_path(db_path))
        entries = load_registry(draft) if draft.exists() else []
        for entry in entries:
            click.echo(f"{entry.id} — {entry.name} ({entry.kind}) : {', '.join(entry.entry_urls)}")
            command = entry.notes.split("créer avec : ", 1)[-1] if entry.notes else ""
            click.echo(f"    {command}")
        click.echo(f"{len(entries)} source(s) proposée(s) dans {draft}.", err=True)

    main.commands["sources"].add_command(proposed_sources)
