"""API connectors without a crawl: one response in the API's shape given to the spider's own
parse method, to check paging, page sizes and the dates of the requests (the recorded mirror
holds one page per source; these check what a larger live answer does)."""

from __future__ import annotations

import json

from scrapy.http import TextResponse

from glaneur.registry import get_source


def _response(url: str, payload: dict) -> TextResponse:
    return TextResponse(url, body=json.dumps(payload).encode("utf-8"), encoding="utf-8",
                        headers={"Content-Type": "application/json"})


def _split(results):
    results = list(results)
    return [r for r in results if not hasattr(r, "callback")], [r for r in results if hasattr(r, "callback")]


def test_hal_pages_by_start_until_num_found_or_max_pages():
    from spiders.hal import HalSpider

    source = get_source("hal")
    spider = HalSpider(source=source)
    [entry] = source.entry_urls
    docs = [{"halId_s": f"hal-0{i:07d}", "title_s": [f"Titre {i}"], "submittedDate_tdate": "2026-11-01T10:00:00Z"}
            for i in range(100)]
    page = _response(entry, {"response": {"numFound": 250, "start": 0, "docs": docs}})
    items, requests = _split(spider.parse(page, page=1))
    assert len(items) == 100 and items[0].fields["submitted"] == "2026-11-01"
    [next_page] = requests
    assert "start=100" in next_page.url and "rows=100" in next_page.url
    last = _response(next_page.url, {"response": {"numFound": 250, "start": 200, "docs": docs[:50]}})
    assert _split(spider.parse(last, page=3))[1] == []  # 250 reached
    capped = _response(entry, {"response": {"numFound": 5000, "start": 900, "docs": docs}})
    assert _split(spider.parse(capped, page=source.max_pages))[1] == []  # max_pages reached


def test_tribe_events_asks_from_the_crawl_day_fifty_a_page(monkeypatch):
    from spiders.tribe_events import TribeEventsSpider, dated_url

    monkeypatch.setenv("GLANEUR_TODAY", "2027-03-04")
    source = get_source("reseau-cocagne-agenda")
    [request] = list(TribeEventsSpider(source=source).api_requests())
    assert "start_date=2027-03-04" in request.url and "per_page=50" in request.url
    stale = "https://x.org/wp-json/tribe/events/v1/events?per_page=200&start_date=2026-11-20"
    assert dated_url(stale, "2027-03-04") == ("https://x.org/wp-json/tribe/events/v1/events"
                                              "?per_page=50&start_date=2027-03-04")


def test_tribe_events_venue_object_list_or_none():
    from spiders.tribe_events import main_venue, venue_text, venues_of

    paris = {"venue": "Maison des Canaux", "address": "6 quai de la Seine", "city": "Paris", "zip": "75019"}
    assert venues_of({"venue": paris}) == [paris]
    assert venues_of({"venue": []}) == [] and main_venue([]) is None
    online = {"venue": "En ligne", "address": "", "city": ""}
    assert venue_text(main_venue(venues_of({"venue": [online, paris]}))) == ("Maison des Canaux, 6 quai de la "
                                                                             "Seine, 75019 Paris")


def test_aides_territoires_logs_in_on_the_host_of_its_entry_url():
    from dataclasses import replace

    from scrapy.utils.test import get_crawler

    from spiders.aides_territoires import AidesTerritoiresSpider, login_url

    source = get_source("aides-territoires")
    assert login_url(source.entry_urls[0]) == "https://aides-territoires.beta.gouv.fr/api/connexion/"
    local = replace(source, entry_urls=["http://127.0.0.1:8765/api/aids/?itemsPerPage=100"])
    crawler = get_crawler(AidesTerritoiresSpider, {"GLANEUR_OFFLINE": True})
    [request] = list(AidesTerritoiresSpider.from_crawler(crawler, source=local).initial_requests())
    assert request.url == "http://127.0.0.1:8765/api/connexion/" and request.method == "POST"
    configured = replace(local, api={**local.api, "login_url": "http://127.0.0.1:8765/auth/"})
    [request] = list(AidesTerritoiresSpider.from_crawler(crawler, source=configured).initial_requests())
    assert request.url == "http://127.0.0.1:8765/auth/"


def test_perimeter_scale_wider_than_a_region_is_national():
    from normalizers.territories import territories

    why: list[str] = []
    assert territories("Aide", "", {"perimeter": "Europe", "perimeter_scale": "Continent"}, {}, why=why) == (
        [], [], "national")
    assert why == ["périmètre donné par la source : « Europe (Continent) »"]
    assert territories("Aide", "", {"perimeter": "Gard", "perimeter_scale": "Département"}, {})[1] == ["30"]


def test_openagenda_follows_the_after_cursor_and_builds_public_urls():
    from dataclasses import replace

    from scrapy.utils.test import get_crawler

    from spiders.openagenda import OpenAgendaSpider, event_status, event_url

    source = get_source("openagenda")
    crawler = get_crawler(OpenAgendaSpider, {"GLANEUR_OFFLINE": True})
    spider = OpenAgendaSpider.from_crawler(crawler, source=source)
    [entry] = source.entry_urls
    events = [{"uid": 100 + i, "slug": f"evenement-{i}", "title": f"Événement {i}", "status": 1} for i in range(300)]
    items, [next_page] = _split(spider.parse(_response(entry, {"total": 450, "events": events,
                                                               "after": [1769587200000, 399]}), page=1))
    assert len(items) == 300 and items[0].url == "https://openagenda.com/agendas/48712396/events/100"
    assert next_page.url.endswith("size=300&longDescriptionFormat=HTML&after%5B%5D=1769587200000&after%5B%5D=399")
    assert next_page.headers["key"]  # the key stays in the header
    last = _response(next_page.url, {"total": 450, "events": events[:150], "after": None})
    assert _split(spider.parse(last, page=2))[1] == []
    named = replace(source, api={**source.api, "agenda_slug": "alimentation-solidaire"})
    assert event_url({"uid": 7, "slug": "atelier"}, "48712396", named.api["agenda_slug"]) == (
        "https://openagenda.com/alimentation-solidaire/events/atelier")
    assert event_url({"uid": 7, "canonicalUrl": "https://openagenda.com/x/events/y"}, "1", None) == (
        "https://openagenda.com/x/events/y")
    assert [event_status({"status": s}) for s in (1, 2, 3, 4, 5, 6, None)] == [
        "programme", "reprogramme", "en_ligne", "reporte", "complet", "annule", None]


def test_status_prefixes_and_stated_place():
    from normalizers.territories import stated_place
    from normalizers.titles import status_title

    assert status_title("Atelier", "annule") == "Annulé : Atelier"
    assert status_title("Annulé : Atelier", "annule") == "Annulé : Atelier"  # never twice
    assert status_title("Atelier", "complet") == "Complet : Atelier"
    assert status_title("Atelier", "reprogramme") == "Atelier" and status_title("Atelier", None) == "Atelier"
    # Saint-Denis: the INSEE code tells La Réunion from Seine-Saint-Denis
    assert stated_place({"location_insee": "97411", "location_department": "Seine-Saint-Denis"}) == ([], ["974"])
    assert stated_place({"location_department": "Loire-Atlantique"}) == ([], ["44"])
    assert stated_place({"location_region": "Pays de la Loire"}) == (["52"], [])
    assert stated_place({}) == ([], [])
