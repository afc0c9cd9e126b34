"""`glaneur sources new` and `glaneur sources check`: the operator's workflow for adding a source.

`new` scaffolds the three things a source needs (registry entry, recorded fixture, failing
test); `check` crawls one source (or all) into a throwaway database and says, field by field,
whether what comes out is usable. Both are documented in docs/ajouter-une-source.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from glaneur.paths import MIRROR_DIR, PROJECT_ROOT, REGISTRY_FILE
from glaneur.scaffold import KINDS, ScaffoldError, scaffold_source

TESTS_DIR = PROJECT_ROOT / "tests" / "spiders"


def register(main: click.Group) -> None:
    """Attach the commands to the existing `sources` group of the CLI."""
    group = main.commands["sources"]
    group.add_command(sources_new)
    group.add_command(sources_check)


@click.command(name="new")
@click.argument("source_id")
@click.option("--kind", type=click.Choice(KINDS), required=True, help="Type de connecteur.")
@click.option("--url", required=True, help="URL d'entrée (flux, plan de site, page de liste ou site WordPress).")
@click.option("--name", default=None, help="Nom lisible de la source.")
@click.option("--organisation", default=None, help="Organisation qui publie.")
@click.option("--offline", is_flag=True, help="Ne pas télécharger : écrire une fixture provisoire.")
@click.option("--registry", type=click.Path(dir_okay=False, path_type=Path), default=REGISTRY_FILE,
              show_default=True, help="Registre à compléter.")
@click.option("--mirror", type=click.Path(file_okay=False, path_type=Path), default=MIRROR_DIR,
              show_default=True, help="Dossier du miroir hors ligne.")
@click.option("--tests-dir", type=click.Path(file_okay=False, path_type=Path), default=TESTS_DIR,
              show_default=True, help="Dossier où écrire le test de la source.")
def sources_new(source_id: str, kind: str, url: str, name: str | None, organisation: str | None, offline: bool,
                registry: Path, mirror: Path, tests_dir: Path) -> None:
    """Crée une source : entrée du registre, fixture enregistrée et test à compléter.

    \b
    Exemple :
      glaneur sources new mon-reseau --kind feed --url https://mon-reseau.org/feed/
    """
    try:
        result = scaffold_source(source_id, kind, url, name=name, organisation=organisation, offline=offline,
                                 registry=registry, mirror=mirror, tests_dir=tests_dir)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Entrée ajoutée au registre : {registry} (source « {source_id} », type {kind}).")
    for path in result.fixtures:
        click.echo(f"Fixture écrite : {path}")
    if result.placeholder:
        click.echo(
            f"ATTENTION : fixture PROVISOIRE (contenu synthétique) — {result.reason}. "
            "Remplacez-la par la réponse réelle enregistrée (voir docs/ajouter-une-source.md)."
        )
    click.echo(f"Test écrit : {result.test_file} (il échoue tant que les champs attendus ne sont pas remplis).")
    click.echo("Étapes suivantes :")
    click.echo("  1. complétez l'entrée du registre (nom, organisation, licence, mention, sélecteurs) ;")
    click.echo(f"  2. vérifiez : glaneur sources check {source_id}")
    click.echo(f"  3. écrivez les champs attendus dans {result.test_file.name} puis lancez pytest.")


@click.command(name="check")
@click.argument("source_id", required=False)
@click.option("--all", "check_all", is_flag=True, help="Vérifier toutes les sources actives en une collecte.")
@click.option("--live", is_flag=True, help="Interroger le site réel au lieu du miroir hors ligne.")
@click.option("--registry", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=REGISTRY_FILE,
              show_default=True, help="Registre des sources (YAML).")
@click.option("--mirror", type=click.Path(file_okay=False, path_type=Path), default=MIRROR_DIR,
              show_default=True, help="Dossier du miroir hors ligne.")
@click.option("--show", default=3, show_default=True, help="Nombre de premiers éléments affichés.")
def sources_check(source_id: str | None, check_all: bool, live: bool, registry: Path, mirror: Path,
                  show: int) -> None:
    """Collecte une source dans une base temporaire et rend compte de la qualité des champs.

    Code de sortie non nul si la source ne donne rien, ou si titre, URL ou type sont
    valides dans moins de 90 % des éléments.

    \b
    Exemples :
      glaneur sources check reseau-cocagne
      glaneur sources check reseau-cocagne --live
      glaneur sources check --all
    """
    from glaneur.cli import load_sources
    from glaneur.crawl import run_crawl
    from glaneur.quality import source_quality

    entries = load_sources(registry)
    if check_all:
        sources = [s for s in entries if s.enabled]
    elif source_id:
        sources = [s for s in entries if s.id == source_id]
        if not sources:
            raise click.ClickException(f"Source inconnue : « {source_id} » (registre {registry}).")
    else:
        raise click.ClickException("Indiquez l'identifiant d'une source, ou --all.")
    mode = "en ligne" if live else "hors ligne (miroir)"
    click.echo(f"Vérification {mode} de {len(sources)} source(s)…", err=True)
    with tempfile.TemporaryDirectory(prefix="glaneur-check-") as tmp:
        db_path = Path(tmp) / "check.db"
        reports = run_crawl(sources, db_path, offline=not live, mirror_dir=mirror, use_cache=False)
        failures = 0
        for source, report in zip(sources, reports, strict=True):
            quality = source_quality(db_path, source)
            click.echo(quality.format(report.errors, show))
            failures += not quality.ok
    if failures:
        click.echo(f"{failures} source(s) à corriger.")
        sys.exit(1)
    click.echo("Toutes les sources vérifiées sont exploitables.")
