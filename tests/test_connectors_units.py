"""Connector building blocks without a crawl: registry checks, vocabulary CSVs, JSON-LD, WordPress
URLs, PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from glaneur.items import Document
from glaneur.paths import MIRROR_DIR
from glaneur.registry import RegistryError, Source, load_registry
from pipelines.extract import extract_document, extract_html, extract_pdf
from pipelines.jsonld import jsonld_fields
from pipelines.vocabulary import MappingError, apply_mapping, load_mapping, mapping_for
from spiders.base import PDF_MAXSIZE
from spiders.listing import ListingSpider
from spiders.wordpress import rest_endpoints

BASE = {"id": "x", "name": "X", "organisation": "O", "homepage": "https://x.org/", "kind": "feed",
        "entry_urls": ["https://x.org/feed/"]}


def _registry(tmp_path: Path, **changes) -> Path:
    import yaml

    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump({"sources": [{**BASE, **changes}]}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("changes", "message"), [
    ({"kind": "rss"}, "type de connecteur « rss » inconnu"),
    ({"kind": "api", "api": {"client": "inconnu"}}, "client d'API « inconnu » inconnu"),
    ({"kind": "listing"}, "exige listing.item_links"),
    ({"listing": {"item_link": "a"}}, "option(s) listing inconnue(s) item_link"),
    ({"wordpress": {"categorie": [3]}}, "option(s) wordpress inconnue(s) categorie"),
    ({"entry_urls": ["x.org/feed"]}, "URL d'entrée invalide « x.org/feed »"),
    ({"enabled": "non"}, "« enabled » doit valoir true ou false"),
    ({"aggregator": "oui"}, "« aggregator » doit valoir true ou false"),
])
def test_registry_errors_are_french_and_name_the_entry(tmp_path, changes, message):
    with pytest.raises(RegistryError) as error:
        load_registry(_registry(tmp_path, **changes))
    assert str(error.value).startswith("Source x : ") and message in str(error.value)


def test_project_registry_covers_the_kinds():
    sources = load_registry()
    kinds = {s.kind for s in sources}
    clients = {s.api.get("client") for s in sources if s.kind == "api"}
    assert kinds == {"feed", "sitemap", "listing", "wordpress", "api"}
    assert {"aides_territoires", "hal", "openagenda", "datagouv", "tribe_events"} <= clients
    assert all(s.licence and s.mention for s in sources)


def test_every_mapping_file_is_valid_and_names_a_source():
    ids = {s.id for s in load_registry()}
    files = sorted((Path(__file__).parent.parent / "data" / "mappings").glob("*.csv"))
    assert len(files) >= 10
    for path in files:
        assert path.stem in ids, f"{path.name} ne correspond à aucune source"
        load_mapping(path)


def test_mapping_sets_themes_and_overrides_only_weak_type_hints():
    mapping = mapping_for("reseau-cocagne-agenda")
    doc = Document("reseau-cocagne-agenda", "https://x.org/e", "record",
                   fields={"categories": ["FORMATION"], "type_hint": "evenement", "type_hint_weak": True})
    apply_mapping(doc, mapping)
    assert doc.fields["type_hint"] == "formation" and doc.fields["themes"] == ["benevolat"]
    strong = Document("reseau-cocagne-agenda", "https://x.org/f", "record",
                      fields={"categories": ["Formation"], "type_hint": "evenement"})
    assert apply_mapping(strong, mapping).fields["type_hint"] == "evenement"


def test_mapping_with_unknown_slug_is_refused(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("category,themes,type\nDivers,alimentation,\n", encoding="utf-8")
    with pytest.raises(MappingError, match="ligne 2 : thème\\(s\\) inconnu\\(s\\) alimentation"):
        load_mapping(path)


def test_jsonld_event_course_and_article():
    event = (MIRROR_DIR / "altaa.org" / "diagnostiquer.html").read_bytes()
    assert jsonld_fields(event, "https://altaa.org/") == {
        "type_hint": "evenement", "event_start": "2026-12-08T14:00:00+01:00",
        "event_end": "2026-12-08T16:00:00+01:00", "location": "En ligne",
        "title": "Diagnostiquer la précarité alimentaire", "schema_type": "Event",
    }
    course = (MIRROR_DIR / "catalogue-oxalis-scop.dendreo.com" / "formation-1012.html").read_bytes()
    found = jsonld_fields(course)
    assert (found["type_hint"], found["event_start"], found["location"]) == ("formation", "2027-01-25", "69001 Lyon")
    article = (MIRROR_DIR / "www.lelabo-ess.org" / "guide-epicerie-solidaire.html").read_bytes()
    assert jsonld_fields(article)["published"] == "2026-10-02"
    assert jsonld_fields(b"<html><script type='application/ld+json'>{broken</script></html>") == {}


def test_a_page_whose_feed_gave_title_and_date_is_read_for_text_and_stated_description():
    url = "https://solidarites.gouv.fr/appel-projets-national-2027"
    html = (MIRROR_DIR / "solidarites.gouv.fr" / "appel-projets-national-2027.html").read_bytes()
    full = extract_html(html, url)
    stated = extract_html(html, url, full_metadata=False)
    assert len(full["text"]) > 500 and stated["text"] == full["text"]
    assert stated["summary"] == full["summary"] and full["summary"].startswith("La DGCS lance l'appel")
    assert (stated["title"], stated["published"]) == ("", None)  # not searched for
    assert (full["title"][:26], full["published"]) == ("Appel à projets national 2", "2026-11-05")

    from_feed = Document(source_id="dgcs", url=url, kind="page", raw=html, title="Titre du flux",
                         published="2026-11-04")
    extract_document(from_feed)
    assert (from_feed.title, from_feed.published) == ("Titre du flux", "2026-11-04")
    assert (from_feed.summary, from_feed.text) == (full["summary"], full["text"])
    undated = Document(source_id="dgcs", url=url, kind="page", raw=html, title="Titre du flux")
    assert extract_document(undated).published == "2026-11-05"  # the page's date, searched for


def test_wordpress_rest_endpoints():
    assert rest_endpoints("https://civam.org/", {"categories": [87]}) == [
        "https://civam.org/wp-json/wp/v2/posts?_embed=1&per_page=20&categories=87"]
    assert rest_endpoints("https://x.org", {"post_types": ["posts", "pages"], "per_page": 5}) == [
        "https://x.org/wp-json/wp/v2/posts?_embed=1&per_page=5", "https://x.org/wp-json/wp/v2/pages?_embed=1&per_page=5"]
    direct = "https://x.org/wp-json/wp/v2/posts?search=alimentation"
    assert rest_endpoints(direct, {}) == [direct]


def test_pdf_links_are_size_capped_and_pdfs_read():
    source = Source(**{**BASE, "kind": "listing", "listing": {"item_links": "a"}, "follow_pdfs": True})
    spider = ListingSpider(source=source)
    response = HtmlResponse("https://x.org/page", body=b"<a href='/doc/etude.pdf'>PDF</a><a href='/autre'>x</a>",
                            encoding="utf-8")
    requests = list(spider.pdf_requests(response))
    assert [r.url for r in requests] == ["https://x.org/doc/etude.pdf"]
    assert requests[0].meta["download_maxsize"] == PDF_MAXSIZE
    pdf = MIRROR_DIR / "www.restosducoeur.org" / "etude-utilite-sociale-aide-alimentaire.pdf"
    info = extract_pdf(pdf.read_bytes())
    assert info["pages"] == 2 and info["published"] == "2023-07-05"
    assert info["title"] == "Étude sur l'utilité sociale de l'aide alimentaire"
    with pytest.raises(ValueError, match="PDF illisible"):
        extract_pdf(b"%PDF-1.4 tronque")


def test_missing_api_key_skips_the_source_with_a_french_message(monkeypatch):
    from scrapy.utils.test import get_crawler

    from spiders.openagenda import OpenAgendaSpider

    monkeypatch.delenv("OPENAGENDA_KEY", raising=False)
    source = next(s for s in load_registry() if s.id == "openagenda")
    live = OpenAgendaSpider.from_crawler(get_crawler(OpenAgendaSpider, {"GLANEUR_OFFLINE": False}), source=source)
    assert list(live.initial_requests()) == []
    assert live.errors == ["Clé d'API absente : définissez la variable d'environnement OPENAGENDA_KEY pour "
                           "collecter openagenda ; source ignorée."]
    offline = OpenAgendaSpider.from_crawler(get_crawler(OpenAgendaSpider, {"GLANEUR_OFFLINE": True}), source=source)
    [request] = list(offline.initial_requests())
    assert request.headers["key"] == b"cle-hors-ligne" and "key=" not in request.url  # never in the URL
