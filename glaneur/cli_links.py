"""`glaneur liens`: check the source links of every resource."""

from __future__ import annotations

from pathlib import Path

import click

from glaneur.paths import DEFAULT_DB, MIRROR_DIR


def register(main: click.Group) -> None:
    @main.command(name="liens")
    @click.option("--offline", is_flag=True, help="Vérifie contre le miroir hors ligne.")
    @click.option("--limit", type=int, default=None, help="Nombre maximal de liens vérifiés.")
    @click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
                  show_default=True, help="Fichier SQLite de la base.")
    def liens(offline: bool, limit: int | None, db_path: Path) -> None:
        """Vérifie les liens vers les sources de chaque ressource (HEAD, puis GET si refusé).

        Les liens cassés sont enregistrés avec leur date (table « link_checks ») et signalés sur
        le portail ; rien n'est supprimé, le dernier texte collecté reste consultable.
        """
        from glaneur.crawl import crawl_settings
        from glaneur.links_check import check_links

        if not db_path.exists():
            raise click.ClickException(f"Base introuvable : {db_path}")
        settings = crawl_settings(db_path, offline=offline, mirror_dir=MIRROR_DIR, use_cache=False)
        results = check_links(db_path, settings, limit)
        broken = [r for r in results if not r.ok]
        for r in broken:
            click.echo(f"cassé  {r.status or '---'}  {r.url}  {r.error or ''}".rstrip())
        click.echo(f"{len(results)} lien(s) vérifié(s), {len(broken)} cassé(s).")
        from glaneur.publish import database_lock, publish_portal

        with database_lock(db_path):  # the portal shows the broken links without waiting for a build
            publish_portal(db_path)
