"""`glaneur sources new` and `glaneur sources check`: the operator's workflow for adding a source.

`new` scaffolds the three things a source needs (registry entry, recorded fixture, failing
test); `check` crawls one source (or all) into a throwaway database and says, field by field,
whether what comes out is usable. Both are documented in docs/ajouter-une-source.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import click

from glaneur.discovery import CONNECTORS
from glaneur.paths import MIRROR_DIR, PROJECT_ROOT, REGISTRY_FILE
from glaneur.scaffold import ID_PATTERN, KINDS, ScaffoldError, scaffold_source

TESTS_DIR = PROJECT_ROOT / "tests" / "spiders"


def register(main: click.Group) -> None:
    """Attach the commands to the existing `sources` group of the CLI."""
    group = main.commands["sources"]
    group.add_command(sources_new)
    group.add_command(sources_check)


@click.command(name="new")
@click.argument("source_id")
@click.option("--kind", type=click.Choice(KINDS), default=None,
              help="Type de connecteur ; sans lui, le site est exploré et le meilleur connecteur proposé.")
@click.option("--url", required=True, help="Page d'accueil du site (ou, avec --kind, l'URL d'entrée).")
@click.option("--connector", type=click.Choice(CONNECTORS), default=None,
              help="Sans --kind : retenir ce connecteur parmi ceux que l'exploration trouve.")
@click.option("--replace", is_flag=True, help="Sans --kind : remplacer l'entrée existante de même identifiant.")
@click.option("--dry-run", is_flag=True, help="Sans --kind : explorer et montrer, sans rien écrire.")
@click.option("--name", default=None, help="Nom lisible de la source.")
@click.option("--organisation", default=None, help="Organisation qui publie.")
@click.option("--offline", is_flag=True, help="Avec --kind : ne pas télécharger, écrire une fixture provisoire.")
@click.option("--registry", type=click.Path(dir_okay=False, path_type=Path), default=REGISTRY_FILE,
              show_default=True, help="Registre à compléter.")
@click.option("--mirror", type=click.Path(file_okay=False, path_type=Path), default=MIRROR_DIR,
              show_default=True, help="Dossier du miroir hors ligne.")
@click.option("--tests-dir", type=click.Path(file_okay=False, path_type=Path), default=TESTS_DIR,
              show_default=True, help="Dossier où écrire le test de la source.")
def sources_new(source_id: str, kind: str | None, url: str, connector: str | None, replace: bool, dry_run: bool,
                name: str | None, organisation: str | None, offline: bool, registry: Path, mirror: Path,
                tests_dir: Path) -> None:
    """Crée une source : entrée du registre, fixture enregistrée et test à compléter.

    Sans --kind, explore le site (robots.txt respecté, 12 requêtes au plus), propose le meilleur
    connecteur avec ses indices, montre les premiers éléments tels qu'ils seront enregistrés,
    puis écrit l'entrée et la fixture.

    \b
    Exemples :
      glaneur sources new mon-reseau --url https://mon-reseau.org/
      glaneur sources new mon-reseau --url https://mon-reseau.org/ --connector feed
      glaneur sources new mon-reseau --kind feed --url https://mon-reseau.org/feed/
    """
    if kind is None:
        if offline:
            raise click.ClickException("L'exploration d'un site demande le réseau : donnez --kind avec --offline.")
        _new_discovered(source_id, url, connector, replace, dry_run, name, organisation, registry, mirror,
                        tests_dir)
        return
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
    _next_steps(source_id, result.test_file)


def _next_steps(source_id: str, test_file: Path) -> None:
    click.echo(f"Test écrit : {test_file} (il échoue tant que les champs attendus ne sont pas remplis).")
    click.echo("Étapes suivantes :")
    click.echo("  1. complétez l'entrée du registre (nom, organisation, licence, mention, sélecteurs) ;")
    click.echo(f"  2. vérifiez : glaneur sources check {source_id}")
    click.echo(f"  3. écrivez les champs attendus dans {test_file.name} puis lancez pytest.")


def _new_discovered(source_id: str, url: str, connector: str | None, replace: bool, dry_run: bool,
                    name: str | None, organisation: str | None, registry: Path, mirror: Path,
                    tests_dir: Path) -> None:
    from glaneur.discovery import CMS_NAMES, discover
    from glaneur.preview import format_item, preview_source
    from glaneur.registry import Source
    from glaneur.scaffold import discovered_entry, scaffold_discovered

    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise click.ClickException(f"URL invalide : {url}")
    if not ID_PATTERN.match(source_id):
        raise click.ClickException(f"Identifiant invalide « {source_id} » : minuscules, chiffres et tirets seulement.")
    found = discover(url, want=connector)
    click.echo(f"Exploration de {url} ({len(found.prober.requests)} requête(s) sur {found.prober.max_requests} "
               "au plus, robots.txt respecté) :")
    for line in found.evidence:
        click.echo(f"  - {line}")
    chosen = found.candidate(connector) if connector else found.best
    if chosen is None:
        reason = found.explanation or (
            f"Le connecteur « {connector} » n'a pas été trouvé sur ce site ; connecteur(s) trouvé(s) : "
            + (", ".join(c.connector for c in found.candidates) or "aucun") + ".")
        raise click.ClickException(reason)
    click.echo(f"Connecteur proposé : {chosen.label} — {chosen.entry_url}")
    for line in chosen.evidence:
        click.echo(f"  - {line}")
    others = [c for c in found.candidates if c is not chosen]
    if others:
        click.echo("Autres connecteurs possibles :")
        for other in others:
            click.echo(f"  - {other.label} ({other.entry_url}) : glaneur sources new {source_id} --url {url} "
                       f"--connector {other.connector}")
    cms = [line for line in found.evidence if found.cms and line.startswith(CMS_NAMES[found.cms])]
    entry = discovered_entry(source_id, chosen, found.site_name, name, organisation, cms)
    source = Source(**entry)
    preview = preview_source(source, chosen.connector, chosen.fetched, found.prober)
    if preview.date_selector:
        entry.setdefault("listing", {})["date"] = preview.date_selector
    click.echo(f"Aperçu : {len(preview.items)} élément(s), tels que Glaneur les enregistrera "
               "(titre, date, type, territoire) :")
    for item in preview.items[:5]:
        click.echo(f"  - {format_item(item)}")
    for error in preview.errors[:5]:
        click.echo(f"  ! {error}")
    click.echo(f"Requêtes faites : {len(found.prober.requests)} sur {found.prober.max_requests} au plus.")
    if dry_run:
        click.echo("Essai (--dry-run) : rien n'a été écrit.")
        return
    if replace:
        from glaneur.scaffold import keep_operator_fields

        overridden = tuple(k for k, v in (("name", name), ("organisation", organisation)) if v)
        keep_operator_fields(entry, registry, overridden)
    try:
        result = scaffold_discovered(entry, preview.responses, registry=registry, mirror=mirror,
                                     tests_dir=tests_dir, replace=replace)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    verb = "remplacée dans" if replace else "ajoutée au"
    click.echo(f"Entrée {verb} registre : {registry} (source « {source_id} », {chosen.label}).")
    for path in result.fixtures:
        click.echo(f"Fixture écrite : {path}")
    if chosen.connector == "tribe_events":
        from glaneur.today import reference_today

        day = reference_today().isoformat()
        click.echo(f"La fixture de l'agenda est celle du {day} (start_date) : hors ligne, rejouez-la avec "
                   f"GLANEUR_TODAY={day}.")
    _next_steps(source_id, result.test_file)


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
    valides dans moins de 90 % des éléments. Avec --live ou --all, finit par ce qui reste à
    vérifier en ligne, source par source (URL devinées, ids non vérifiés, clés absentes).

    \b
    Exemples :
      glaneur sources check reseau-cocagne
      glaneur sources check reseau-cocagne --live
      glaneur sources check --all
    """
    from glaneur.cli import load_sources
    from glaneur.crawl import run_crawl
    from glaneur.live_checklist import format_checklist, remaining
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
        todo = []
        for source, report in zip(sources, reports, strict=True):
            quality = source_quality(db_path, source)
            click.echo(quality.format(report.errors, show))
            failures += not quality.ok
            todo.append((source, remaining(source, quality.items, report.errors, live)))
    if failures:
        click.echo(f"{failures} source(s) à corriger.")
    else:
        click.echo("Toutes les sources vérifiées sont exploitables.")
    if live or check_all:
        click.echo("")
        click.echo(format_checklist(todo, live))
    if failures:
        sys.exit(1)
