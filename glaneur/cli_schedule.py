"""Commands of the schedules area: `schedule`, `health`, `digest`, `abonnes` (joined by cli.py)."""

from __future__ import annotations

import logging
import sqlite3
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import click

from glaneur.cli import db_option, load_sources, registry_option


def _open_ro(db_path: Path) -> sqlite3.Connection:
    if not db_path.exists():
        raise click.ClickException(f"Base introuvable : {db_path} (lancez d'abord « glaneur crawl »).")
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)


def _as_of(value: str | None) -> date:
    from glaneur.today import reference_today as today

    if not value:
        return today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"date attendue au format AAAA-MM-JJ, reçu « {value} »") from exc


def _subscribers_db(db_path: Path):
    from schedules.store import open_subscribers_db, subscribers_db_path

    return open_subscribers_db(subscribers_db_path(db_path))


def register(main: click.Group) -> None:
    """Attach the commands to the `glaneur` group."""

    @main.command()
    @click.option("--list", "list_only", is_flag=True, help="Affiche les tâches et leur prochaine exécution.")
    @click.option("--offline", is_flag=True, help="Les collectes rejouent le miroir hors ligne.")
    @click.option("--grace", default=3600, show_default=True,
                  help="Retard maximal (s) d'une exécution manquée encore rattrapée.")
    @click.option("--arret", "shutdown_grace", default=60.0, show_default=True,
                  help="Délai (s) laissé à une collecte en cours à l'arrêt avant de l'interrompre.")
    @db_option
    @registry_option
    def schedule(list_only: bool, offline: bool, grace: int, shutdown_grace: float, db_path: Path,
                 registry: Path) -> None:
        """Lance le planificateur au premier plan (collectes, reconstruction, lettre du lundi).

        \b
        Exemples :
          glaneur schedule --list
          glaneur schedule --db /srv/glaneur/glaneur.db
        """
        from schedules.frenchtime import utc_now
        from schedules.runner import desired_jobs, format_next_runs, next_runs, run_forever, stored_next_runs

        sources = load_sources(registry)
        if list_only:
            now = utc_now()
            specs = desired_jobs(sources, db_path, offline, registry)
            click.echo(format_next_runs(next_runs(specs, now, stored_next_runs(db_path)), now))
            return
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        run_forever(db_path, sources, offline, registry, grace, shutdown_grace)

    @main.command()
    @click.option("--echecs", type=int, default=None, help="Échecs consécutifs avant alerte (défaut 3).")
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
    @click.option("--decouvrir", is_flag=True,
                  help="Explorer (en ligne) le site de chaque liste ou plan de site cassé, à la recherche d'un "
                       "flux ou d'une API, et proposer le changement.")
    @db_option
    def health(echecs: int | None, fmt: str, decouvrir: bool, db_path: Path) -> None:
        """Santé des sources ; code de sortie 1 si une source est « à vérifier ».

        \b
        Une liste HTML ou un plan de site qui donnait des éléments et n'en donne plus (ou dont un
        sélecteur ne trouve plus rien) est signalé avec la raison ; avec --decouvrir, son site est
        exploré (robots.txt respecté, 12 requêtes au plus) et, si un flux ou une API s'y trouve, le
        changement est proposé avec la commande qui le fait.
        """
        import json

        from schedules.health import HealthSettings, check_all, format_table

        settings = HealthSettings()
        if echecs is not None:
            settings.max_failures = echecs
        conn = _open_ro(db_path)
        try:
            reports = check_all(conn, settings=settings)
        finally:
            conn.close()
        if decouvrir:
            from glaneur.db import open_db
            from schedules.repair import discover_repairs

            broken = [r for r in reports if r.broken]
            click.echo(f"Exploration du site de {len(broken)} source(s) cassée(s)…", err=True)
            db = open_db(db_path)
            try:
                discover_repairs(db, broken)
            finally:
                db.close()
            conn = _open_ro(db_path)
            try:
                reports = check_all(conn, settings=settings)
            finally:
                conn.close()
        if fmt == "json":
            click.echo(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
        else:
            click.echo(format_table(reports))
        if any(r.failing for r in reports):
            sys.exit(1)

    @main.command()
    @click.option("--since", default="7d", show_default=True, help="Période couverte (7d, 2w, 24h…).")
    @click.option("--as-of", "as_of", help="Date de fin de la période (AAAA-MM-JJ ; défaut : aujourd'hui).")
    @click.option("--region", "regions", multiple=True, help="Code INSEE de région (répétable ou « 76,11 »).")
    @click.option("--types", "types", multiple=True, help="Types de ressources (slugs, séparés par des virgules).")
    @click.option("--themes", "themes", multiple=True, help="Thèmes (slugs, séparés par des virgules).")
    @click.option("--format", "fmt", type=click.Choice(["html", "md", "txt"]), default="txt", show_default=True)
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Écrire dans ce fichier.")
    @click.option("--send", is_flag=True,
                  help="Publier la lettre publique (fil Atom) et l'envoyer aux abonnés hebdomadaires.")
    @db_option
    def digest(since: str, as_of: str | None, regions: tuple[str, ...], types: tuple[str, ...],
               themes: tuple[str, ...], fmt: str, out: Path | None, send: bool, db_path: Path) -> None:
        """Lettre des nouveautés : ressources nouvelles, appels à projets, événements à venir.

        \b
        Exemples :
          glaneur digest --since 7d --format html --out lettre.html
          glaneur digest --region 76 --types formation,evenement
          glaneur digest --send
        """
        from schedules.digest import build_digest, render
        from schedules.frenchtime import PARIS, parse_duration
        from schedules.mailer import MailerError
        from schedules.sending import publish_public, send_to_subscribers
        from schedules.subscribers import SubscriberError, validate_filters

        try:
            window = parse_duration(since)
            filters = validate_filters(regions, types, themes)
        except (ValueError, SubscriberError) as exc:
            raise click.ClickException(str(exc)) from exc
        day = _as_of(as_of)
        conn = _open_ro(db_path)
        try:
            letter = build_digest(conn, day, window, filters)
            text = render(letter, fmt)
            if out:
                out.write_text(text, encoding="utf-8")
                click.echo(f"Lettre écrite dans {out} : {letter.subject}", err=True)
            elif not send:
                click.echo(text)
            if send:
                now = datetime.combine(day + timedelta(days=1), time(), PARIS) if as_of else None
                subscribers = _subscribers_db(db_path)
                _, digest_id = publish_public(conn, subscribers, day, window, now)
                click.echo(f"Lettre publique n°{digest_id} archivée (fil Atom du portail).")
                try:
                    reports = send_to_subscribers(db_path, subscribers, day, "hebdo", now=now)
                except MailerError as exc:
                    raise click.ClickException(str(exc)) from exc
                for r in reports:
                    click.echo(f"  {r.email:<36} {r.status:<16} {r.resources} ressource(s) {r.message}")
                click.echo(f"{sum(r.status == 'envoyé' for r in reports)} lettre(s) envoyée(s) "
                           f"sur {len(reports)} abonné(s) hebdomadaire(s).")
                if any(r.status == "erreur" for r in reports):
                    sys.exit(1)
        finally:
            conn.close()

    @main.group()
    def abonnes() -> None:
        """Abonnés à la lettre (base privée abonnes.db, à côté de la base principale)."""

    @abonnes.command(name="add")
    @click.argument("email")
    @click.option("--region", "regions", multiple=True, help="Code INSEE de région (répétable ou « 76,11 »).")
    @click.option("--types", "types", multiple=True, help="Types de ressources (slugs).")
    @click.option("--themes", "themes", multiple=True, help="Thèmes (slugs).")
    @click.option("--frequence", type=click.Choice(["hebdo", "quotidien"]), default="hebdo", show_default=True)
    @db_option
    def abonnes_add(email: str, regions, types, themes, frequence: str, db_path: Path) -> None:
        """Abonne une adresse (ou met à jour ses filtres).

        \b
        Exemple :
          glaneur abonnes add marie@exemple.fr --region 76 --types appel_a_projets,formation
        """
        from schedules.subscribers import SubscriberError, add_subscriber, validate_filters

        try:
            subscriber = add_subscriber(_subscribers_db(db_path), email,
                                        validate_filters(regions, types, themes), frequence)
        except SubscriberError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Abonné : {subscriber.email} ({subscriber.frequence}) — "
                   f"{subscriber.filters.describe() or 'toutes les ressources'}.")

    @abonnes.command(name="list")
    @db_option
    def abonnes_list(db_path: Path) -> None:
        """Liste les abonnés et leurs filtres."""
        from schedules.subscribers import format_subscribers, list_subscribers

        click.echo(format_subscribers(list_subscribers(_subscribers_db(db_path))))

    @abonnes.command(name="remove")
    @click.argument("email", required=False)
    @click.option("--jeton", help="Jeton d'un lien de désabonnement (à la place de l'adresse).")
    @db_option
    def abonnes_remove(email: str | None, jeton: str | None, db_path: Path) -> None:
        """Désabonne une adresse (ou le titulaire d'un jeton de désabonnement)."""
        from schedules.subscribers import SubscriberError, read_token, remove_subscriber

        db = _subscribers_db(db_path)
        try:
            if jeton:
                email = read_token(db, jeton)
            if not email:
                raise SubscriberError("Indiquez une adresse ou --jeton.")
            removed = remove_subscriber(db, email)
        except SubscriberError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Désabonné : {removed.email}.")
