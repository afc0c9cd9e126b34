"""Discovery on recorded site shapes served on 127.0.0.1: the connector chosen, the politeness
(robots.txt first and obeyed, the project's User-Agent, a dozen requests at most), the preview,
and the CLI that writes the entry and a fixture the offline replay then serves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from glaneur.discovery import discover
from glaneur.preview import format_item, preview_source
from glaneur.probe import MAX_REQUESTS
from glaneur.registry import Source, load_registry
from glaneur.scaffold import discovered_entry
from glaneur.settings import USER_AGENT
from tests.discovery.sites import load_site, serve, site_names
from tests.support import glaneur

NO_DELAY = {"GLANEUR_DOWNLOAD_DELAY": "0"}


@pytest.fixture(autouse=True)
def _fast_and_dated(monkeypatch):
    monkeypatch.setenv("GLANEUR_DOWNLOAD_DELAY", "0")
    monkeypatch.setenv("GLANEUR_TODAY", "2026-11-20")


def test_at_least_twelve_shapes():
    assert len(site_names()) >= 12


@pytest.mark.parametrize("name", site_names())
def test_connector_chosen_politely(name: str):
    site = load_site(name)
    with serve(site) as base:
        found = discover(base + "/")
    chosen = found.best.connector if found.best else "none"
    assert chosen == site.expected, f"{name} ({site.shape}) : {chosen} ; indices : {found.evidence}"
    if chosen == "none":
        assert any(word in found.explanation for word in ("robots.txt", "JavaScript", "pare-feu"))
    assert site.log[0][0] == "/robots.txt"  # read before anything else
    assert len(site.log) == len(found.prober.requests) <= MAX_REQUESTS
    assert {agent for _, agent in site.log} == {USER_AGENT}


def test_robots_disallow_fetches_nothing_else():
    site = load_site("robots-interdit")
    with serve(site) as base:
        found = discover(base + "/", want="feed")
    assert [path for path, _ in site.log] == ["/robots.txt"]
    assert "interdit à Glaneur" in found.explanation and not found.candidates


def test_wordpress_evidence_names_post_types_and_categories():
    site = load_site("wordpress-rest")
    with serve(site) as base:
        found = discover(base + "/")
    evidence = " | ".join(found.evidence)
    assert "types de contenu publics : posts (Articles), pages (Pages)" in evidence  # no media, no blocks
    assert "Alimentation (id 87, 14 articles)" in evidence and "Presse" not in evidence  # empty category
    assert found.best.options == {"wordpress": {"categories": [87, 112]}}  # the food categories, read live


def test_preview_items_as_stored():
    site = load_site("wordpress-rest")
    with serve(site) as base:
        found = discover(base + "/")
        source = Source(**discovered_entry("essai", found.best, found.site_name, None, None, []))
        preview = preview_source(source, "wordpress", found.best.fetched, found.prober)
    first = preview.items[0]
    assert (first["title"], first["published"], first["departements"]) == (
        "Ouverture d’une épicerie solidaire à Montauban", "2026-11-18", ["82"])
    assert preview.items[1]["type"] == "appel_a_projets"
    assert format_item(first).endswith("Occitanie (76), Tarn-et-Garonne (82)")
    assert not preview.errors


def test_listing_preview_reads_detail_pages_and_proposes_a_date_selector():
    site = load_site("drupal-dsfr")
    with serve(site) as base:
        found = discover(base + "/")
        source = Source(**discovered_entry("essai", found.best, found.site_name, None, None, []))
        preview = preview_source(source, "listing", found.best.fetched, found.prober)
    assert found.best.options["listing"] == {"item_links": ".fr-card__title a::attr(href)",
                                             "next_page": ".fr-pagination__link--next::attr(href)"}
    assert found.best.entry_url.endswith("/fr")  # the homepage redirects (301) to its language
    assert preview.date_selector == "time::attr(datetime)"
    assert [i["published"] for i in preview.items] == ["2026-11-17", "2026-11-09", "2026-11-02"]
    assert len(preview.responses) == 4  # the listing and three detail pages, recorded as the fixture
    assert len(found.prober.requests) <= MAX_REQUESTS


def test_events_calendar_is_preferred_and_posts_offered():
    site = load_site("wordpress-agenda")
    with serve(site) as base:
        found = discover(base + "/")
    assert [c.connector for c in found.candidates] == ["tribe_events", "wordpress"]
    assert found.best.entry_url.endswith("/wp-json/tribe/events/v1/events?per_page=50")


def _paths(tmp_path: Path) -> list[str]:
    registry = tmp_path / "sources.yaml"
    registry.write_text("# registre d'essai\nsources:\n", encoding="utf-8")
    return ["--registry", str(registry), "--mirror", str(tmp_path / "mirror"), "--tests-dir", str(tmp_path / "tests")]


def test_cli_writes_entry_and_fixture_that_replays(tmp_path: Path):
    site = load_site("wordpress-rest")
    paths = _paths(tmp_path)
    with serve(site) as base:
        out = glaneur("sources", "new", "epiceries-val", "--url", base + "/", *paths, env=NO_DELAY).stdout
    assert "Connecteur proposé : WordPress (API REST)" in out
    # the preview goes through the normalizers: title, date and a type of the taxonomy (which one is
    # the type model's business, refitted as the evaluation grows; tests/test_eval_quality.py measures it)
    assert re.search(r"« Ouverture d’une épicerie solidaire à Montauban » — publié le 2026-11-18 — "
                     r"(etude|barometre|appel_a_projets|formation|evenement|bonne_pratique|outil|actualite)\b", out)
    [source] = load_registry(tmp_path / "sources.yaml")
    assert (source.kind, source.wordpress, source.name) == ("wordpress", {"categories": [87, 112]},
                                                            "Réseau des épiceries solidaires du Val")
    assert "Indices :" in source.notes
    check = glaneur("sources", "check", "epiceries-val", *paths[:4]).stdout  # offline, from the recorded fixture
    assert "== epiceries-val : 3 élément(s) — OK" in check


def test_cli_listing_then_offline_check(tmp_path: Path):
    site = load_site("drupal-dsfr")
    paths = _paths(tmp_path)
    with serve(site) as base:
        glaneur("sources", "new", "dreets", "--url", base + "/", *paths, env=NO_DELAY)
    [source] = load_registry(tmp_path / "sources.yaml")
    assert source.listing["date"] == "time::attr(datetime)"
    host = next((tmp_path / "mirror").iterdir())
    assert len(yaml.safe_load((host / "_index.yaml").read_text(encoding="utf-8"))) == 4
    check = glaneur("sources", "check", "dreets", *paths[:4]).stdout
    assert "== dreets : 3 élément(s) — OK" in check
    assert "date de publication   100%  (3/3)" in check


def test_cli_explains_and_writes_nothing(tmp_path: Path):
    site = load_site("javascript-sans-repli")
    paths = _paths(tmp_path)
    with serve(site) as base:
        result = glaneur("sources", "new", "agenda-js", "--url", base + "/", *paths, env=NO_DELAY, check=False)
    assert result.returncode == 1
    assert "est rendue par JavaScript" in result.stderr
    assert load_registry(tmp_path / "sources.yaml") == []
    assert not (tmp_path / "mirror").exists()


def test_cli_connector_choice_and_dry_run(tmp_path: Path):
    site = load_site("spip")
    paths = _paths(tmp_path)
    with serve(site) as base:
        proposed = glaneur("sources", "new", "observatoire", "--url", base + "/", "--dry-run", *paths,
                           env=NO_DELAY).stdout
        chosen = glaneur("sources", "new", "observatoire", "--url", base + "/", "--connector", "listing",
                         "--dry-run", *paths, env=NO_DELAY).stdout
        missing = glaneur("sources", "new", "observatoire", "--url", base + "/", "--connector", "sitemap",
                          *paths, env=NO_DELAY, check=False)
    assert "Connecteur proposé : flux RSS/Atom" in proposed and "rien n'a été écrit" in proposed
    assert f"glaneur sources new observatoire --url {base}/ --connector listing" in proposed  # the alternative
    assert "Connecteur proposé : liste HTML (sélecteurs CSS)" in chosen
    assert "(2 requête(s) sur 12 au plus" in chosen  # robots.txt and the homepage: nothing else to probe
    assert missing.returncode == 1 and "« sitemap » n'a pas été trouvé" in missing.stderr
    assert load_registry(tmp_path / "sources.yaml") == []


def test_crawl_delay_of_robots_txt_is_honoured():
    site = load_site("agenda-jsonld")
    with serve(site) as base:
        found = discover(base + "/")
    assert found.prober.delay == 0.1  # GLANEUR_DOWNLOAD_DELAY is 0 here: robots.txt asked for more


def test_a_connector_asked_for_costs_only_its_own_probes():
    site = load_site("wordpress-rest")
    with serve(site) as base:
        found = discover(base + "/", want="listing")
    assert [path for path, _ in site.log] == ["/robots.txt", "/"]
    assert found.candidate("listing").options["listing"]["item_links"] == ".entry-title a::attr(href)"


def test_homepage_redirected_to_another_site_is_followed_with_its_robots_txt():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    site = load_site("joomla")
    with serve(site) as target:
        class Redirect(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server API)
                self.send_response(404 if self.path == "/robots.txt" else 301)
                if self.path != "/robots.txt":
                    self.send_header("Location", target + "/")
                self.end_headers()

            def log_message(self, *args):
                pass

        old = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
        threading.Thread(target=old.serve_forever, daemon=True).start()
        try:
            found = discover(f"http://127.0.0.1:{old.server_address[1]}/")
        finally:
            old.shutdown()
            old.server_close()
    assert found.best.connector == "feed" and found.best.entry_url.startswith(target)
    assert f"la page d'accueil redirige vers un autre site : {target}/" in found.evidence
    assert [path for path, _ in site.log][:2] == ["/robots.txt", "/"]  # the new site's robots.txt first


def test_listing_selectors_rank_blocks_and_leave_the_furniture_out():
    from parsel import Selector

    from glaneur.discovery import listing_selectors

    card = ('<div class="card card--{n}"><h3 class="card__title"><a href="/actu/{n}">Actualité numéro {n} du réseau'
            "</a></h3></div>")
    related = '<li class="related__item"><a href="/dossier/{n}">Dossier thématique numéro {n}</a></li>'
    menu = '<li><a href="/rubrique/{n}">Rubrique du site numéro {n}</a></li>'
    html = ("<html><body><header><nav><ul>" + "".join(menu.format(n=n) for n in range(6)) + "</ul></nav></header>"
            "<main>" + "".join(card.format(n=n) for n in range(5))
            + '<ul class="related">' + "".join(related.format(n=n) for n in range(3)) + "</ul></main>"
            '<footer><a href="/mentions">Mentions légales du site</a></footer></body></html>')
    found = listing_selectors(Selector(text=html), "https://site.test/")
    assert [(sel, len(links)) for sel, links in found] == [(".card__title a::attr(href)", 5),
                                                          (".related__item a::attr(href)", 3)]
    assert listing_selectors(Selector(text="<html><body><nav>" + menu.format(n=1) * 5 + "</nav></body></html>"),
                             "https://site.test/") == []


def test_a_proposed_source_goes_through_discovery(monkeypatch):
    """A partner proposes a SPIP site whose feed no page announces: the editor's draft gets the
    feed discovery finds (glaneur/contributions.py), not a listing to complete by hand."""
    from glaneur.contributions import discover_source

    monkeypatch.setenv("GLANEUR_PROPOSITIONS_RESEAU_PRIVE", "1")  # the loopback site
    site = load_site("spip")
    with serve(site) as base:
        found = discover_source(base + "/")
    assert found["kind"] == "feed" and "backend" in found["entry_url"], found
    assert found["evidence"] and found["title"]
    monkeypatch.delenv("GLANEUR_PROPOSITIONS_RESEAU_PRIVE")
    with serve(load_site("spip")) as base, pytest.raises(Exception, match="téléchargée"):
        discover_source(base + "/")  # a private address is refused before anything is read
