"""Portal pages over real HTTP: home, canned queries, feeds, calendars, practical sheets, errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import feedparser
import httpx
import pytest
from icalendar import Calendar

pytestmark = pytest.mark.e2e
ATOM = "{http://www.w3.org/2005/Atom}"


def test_home_shows_portal_name_date_counts_and_sections(server):
    html = httpx.get(server + "/").text
    assert "Portail de la lutte contre la précarité alimentaire" in html
    assert "20 novembre 2026" in html
    assert "Appel à projets / financement" in html and "appel_a_projets</a>" not in html
    assert "D'où viennent les données ?" in html
    assert "/recherche" in html


def test_table_page_is_french_with_labelled_facets(server):
    html = httpx.get(server + "/glaneur/resources", params={"_search": "appel"}).text
    for text in ("Type de ressource", "Appel à projets ouvert / clos", "Thèmes", "Région", "Département",
                 "Organisation", "Année", "Exporter cette sélection", "flux Atom", "agenda iCalendar"):
        assert text in html, text
    assert "Occitanie" in html and "Gard (30)" in html
    for english in ("This data as", "Next page", "Advanced export", "rows where", "Suggested facets"):
        assert english not in html, english


def test_facets_on_every_asked_column(server):
    data = httpx.get(server + "/glaneur/resources.json", params={"_size": 1}).json()
    assert set(data["facet_results"]) >= {"type", "statut_echeance", "themes", "audiences", "regions",
                                          "departements", "organisations", "year"}
    assert "facets-timed-out" not in httpx.get(server + "/glaneur/resources").text
    status = {r["value"]: r["count"] for r in data["facet_results"]["statut_echeance"]["results"]}
    assert status["ouvert"] >= 1 and status["clos"] >= 1


def test_open_calls_canned_query_sorted_and_filtered_by_region(server):
    rows = httpx.get(server + "/glaneur/appels_ouverts.json",
                     params={"region": "", "_shape": "array"}).json()
    deadlines = [r["deadline"] for r in rows]
    assert deadlines == sorted(deadlines) and min(deadlines) >= "2026-11-20"
    assert "test-aap-ouvert" in [r["id"] for r in rows]
    brittany = httpx.get(server + "/glaneur/appels_ouverts.json",
                         params={"region": "53", "_shape": "array"}).json()
    assert "test-aap-ouvert" not in [r["id"] for r in brittany]  # Occitanie only
    html = httpx.get(server + "/glaneur/appels_ouverts", params={"region": "76"}).text
    assert "Appels à projets ouverts" in html and '<option value="76" selected>Occitanie</option>' in html


@pytest.mark.parametrize(("name", "params", "expected"), [
    ("formations_evenements_a_venir", {}, "test-formation"),
    ("nouveautes", {}, "test-aap-ouvert"),
    ("etudes_par_annee", {"annee": "2025"}, "test-ssa"),
])
def test_other_canned_queries(server, name, params, expected):
    response = httpx.get(f"{server}/glaneur/{name}.json", params={**params, "_shape": "array"})
    assert expected in [r["id"] for r in response.json()]
    assert "<h1" in httpx.get(f"{server}/glaneur/{name}", params=params).text


def test_atom_feed_of_a_search_and_facet_selection(server):
    response = httpx.get(server + "/glaneur/resources.atom", params={"_search": "formations", "type": "formation"})
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)  # what feed readers use
    assert not parsed.bozo and "Formation des bénévoles à la ramasse des invendus" in [e.title for e in parsed.entries]
    assert all(e.link.startswith(server + "/glaneur/resources/") for e in parsed.entries)
    feed = ET.fromstring(response.content)
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert "Formation des bénévoles à la ramasse des invendus" in titles
    assert "« formations »" in feed.find(f"{ATOM}title").text
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert "/glaneur/resources/" in link
    for entry in feed.findall(f"{ATOM}entry"):  # RFC 4287: one alternate link per type and language
        links = entry.findall(f"{ATOM}link")
        assert [lk.get("rel", "alternate") for lk in links] == ["alternate"] + ["related"] * (len(links) - 1)
        assert "/glaneur/resources/" in links[0].get("href")
        assert all(not lk.get("href").startswith(server) for lk in links[1:])  # the sources


def test_agenda_holds_the_whole_selection_and_can_be_subscribed(server, portal_db):
    import sqlite3

    with sqlite3.connect(portal_db) as conn:
        expected = conn.execute("select count(event_start) + count(deadline) from resources").fetchone()[0]
    assert expected > 30  # more than one page of the table
    response = httpx.get(server + "/glaneur/resources.ics")
    events = list(Calendar.from_ical(response.text).walk("VEVENT"))
    assert len(events) == expected
    assert all(str(e.get("url")) not in str(e.get("description", "")) for e in events)  # no repeated link
    described = [str(e["description"]) for e in events if "Source : http" in str(e.get("description", ""))]
    assert len(described) >= 20  # the summary, then the source's own page
    page = httpx.get(server + "/glaneur/resources", params={"type": "formation"}).text
    host = server.split("://", 1)[1]
    assert f'href="webcal://{host}/glaneur/resources.ics?type=formation"' in page


def test_icalendar_of_events_and_deadlines(server):
    response = httpx.get(server + "/glaneur/resources.ics", params={"_search": "ramasse invendus"})
    assert response.headers["content-type"].startswith("text/calendar")
    events = {str(e["uid"]): e for e in Calendar.from_ical(response.text).walk("VEVENT")}
    training = events["test-formation-evenement@glaneur"]
    assert training.decoded("dtstart").isoformat() == "2026-11-23"
    assert training.decoded("dtend").isoformat() == "2026-11-25"  # all day, end exclusive
    assert events["test-aap-clos-date-limite@glaneur"]["summary"].startswith("Date limite")
    assert httpx.get(server + "/glaneur/appels_ouverts.ics", params={"region": ""}).status_code == 200


def test_agenda_gives_the_hours_of_a_webinar_and_whole_days_otherwise(server):
    """France PAT's page says « mardi 8 décembre 2026 de 10h à 12h »: 09:00–11:00 UTC, not a day."""
    response = httpx.get(server + "/glaneur/resources.ics", params={"type": "evenement"})
    events = {str(e["summary"]): e for e in Calendar.from_ical(response.text).walk("VEVENT")}
    webinar = next(e for title, e in events.items() if title.startswith("Webinaire RnPAT"))
    assert webinar.decoded("dtstart").isoformat() == "2026-12-08T09:00:00+00:00"
    assert webinar.decoded("dtend").isoformat() == "2026-12-08T11:00:00+00:00"
    whole_day = next(e for title, e in events.items() if title.startswith("Journée régionale des projets"))
    assert whole_day.decoded("dtstart").isoformat() == "2026-12-09"  # no hours written: a whole day
    assert whole_day.decoded("dtend").isoformat() == "2026-12-10"


def test_resource_page_and_cards_show_the_hours(server):
    rows = httpx.get(server + "/glaneur/resources.json", params={
        "_shape": "array", "title__startswith": "Webinaire RnPAT",
        "_col": ["event_start_time", "event_end_time"]}).json()
    assert [(r["event_start_time"], r["event_end_time"]) for r in rows] == [("10:00", "12:00")]
    html = httpx.get(server + f"/glaneur/resources/{rows[0]['id']}").text
    assert "Le 8 décembre 2026 de 10 h à 12 h" in html
    upcoming = httpx.get(server + "/glaneur/formations_evenements_a_venir").text
    assert "Le 8 décembre 2026 de 10 h à 12 h · En ligne" in upcoming
    assert "Du 12 janvier 2027 au 13 janvier 2027 · Vannes" in upcoming  # a span without hours


def test_practical_sheets(server):
    index = httpx.get(server + "/fiches").text
    for slug in ("approvisionnement", "logistique", "distribution", "participation", "cooperation",
                 "nutrition-sante", "acces-aux-droits"):
        assert f"/fiches/{slug}" in index
    sheet = httpx.get(server + "/fiches/approvisionnement").text
    assert "<h2" in sheet and "loi Garot" in sheet
    assert "Formation des bénévoles à la ramasse des invendus" in sheet  # live list from the database
    assert httpx.get(server + "/fiches/inconnue").status_code == 404


def test_map_table_places_events_on_communes(server):
    rows = httpx.get(server + "/glaneur/evenements_carte.json", params={"_shape": "array", "_size": "max"}).json()
    narbonne = next(r for r in rows if r["id"] == "test-formation")
    assert narbonne["commune"] == "Narbonne" and 43 < narbonne["latitude"] < 43.3
    assert narbonne["a_venir"] == 1  # 23-24 November, the portal's today being the 20th
    assert json.loads(narbonne["popup"]) == {
        "title": "Formation des bénévoles à la ramasse des invendus", "link": "/glaneur/resources/test-formation",
        "description": "Formation · du 23 novembre 2026 au 24 novembre 2026 · Narbonne"}
    assert {r["a_venir"] for r in rows} == {0, 1}  # past events stay in the table, off the « Carte » link
    html = httpx.get(server + "/glaneur/evenements_carte?a_venir=1").text
    assert "datasette-cluster-map" in html and 'href="/glaneur/resources/test-formation">Voir la ressource' in html
    home = httpx.get(server + "/").text
    assert "evenements_carte?a_venir=1" in home


def test_errors_in_french(server):
    response = httpx.get(server + "/glaneur/resources/inexistante")
    assert response.status_code == 404 and "Page introuvable" in response.text


def test_spreadsheet_of_a_selection_is_french_and_whole(server, portal_db):
    import io
    import sqlite3
    from datetime import datetime

    from openpyxl import load_workbook

    with sqlite3.connect(portal_db) as conn:
        expected = conn.execute("select count(*) from resources").fetchone()[0]
    assert expected > 30  # more than one page of the table (30 rows)
    page = httpx.get(server + "/glaneur/resources").text
    assert "tableur (Excel, LibreOffice)" in page
    response = httpx.get(server + "/glaneur/resources.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="glaneur-resources.xlsx"' in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert "Titre" in header and "Type de ressource" in header and "Thèmes" in header and "title" not in header
    assert len(rows) - 1 == expected
    by_id = {r[header.index("Identifiant")]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    training = by_id["test-formation"]
    assert training["Type de ressource"] == "Formation"
    assert training["Début"] == datetime(2026, 11, 23)  # a date the spreadsheet can sort, not text
    assert "[" not in str(training["Thèmes"] or "") and "Occitanie" in str(training["Région"])


def test_spreadsheet_of_a_filtered_selection_and_of_a_canned_query(server):
    import io

    from openpyxl import load_workbook

    def rows_of(path, **params):
        response = httpx.get(server + path, params=params)
        assert response.status_code == 200, response.text[:200]
        return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]

    shown = httpx.get(server + "/glaneur/resources.json", params={"type": "formation", "_size": 0}).json()
    assert len(rows_of("/glaneur/resources.xlsx", type="formation")) == shown["filtered_table_rows_count"]
    calls = httpx.get(server + "/glaneur/appels_ouverts.json", params={"_shape": "array", "region": ""}).json()
    assert len(rows_of("/glaneur/appels_ouverts.xlsx", region="")) == len(calls)


def test_csv_for_excel_has_bom_semicolons_french_headings_and_labels(server, portal_db):
    import csv
    import io
    import sqlite3

    with sqlite3.connect(portal_db) as conn:
        expected = conn.execute("select count(*) from resources").fetchone()[0]
    page = httpx.get(server + "/glaneur/resources").text
    assert "CSV (Excel)" in page and "CSV (outils)" in page
    response = httpx.get(server + "/glaneur/resources.excel")
    assert response.status_code == 200
    assert 'attachment; filename="glaneur-resources.csv"' == response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM tells Excel it is UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == expected
    training = next(r for r in rows if r["Identifiant"] == "test-formation")
    assert training["Type de ressource"] == "Formation" and training["Début"] == "23/11/2026"
    assert "[" not in training["Thèmes"] and "Occitanie" in training["Région"]
    plain = httpx.get(server + "/glaneur/resources.csv", params={"_dl": "1", "_size": "max"})
    assert plain.headers["content-disposition"].startswith("attachment")  # « CSV (outils) » downloads too


def test_exports_never_turn_text_into_formulas(server):
    import csv
    import io

    from openpyxl import load_workbook

    sql = "select '=HYPERLINK(\"http://exemple.org\")' as title, '+33 1 23' as telephone"
    sheet = load_workbook(io.BytesIO(httpx.get(server + "/glaneur.xlsx", params={"sql": sql}).content)).active
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    text = httpx.get(server + "/glaneur.excel", params={"sql": sql}).content.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert row["Titre"].startswith("'=") and row["Téléphone"] == "'+33 1 23"


def test_tile_server_is_configurable(server, portal_db, accounts_file):
    from tests.support import serve_portal

    assert "tile.openstreetmap.org" in httpx.get(server + "/glaneur/evenements_carte").text  # the default
    tiles = "https://tuiles.exemple.fr/{z}/{x}/{y}.png"
    with serve_portal(portal_db, env={"GLANEUR_TUILES": tiles, "GLANEUR_ACCOUNTS": str(accounts_file)}) as base:
        page = httpx.get(base + "/glaneur/evenements_carte").text
    assert tiles in page and "tile.openstreetmap.org" not in page


def test_resource_cards_keep_the_sort_options_and_the_advanced_export(server):
    """The resources table skips Datasette's rendering of its cells (glaneur_portail._cards_only):
    the sort options still list its columns, the export section still follows the rows."""
    page = httpx.get(server + "/glaneur/resources", params={"type": "formation"}).text
    assert 'class="cartes-ressources"' in page and "Export avancé" in page
    assert 'value="published"' in page and "Trier par" in page
    empty = httpx.get(server + "/glaneur/resources", params={"type": "formation", "_search": "zzzqqq"}).text
    assert "Aucune ressource ne correspond" in empty and "Export avancé" not in empty
    other = httpx.get(server + "/glaneur/sources").text
    assert "<td" in other  # other tables keep Datasette's cells
