"""The walking skeleton end to end: offline crawl → SQLite → Datasette over HTTP."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
import sqlite_utils

pytestmark = pytest.mark.e2e


def get_json(base: str, path: str, **params) -> dict:
    query = urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=30) as response:
        return json.load(response)


def test_offline_crawl_fills_every_table(offline_db):
    db = sqlite_utils.Database(offline_db)
    sources = {row["id"]: row for row in db["sources"].rows}
    assert len(sources) >= 6
    kinds = {row["kind"] for row in sources.values()}
    assert {"feed", "listing", "api"} <= kinds
    runs = list(db.query("select source_id, status, items from crawl_runs"))
    assert runs and all(run["status"] == "ok" and run["items"] > 0 for run in runs), runs
    assert db.execute("select count(*) from documents where kind = 'pdf' and pages > 0").fetchone()[0] >= 1
    types = {row["type"] for row in db.query("select distinct type from resources")}
    assert types <= {"etude", "barometre", "appel_a_projets", "formation", "evenement",
                     "bonne_pratique", "outil", "actualite"}
    assert db.execute("select count(*) from resources where published is not null").fetchone()[0] > 0
    for row in db.query("select published, deadline from resources"):
        for value in row.values():
            assert value is None or (len(value) == 10 and value[4] == "-" and value[7] == "-")


def test_pdf_joins_the_page_that_announces_it(offline_db):
    db = sqlite_utils.Database(offline_db)
    rows = list(db.query(
        "select r.title, rs.role from resource_sources rs join resources r on r.id = rs.resource_id "
        "where rs.url like '%etude-profils-2023.pdf'"
    ))
    assert len(rows) == 1
    assert rows[0]["role"] == "pdf"
    assert rows[0]["title"].startswith("Étude Profils 2023")


def test_relay_with_tracking_parameters_is_merged(offline_db):
    db = sqlite_utils.Database(offline_db)
    rows = list(db.query(
        "select resource_id, source_id, match_stage from resource_sources "
        "where url like '%lancement-du-programme-mieux-manger-pour-tous%'"
    ))
    assert {r["source_id"] for r in rows} == {"dgcs-solidarites", "france-pat"}
    assert len({r["resource_id"] for r in rows}) == 1


def test_search_is_accent_insensitive_over_http(portal):
    data = get_json(portal, "/glaneur/resources.json", _search="precarite", _shape="objects")
    titles = [row["title"] for row in data["rows"]]
    assert any("précarité" in title for title in titles), titles


def test_type_facet_over_http(portal):
    data = get_json(portal, "/glaneur/resources.json", _facet="type", _size=0)
    facet = {item["value"]: item["count"] for item in data["facet_results"]["type"]["results"]}
    assert facet.get("appel_a_projets", 0) >= 3
    assert facet.get("etude", 0) >= 2


def test_resource_links_back_to_its_sources(portal):
    data = get_json(portal, "/glaneur/resources.json", _search="Profils 2023", _shape="objects")
    resource = data["rows"][0]
    links = get_json(portal, "/glaneur/resource_sources.json", resource_id=resource["id"], _shape="objects")
    urls = {row["url"] for row in links["rows"]}
    page = "https://www.banquealimentaire.org/etudes-profils-2023-qui-sont-les-personnes-accueillies-laide-alimentaire"
    assert page in urls
    assert resource["url"] in urls
