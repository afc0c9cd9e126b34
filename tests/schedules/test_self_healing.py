"""Self-healing: a listing or sitemap that breaks is said so with its reason; `health --decouvrir`
explores its site (a loopback server) and proposes the feed or API found, with the command that
switches it; the command then replaces the registry entry and the new fixture replays."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from glaneur.registry import load_registry
from schedules.health import check_all, format_table
from tests.discovery.sites import load_site, serve
from tests.schedules.test_portal_page import request
from tests.support import glaneur

NO_DELAY = {"GLANEUR_DOWNLOAD_DELAY": "0", "GLANEUR_TODAY": "2026-11-20"}
SELECTOR_ERROR = "Le sélecteur listing.item_links « .actu a::attr(href) » ne trouve rien sur https://site.test/actus"


def _broken_listing(b, source_id: str, homepage: str, kind: str = "listing", last_errors=None) -> None:
    b.source(source_id)
    b.db["sources"].update(source_id, {"kind": kind, "homepage": homepage})
    now = datetime.now(UTC)
    for back, items in zip(range(6, 1, -1), (6, 5, 6, 7, 6), strict=True):
        b.run(source_id, (now - timedelta(days=back)).isoformat(), items=items)
    b.run(source_id, (now - timedelta(days=1)).isoformat(), items=0, status="ok",
          errors=[SELECTOR_ERROR] if last_errors is None else last_errors)


def _health(path: Path) -> dict:
    return {h.source_id: h for h in check_all(sqlite3.connect(path))}


def test_broken_listing_says_why_and_what_to_do(main_db):
    path, b = main_db
    _broken_listing(b, "liste", "https://site.test/")
    _broken_listing(b, "flux", "https://autre.test/", kind="feed", last_errors=[])
    health = _health(path)
    assert health["liste"].broken == [f"la liste donnait jusqu'à 7 élément(s) et n'en donne plus : {SELECTOR_ERROR}"]
    assert health["liste"].broken[0] in health["liste"].problems and health["liste"].failing
    assert health["flux"].broken == [] and health["flux"].failing  # a feed has no selector to break
    table = format_table(list(health.values()))
    assert "[liste] cherchez un flux ou une API sur son site : glaneur health --decouvrir" in table


def test_selector_that_stops_matching_while_items_still_come(main_db):
    path, b = main_db
    b.source("dates")
    b.db["sources"].update("dates", {"kind": "sitemap", "homepage": "https://dates.test/"})
    now = datetime.now(UTC)
    message = "Le sélecteur listing.date « time::attr(datetime) » ne trouve rien sur les 12 page(s) de détail"
    b.run("dates", (now - timedelta(days=2)).isoformat(), items=12)
    b.run("dates", (now - timedelta(days=1)).isoformat(), items=12, errors=[message])
    assert _health(path)["dates"].broken == [f"sélecteur qui ne trouve plus rien : {message}"]


def test_discovery_proposes_the_feed_and_the_command_applies_it(main_db, tmp_path: Path):
    path, b = main_db
    site = load_site("wordpress-sans-api")
    with serve(site) as base:
        home = base + "/"
        _broken_listing(b, "collectif", home)
        result = glaneur("health", "--decouvrir", "--db", str(path), env=NO_DELAY, check=False)
        command = f"glaneur sources new collectif --url {home} --connector feed --replace"
        assert result.returncode == 1  # still « à vérifier » until the switch is made
        assert f"passer au connecteur flux RSS/Atom ({base}/feed/) avec « {command} »" in result.stdout
        assert len(site.log) <= 12 and site.log[0][0] == "/robots.txt"

        again = glaneur("health", "--db", str(path), check=False).stdout  # stored: no new exploration
        assert command in again and len(site.log) <= 12
        page = request(path, "/etat-des-sources").text
        assert f"Commande : <code>{command}</code>" in page and "passer au connecteur <strong>flux RSS/Atom" in page

        registry = tmp_path / "sources.yaml"
        registry.write_text(
            "sources:\n  - id: collectif\n    name: Collectif\n    organisation: Collectif 47\n"
            f"    homepage: {home}\n    kind: listing\n    entry_urls:\n      - {base}/nos-actualites/\n"
            "    listing:\n      item_links: \".actu a::attr(href)\"\n\n  # --- suite\n", encoding="utf-8")
        paths = ["--registry", str(registry), "--mirror", str(tmp_path / "mirror"), "--tests-dir",
                 str(tmp_path / "tests")]
        glaneur(*command.split()[1:], *paths, env=NO_DELAY)
    [source] = load_registry(registry)
    assert (source.kind, source.entry_urls, source.homepage) == ("feed", [f"{base}/feed/"], home)
    text = registry.read_text(encoding="utf-8")
    assert "# Configuration remplacée le" in text and '  #     item_links: ".actu a::attr(href)"' in text
    assert (source.name, source.organisation) == ("Collectif", "Collectif 47")  # the operator's fields kept
    assert text.rstrip().endswith("# --- suite")  # what followed the entry is kept
    check = glaneur("sources", "check", "collectif", *paths[:4]).stdout
    assert "== collectif : 2 élément(s) — OK" in check


def test_discovery_without_feed_says_why(main_db):
    path, b = main_db
    site = load_site("javascript-sans-repli")
    with serve(site) as base:
        _broken_listing(b, "agenda-js", base + "/")
        out = glaneur("health", "--decouvrir", "--db", str(path), env=NO_DELAY, check=False).stdout
    assert "[agenda-js] site exploré le" in out and "est rendue par JavaScript" in out
    assert "--replace" not in out
