"""Every row reachable exactly once: paging through every table, for every sort, in HTML, JSON
and streamed CSV, gives each row once and all of them (Datasette 0.65 lost rows tied across the
first page boundary: glaneur/live_database.py adds the key it pages by).

The served database holds 1,200 more resources than the demo, on purpose full of ties (five
publication dates, deadlines and years, many empty), so that every page boundary falls inside
a run of equal values, and the streamed CSV crosses Datasette's 1,000-row batches.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3
from html import unescape

import httpx
import pytest
import sqlite_utils

from glaneur.search_index import refresh_search_index
from tests.support import serve_portal

pytestmark = pytest.mark.e2e

EXTRA = 1200
SMALL_TABLE = 2000  # tables up to this size are paged for every column's sort
PAGE = 97  # an odd page size, so boundaries fall anywhere


@pytest.fixture(scope="module")
def tied_server(portal_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "glaneur.db"
    shutil.copy(portal_db, path)
    db = sqlite_utils.Database(path)
    dates = [None, "2026-11-01", "2026-10-15", "2025-06-01", "2024-01-01"]
    deadlines = [None, "2026-12-15", "2026-12-01", "2025-06-01", "2027-01-01"]  # some still open
    rows = []
    for i in range(EXTRA):
        day = dates[i % 5]
        rows.append({
            "id": f"egal-{i:05d}", "title": f"Ressource {i % 7}",
            "type": ("actualite", "etude", "formation", "appel_a_projets")[i % 4],
            "url": f"https://exemple.org/egal/{i}", "summary": "Même résumé.", "published": day,
            "year": int(day[:4]) if day else None, "deadline": deadlines[(i // 5) % 5],
            "event_start": deadlines[(i // 3) % 5], "source_count": 1,
            "themes": "[]", "audiences": "[]", "regions": "[]", "departements": "[]", "organisations": "[]",
            "scope": "national", "updated": "2026-11-20T00:00:00+00:00", "statut_echeance": None,
        })
    db["resources"].insert_all(rows, alter=True)
    refresh_search_index(db)  # so that /recherche pages through them too
    db.close()
    with serve_portal(path) as base:
        yield base, path


def _counts(path) -> dict[str, int]:
    from glaneur.publish import ensure_portal

    public, _ = ensure_portal(path)
    with sqlite3.connect(public) as conn:
        names = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like '%fts%' "
            "and name not like 'sqlite_%'")]
        return {n: conn.execute(f"select count(*) from [{n}]").fetchone()[0] for n in names}


def _key(row: dict, pks: list[str]) -> tuple:
    return tuple(row[k] for k in pks) if pks else (row["rowid"],)


def _json_pages(client: httpx.Client, table: str, sort: dict) -> tuple[list[tuple], dict]:
    info = client.get(f"/glaneur/{table}.json", params={"_size": 1, "_nofacet": 1}).json()
    pks = info.get("primary_keys") or []
    keys: list[tuple] = []
    url, params = f"/glaneur/{table}.json", {"_size": PAGE, "_shape": "objects", "_nofacet": 1, **sort}
    while url:
        data = client.get(url, params=params).json()
        keys += [_key(r, pks) for r in data["rows"]]
        url, params = data.get("next_url"), None
    return keys, info


def _sorts(client: httpx.Client, table: str, count: int) -> list[dict]:
    columns = client.get(f"/glaneur/{table}.json", params={"_size": 1, "_nofacet": 1}).json()["columns"]
    sorts = [{}]
    if count <= SMALL_TABLE:
        sorts += [{"_sort": c} for c in columns if c != "rowid"] + [{"_sort_desc": c} for c in columns if c != "rowid"]
    return sorts


def test_json_pages_give_every_row_once_for_every_sort(tied_server):
    base, path = tied_server
    client = httpx.Client(base_url=base, timeout=60)
    counts = _counts(path)
    assert counts["resources"] > EXTRA
    failures = {}
    for table, count in counts.items():
        for sort in _sorts(client, table, count):
            keys, _ = _json_pages(client, table, sort)
            if len(keys) != count or len(set(keys)) != count:
                failures[(table, tuple(sort.items()))] = (len(set(keys)), len(keys), count)
    assert not failures, failures


def test_html_next_links_give_every_resource_once(tied_server):
    base, path = tied_server
    client = httpx.Client(base_url=base, timeout=60)
    count = _counts(path)["resources"]
    for sort in ({}, {"_sort_desc": "published"}, {"_sort": "deadline"}, {"_sort_desc": "year"}, {"_sort": "type"}):
        seen: list[str] = []
        url, params = "/glaneur/resources", {"_size": 300, **sort}
        while url:
            html = client.get(url, params=params).text
            seen += re.findall(r'<h3><a href="/glaneur/resources/([^"?#/]+)">', html)  # one card per row
            found = re.search(r'<p class="pagination"><a href="([^"]+)">', html)
            url, params = (unescape(found.group(1)), None) if found else (None, None)
        assert len(seen) == count and len(set(seen)) == count, (sort, len(set(seen)), len(seen), count)


@pytest.mark.parametrize("sort", [{}, {"_sort_desc": "published"}, {"_sort": "deadline"}, {"_sort": "title"}])
def test_streamed_csv_gives_every_resource_once(tied_server, sort):
    base, path = tied_server
    count = _counts(path)["resources"]
    response = httpx.get(base + "/glaneur/resources.csv", params={"_stream": "on", "_size": "max", **sort}, timeout=60)
    ids = [r["id"] for r in csv.DictReader(io.StringIO(response.text))]
    assert len(ids) == count and len(set(ids)) == count, (len(set(ids)), len(ids), count)


def test_canned_queries_page_through_every_row_once(tied_server):
    base, _ = tied_server
    client = httpx.Client(base_url=base, timeout=60)
    queries = client.get("/glaneur.json").json()["queries"]
    assert queries
    longest = 0
    for query in queries:
        params = {p: "" for p in query.get("params", []) if p != "page"}
        unpaged = re.sub(r"\s+limit 100 offset .*$", "", query["sql"], flags=re.S)
        assert unpaged != query["sql"], query["name"]
        total = client.get("/glaneur.json", params={
            "sql": f"select count(*) as n from ({unpaged})", **params, "page": "", "_shape": "array"}).json()[0]["n"]
        longest = max(longest, total)
        by_json, page = [], 1
        while True:
            data = client.get(f"/glaneur/{query['name']}.json",
                              params={**params, "page": page, "_shape": "objects"}).json()
            assert not data.get("truncated"), query["name"]
            by_json += [r["id"] for r in data["rows"]]
            if len(data["rows"]) < 100:
                break
            page += 1
        by_html, url, args = [], f"/glaneur/{query['name']}", params
        while url:
            html = client.get(url, params=args).text
            by_html += re.findall(r'<h3><a href="/glaneur/resources/([^"?#/]+)">', html)
            found = re.search(r'<a href="([^"]+)">Page suivante', html)
            url, args = (unescape(found.group(1)), None) if found else (None, None)
        for seen in (by_json, by_html):
            assert len(seen) == total and len(set(seen)) == total, (query["name"], len(set(seen)), len(seen), total)
    assert longest > 200  # at least one query spans several pages


def test_links_from_a_later_page_start_their_selection_at_the_first_row(tied_server):
    base, _ = tied_server
    client = httpx.Client(base_url=base, timeout=60)
    first = client.get("/glaneur/resources", params={"_size": 50}).text
    second_url = unescape(re.search(r'<p class="pagination"><a href="([^"]+)">', first).group(1))
    second = client.get(second_url).text
    facets = re.findall(r'<li><a href="([^"]+)">', second)
    exports = re.findall(r'<a href="([^"]+)"', re.search(r'<p class="export-links">(.*?)</p>', second, re.S).group(1))
    csv_form = re.search(r'<form action="[^"]*\.csv"[^>]*>(.*?)</form>', second, re.S).group(1)
    assert len(facets) > 10 and len(exports) >= 3
    assert not [u for u in facets + exports if "_next=" in u]
    assert 'name="_next"' not in csv_form


@pytest.mark.parametrize("sort", ["pertinence", "date", "echeance"])
def test_search_pages_give_every_match_once(tied_server, sort):
    base, path = tied_server
    client = httpx.Client(base_url=base, timeout=60)
    total = client.get("/glaneur.json", params={
        "sql": "select count(*) as n from resources_fts f join resources r on r.rowid = f.rowid "
               "where resources_fts match glaneur_fts_query('ressource')"
               + (" and r.deadline >= (select value from portal_settings where key = 'today')"
                  if sort == "echeance" else ""),
        "_shape": "array"}).json()[0]["n"]
    assert total > 200
    seen: list[str] = []
    url, params = "/recherche", {"q": "ressource", "tri": sort}
    while url:
        html = client.get(url, params=params).text
        seen += re.findall(r'<h3><a href="/glaneur/resources/([^"?#/]+)">', html)
        found = re.search(r'<a[^>]+href="([^"]+)"[^>]*>\s*Page suivante', html) or re.search(
            r'<a[^>]+rel="next"[^>]+href="([^"]+)"', html)
        url, params = (unescape(found.group(1)), None) if found else (None, None)
    assert len(seen) == total and len(set(seen)) == total, (sort, len(set(seen)), len(seen), total)
