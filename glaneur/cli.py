"""The `glaneur` command line; every message a user reads is in French."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from glaneur.paths import DEFAULT_DB, MIRROR_DIR, REGISTRY_FILE

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def db_option(func):
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
        show_default=True, help="Fichier SQLite de la base.",
    )(func)


def registry_option(func):
    return click.option(
        "--registry", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=REGISTRY_FILE,
        show_default=True, help="Registre des sources (YAML).",
    )(func)


def load_sources(registry: Path):
    from glaneur.registry import RegistryError, load_registry

    try:
        return load_registry(registry)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="glaneur")
def main() -> None:
    """Glaneur : portail fédéré de la lutte contre la précarité alimentaire.

    Collecte les ressources des sites partenaires, les normalise, les dédoublonne
    et les publie avec Datasette.
    """


@main.command()
@click.option("--offline", is_flag=True, help="Rejoue le miroir enregistré au lieu d'interroger les sites.")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Ne collecter que cette source (répétable).")
@click.option("--mirror", type=click.Path(file_okay=False, path_type=Path), default=MIRROR_DIR,
              show_default=True, help="Dossier du miroir hors ligne.")
@click.option("--no-build", is_flag=True, help="Ne pas reconstruire les ressources après la collecte.")
@click.option("--no-cache", is_flag=True, help="Ignorer le cache HTTP (pas de requêtes conditionnelles).")
@click.option("--url", "urls", multiple=True, metavar="URL",
              help="Collecte ponctuelle de cette URL (répétable), hors registre.")
@click.option("--urls-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Fichier d'URL à collecter ponctuellement (une par ligne).")
@click.option("--kind", type=click.Choice(["feed", "page"]), default="page", show_default=True,
              help="Nature des URL ponctuelles : flux RSS/Atom ou pages (HTML/PDF).")
@db_option
@registry_option
def crawl(offline: bool, source_ids: tuple[str, ...], mirror: Path, no_build: bool, no_cache: bool,
          urls: tuple[str, ...], urls_file: Path | None, kind: str, db_path: Path, registry: Path) -> None:
    """Collecte les sources actives (ou des URL ponctuelles) puis reconstruit les ressources.

    \b
    Exemples :
      glaneur crawl --offline
      glaneur crawl --source reseau-cocagne --db /tmp/essai.db
      glaneur crawl --url https://exemple.org/feed/ --kind feed
      glaneur crawl --urls-file liste.txt --kind page
    """
    from glaneur.crawl import run_crawl

    if urls or urls_file:
        from glaneur.adhoc import AdhocError, adhoc_source, failed_urls, read_urls

        try:
            wanted = read_urls(urls, urls_file)
            sources = [adhoc_source(wanted, kind)]
        except AdhocError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Collecte ponctuelle de {len(wanted)} URL ({kind}) vers {db_path}…", err=True)
    else:
        sources = load_sources(registry)
        if source_ids:
            known = {s.id for s in sources}
            unknown = [s for s in source_ids if s not in known]
            if unknown:
                raise click.ClickException(f"Source(s) inconnue(s) : {', '.join(unknown)}")
            sources = [s for s in sources if s.id in source_ids]
        else:
            skipped = [s.id for s in sources if not s.enabled]
            sources = [s for s in sources if s.enabled]
            if skipped:
                click.echo(f"Source(s) désactivée(s), non collectée(s) : {', '.join(skipped)}", err=True)
        mode = "hors ligne (miroir)" if offline else "en ligne"
        click.echo(f"Collecte {mode} de {len(sources)} source(s) vers {db_path}…", err=True)
    reports = run_crawl(sources, db_path, offline=offline, mirror_dir=mirror, use_cache=not no_cache)
    click.echo(format_reports(reports))
    wire = {k: sum(r.wire.get(k, 0) for r in reports) for k in ("requests", "bytes", "not_modified")}
    skipped = sum(r.wire.get("extraction_skipped", 0) for r in reports)
    confirmed = sum(r.wire.get("confirmed", 0) for r in reports)
    click.echo(f"Réseau : {wire['requests']} requête(s), {wire['bytes']} octets reçus, "
               f"{wire['not_modified']} réponse(s) 304 ; {skipped} document(s) inchangé(s) non réextrait(s), "
               f"{confirmed} confirmé(s) par un point d'entrée inchangé sans être relu(s).")
    if urls or urls_file:
        failed = failed_urls(reports[0].errors, wanted)
        click.echo(f"{len(wanted) - len(failed)} URL collectée(s), {len(failed)} en échec.")
        for url in failed:
            click.echo(f"  URL en échec : {url}")
    if not no_build:
        report = run_build(db_path)
        click.echo(
            f"Base construite : {len(reports)} source(s) collectée(s), {report.documents} documents, "
            f"{report.resources} ressources ({report.merged} fusions)."
        )
    if reports and all(r.status == "echec" for r in reports):
        sys.exit(1)


def format_reports(reports) -> str:
    header = (f"{'source':<32} {'statut':<8} {'pages':>6} {'éléments':>9} {'nouveaux':>9} {'inchangés':>10} "
              f"{'erreurs':>8}")
    lines = [header, "-" * len(header)]
    for r in reports:
        lines.append(f"{r.source_id:<32} {r.status:<8} {r.pages:>6} {r.items:>9} {r.items_new:>9} "
                     f"{r.items_unchanged:>10} {len(r.errors):>8}")
    errors = [(r.source_id, e) for r in reports for e in r.errors]
    if errors:
        lines.append("")
        lines.append("Erreurs :")
        lines.extend(f"  [{sid}] {err}" for sid, err in errors)
    return "\n".join(lines)


def run_build(db_path: Path, min_ratio: float = 0.5, rebuild: bool = False):
    """Build and publish atomically; a build that fails validation leaves the database as it was."""
    from glaneur.publish import PublishError, publish_build
    from glaneur.today import reference_today

    try:
        report = publish_build(db_path, today=reference_today(), min_ratio=min_ratio, rebuild=rebuild)
        if report.unchanged:
            click.echo("Rien de nouveau depuis la dernière construction : ressources publiées inchangées.", err=True)
        elif report.corrections:
            click.echo(f"{report.corrections} correction(s) des éditeurs appliquée(s).", err=True)
        for problem in report.correction_problems:
            if "kind" in problem:  # pratique inspirante, « À la une » (glaneur/features.py)
                what, where = f"{problem['kind']} {problem['id']} (ressource {problem['resource_id']})", \
                    "« /edition/a-la-une »" if problem["field"] == "à la une" else "edition.db"
            else:
                what = f"Correction {problem['id']} ({problem['field']}, ressource {problem['resource_id']})"
                where = "« glaneur corrections list »"
            click.echo(f"{what} non appliquée : {problem['probleme']} ; elle reste enregistrée ({where}).", err=True)
        return report
    except PublishError as exc:
        raise click.ClickException(f"{exc} Relancez « glaneur build --force » pour publier quand même.") from exc


@main.command(name="build")
@click.option("--force", is_flag=True,
              help="Reconstruire même si rien n'a changé, et publier même si la construction perd plus de "
                   "la moitié des ressources publiées.")
@db_option
def build_cmd(force: bool, db_path: Path) -> None:
    """Reconstruit les ressources (normalisation, dédoublonnage, index) à partir des documents.

    La construction se fait sur une copie de la base, vérifiée (intégrité, nombre de
    ressources) puis substituée d'un coup : une construction interrompue ou invalide ne
    touche pas à la base publiée.
    """
    if not db_path.exists():
        raise click.ClickException(f"Base introuvable : {db_path} (lancez d'abord « glaneur crawl »).")
    report = run_build(db_path, min_ratio=0.0 if force else 0.5, rebuild=force)
    click.echo(f"{report.documents} documents → {report.resources} ressources ({report.merged} fusions).")


@main.command()
@db_option
@click.option("--port", default=int(os.environ.get("PORT", 8001)), show_default=True, help="Port d'écoute.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
def serve(db_path: Path, port: int, host: str) -> None:
    """Sert le portail Datasette (lecture seule) sur http://HOST:PORT/.

    Le portail sert la copie publiée de la base (BASE.portail/) et passe de lui-même à la
    suivante dès qu'une construction la publie : pas besoin de le redémarrer.
    """
    if not db_path.exists():
        raise click.ClickException(f"Base introuvable : {db_path} (lancez d'abord « glaneur crawl »).")
    from glaneur.corrections import edition_db_path
    from glaneur.portal import datasette_args
    from glaneur.publish import ensure_portal
    from schedules.store import subscribers_db_path

    public, directory = ensure_portal(db_path)
    # The subscribers' file stays beside the working database, not beside the published copy.
    os.environ.setdefault("GLANEUR_ABONNES_DB", str(subscribers_db_path(db_path)))
    os.environ.setdefault("GLANEUR_EDITION_DB", str(edition_db_path(db_path)))  # editors' corrections
    args = datasette_args(public, port, host, directory=directory)
    click.echo(f"Portail servi sur http://{host}:{port}/ (Ctrl+C pour arrêter)", err=True)
    os.execv(sys.executable, [sys.executable, "-m", "datasette", *args])


@main.command()
@click.argument("target")
@click.option("--url", help="URL d'origine du document (pour un fichier local).")
@click.option("--source", "source_id", help="Source du registre dont le document provient.")
@click.option("--explain", "explain", is_flag=True,
              help="Explique chaque champ : les indices trouvés, la règle appliquée, la deuxième possibilité.")
@registry_option
def extract(target: str, url: str | None, source_id: str | None, explain: bool, registry: Path) -> None:
    """Extrait et normalise une page (.html, .txt, .pdf ou URL) ; affiche la ressource en JSON.

    \b
    Exemples :
      glaneur extract page.html --url https://exemple.org/article
      glaneur extract rapport.pdf
      glaneur extract page.txt --url https://exemple.gouv.fr/appels-a-projets/aap-2024 --explain
    """
    from glaneur.registry import RegistryError, get_source
    from glaneur.single import SingleDocumentError, extract_one

    try:
        source = get_source(source_id, registry) if source_id else None
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        resource = extract_one(target, url=url, source=source, explain=explain)
    except SingleDocumentError as exc:
        raise click.ClickException(str(exc)) from exc
    explanation = resource.pop("explication", None)
    click.echo(json.dumps(resource, ensure_ascii=False, indent=2))
    if explanation:
        click.echo("\n" + explanation)


@main.command(name="eval")
@click.option("--partie", "parts", multiple=True, type=click.Choice(["regression", "dev", "heldout"]),
              help="Partie à mesurer (par défaut : toutes).")
@click.option("--dir", "dirs", multiple=True, type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Dossier de cas au même format JSON (labels*.jsonl + textes), mesuré comme une partie.")
@click.option("--set", "legacy_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              hidden=True)
@click.option("--sans-ecarts", "quiet", is_flag=True, help="N'affiche pas la liste des cas en écart.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--verifier", "check_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Vérifie seulement la forme des cas d'un dossier (sans rien prédire).")
@click.option("--recherche", "search_eval", is_flag=True,
              help="Mesure la page /recherche (nDCG@5, requêtes sans résultat) sur tests/eval/recherche.jsonl.")
@click.option("--db", "search_db", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Avec --recherche : la base à interroger (par défaut, le miroir hors ligne construit exprès).")
def eval_cmd(parts: tuple[str, ...], dirs: tuple[Path, ...], legacy_dir: Path | None, quiet: bool, fmt: str,
             check_dir: Path | None, search_eval: bool, search_db: Path | None) -> None:
    """Mesure la qualité de la normalisation, partie par partie (régression, développement, tenue à l'écart).

    \b
    Exemples :
      glaneur eval                      # les trois parties du projet
      glaneur eval --partie heldout     # la partie tenue à l'écart seulement
      glaneur eval --dir mes-pages/     # un dossier de cas à soi (voir docs/etiquetage.md)
      glaneur eval --verifier mes-pages/
      glaneur eval --recherche          # la recherche du portail sur les requêtes jugées
    """
    if search_eval:
        from glaneur.search_eval import format_search_scores, run_search_eval

        _echo_scores(lambda: run_search_eval(search_db), ValueError, fmt,
                     lambda result: format_search_scores(result, details=not quiet))
        return
    if search_db is not None:
        raise click.UsageError("--db ne sert qu'avec --recherche.")
    from glaneur.eval_cases import CaseError
    from glaneur.evaluate import PARTS, format_scores, run_eval

    if check_dir is not None:
        from glaneur.eval_cases import check_folder

        problems = check_folder(check_dir)
        for problem in problems:
            click.echo(problem)
        if problems:
            raise click.ClickException(f"{len(problems)} problème(s) dans {check_dir}")
        click.echo(f"{check_dir} : tous les cas sont bien formés.")
        return
    folders: dict[str, Path] | None = None
    if parts or dirs or legacy_dir:
        folders = {name: PARTS[name] for name in parts}
        for folder in (*dirs, *([legacy_dir] if legacy_dir else [])):
            folders[str(folder)] = folder
    _echo_scores(lambda: run_eval(folders), CaseError, fmt, lambda result: format_scores(result, misses=not quiet))


def _echo_scores(measure, refused: type[Exception], fmt: str, as_table) -> None:
    """Run a measure and print it as JSON or as a table; its input errors become French CLI errors."""
    try:
        result = measure()
    except refused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if fmt == "json" else as_table(result))


@main.group()
def sources() -> None:
    """Registre des sources."""


@sources.command(name="list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@registry_option
def sources_list(fmt: str, registry: Path) -> None:
    """Liste les sources du registre."""
    entries = load_sources(registry)
    if fmt == "json":
        click.echo(json.dumps([s.as_row() for s in entries], ensure_ascii=False, indent=2))
        return
    click.echo(f"{'id':<32} {'type':<10} {'cadence':<8} {'actif':<5} organisation")
    for s in entries:
        click.echo(f"{s.id:<32} {s.kind:<10} {s.cadence:<8} {'oui' if s.enabled else 'non':<5} {s.organisation}")
    click.echo(f"{len(entries)} source(s).")


def _register_command_modules() -> None:
    """Commands of later capabilities live in their own modules (one per area) and join here."""
    import importlib

    for name in ("glaneur.cli_sources", "glaneur.cli_portal", "glaneur.cli_dedup", "glaneur.cli_schedule",
                 "glaneur.cli_links", "glaneur.cli_corrections"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(main)


if __name__ == "__main__":
    # `python -m glaneur.cli`: run the importable module, so command modules that import
    # glaneur.cli see one and the same group.
    from glaneur.cli import main as importable_main

    importable_main()
elif __name__ == "glaneur.cli":  # not in a worker process re-importing the main module (spawn)
    _register_command_modules()
