"""The portal's fast paths give today's results: same search hits, counts and facet counts.

A generated database (scripts/bench/resources.py, the bench's generator) is served twice by the
real `glaneur serve`: as published, and with `GLANEUR_SQL_REWRITES=0 GLANEUR_CACHE_PAGES=0`,
which runs Datasette's own queries and computes every page. Both must answer every page alike;
the first must answer a repeated page from its cache identically, a `304` to its `ETag`, and
forget both when a new build is published. The 100k version is marked slow (`-m slow`).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
from itertools import combinations
from pathlib import Path

import pytest

from glaneur.publish import database_lock, portal_files, publish_portal
from glaneur.recherche import register_functions, search
from glaneur.sql_rewrites import (
    VALUES_TABLE,
    build_values_table,
    only_filters,
    rewrite_array_filters,
    rewrite_search_count,
)
from scripts.bench.resources import TODAY, build
from tests.support import serve_portal

T = "/glaneur/resources"
QUERIES = ["formations", "coopératives", "AAP", "épicerie solidaire", "coeur", "ramasse invendus", "jardin",
           "webinaire", "banque alimentaire", "précarité étudiants", "zzzaucun", "appel à projets"]
SELECTIONS = [("type", "formation"), ("type", "appel_a_projets"), ("statut_echeance", "ouvert"),
              ("themes__arraycontains", "logistique"), ("regions__arraycontains", "76"),
              ("departements__arraycontains", "11"), ("audiences__arraycontains", "benevoles"),
              ("organisations__arraycontains", "ANDES"), ("year", "2025")]


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _json_urls(rows: int) -> list[str]:
    urls = [f"{T}.json?_size=60"]
    for q in QUERIES:
        urls.append(f"{T}.json?_size=60&" + urllib.parse.urlencode({"_search": q}))
    for n in (1, 2, 3):
        for chosen in list(combinations(SELECTIONS, n))[::max(1, n * 3)]:
            urls.append(f"{T}.json?_size=60&" + urllib.parse.urlencode(chosen))
            urls.append(f"{T}.json?_size=60&" + urllib.parse.urlencode([("_search", "alimentaire"), *chosen]))
    urls.append(f"{T}.json?_size=60&_sort=deadline&" + urllib.parse.urlencode({"_search": "aide"}))
    return urls


def _page_urls(rows: int) -> list[str]:
    return ["/", f"{T}?_search=formations", f"{T}?themes__arraycontains=logistique&regions__arraycontains=76",
            f"{T}/b{rows // 3:07d}", f"{T}/b{rows - 1:07d}", "/glaneur/appels_ouverts?region=76",
            "/recherche?q=formations", "/recherche?q=%C3%A9picerie+solidaire&tri=date",
            f"{T}.atom?themes__arraycontains=logistique", f"{T}.csv?_search=formations&type=formation",
            f"{T}.atom?_search=ramasse+invendus"]


def _answer(base: str, url: str) -> dict:
    """What a page shows (the port of each server taken out of absolute links)."""
    status, _, body = _get(base + url)
    assert status == 200, (url, status, body[:500])
    text = body.decode("utf-8").replace(base.removeprefix("http://"), "portail")
    if ".json" not in url:
        return {"page": re.sub(r"requêtes : [\d.]+ ms", "requêtes : … ms", text)}  # the footer's timing
    data = json.loads(text)
    return {k: data.get(k) for k in ("rows", "filtered_table_rows_count", "facet_results", "next", "columns")}


def _follow_next(base: str, url: str, pages: int = 3) -> list:
    """Rows of the first pages, following Datasette's `next` keyset."""
    seen = []
    for _ in range(pages):
        data = json.loads(_get(base + url)[2])
        seen += data["rows"]
        if not data.get("next_url"):
            break
        parts = urllib.parse.urlsplit(data["next_url"])
        url = f"{parts.path}?{parts.query}"
    return seen


def check_same_results(folder: Path, rows: int) -> None:
    db_path = folder / "glaneur.db"
    build(db_path, rows)
    with database_lock(db_path):
        publish_portal(db_path)  # before the servers start: they only open the published file
    wait = 30 + rows / 500  # seconds: the facet index is built at startup (longer on a loaded machine)
    with serve_portal(db_path, start_timeout=wait) as fast, serve_portal(
            db_path, env={"GLANEUR_SQL_REWRITES": "0", "GLANEUR_CACHE_PAGES": "0"}, start_timeout=wait) as plain:
        checked = 0
        for url in _json_urls(rows) + _page_urls(rows):
            expected = _answer(plain, url)
            assert _answer(fast, url) == expected, url
            assert _answer(fast, url) == expected, f"{url} (depuis le cache)"
            checked += 1
        assert checked > 40
        sample = json.loads(_get(plain + f"{T}.json?_search=alimentaire")[2])
        assert sample["filtered_table_rows_count"] > rows // 50, "la recherche large doit passer par l'index des dates"
        broad = f"{T}.json?_size=25&_search=alimentaire"
        assert [r[0] for r in _follow_next(fast, broad)] == [r[0] for r in _follow_next(plain, broad)]

        status, headers, body = _get(fast + "/")
        tag = headers["etag"]
        assert status == 200 and tag.startswith('W/"')
        status, _, body = _get(fast + "/", {"If-None-Match": tag})
        assert status == 304 and body == b""
        assert "etag" not in {k.lower() for k in _get(plain + "/")[1]}
        same_host = {"Host": "portail.example"}
        with serve_portal(db_path, start_timeout=wait) as second:  # a second process on the same file
            assert _get(second + "/recherche?q=aide", same_host)[1]["etag"] == \
                _get(fast + "/recherche?q=aide", same_host)[1]["etag"]
        assert "etag" not in {k.lower() for k in _get(fast + "/etat-des-sources")[1]}

        # A new build: the cached page and its ETag are forgotten.
        first = f"{T}/b{rows // 3:07d}"
        _, before_headers, before = _get(fast + first)
        with sqlite3.connect(db_path) as conn:
            conn.execute("update resources set title = 'Titre republié' where id = ?", [f"b{rows // 3:07d}"])
        conn.close()
        with database_lock(db_path):
            publish_portal(db_path)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            _, after_headers, after = _get(fast + first)
            if b"Titre republi" in after:
                break
            time.sleep(0.3)
        assert b"Titre republi" in after and after != before
        assert after_headers["etag"] != before_headers["etag"]
        assert _get(fast + first, {"If-None-Match": before_headers["etag"]})[0] == 200
        with sqlite3.connect(portal_files(db_path)[0]) as conn:
            stamp = conn.execute("select value from portal_settings where key = 'empreinte'").fetchone()
        conn.close()
        assert stamp and len(stamp[0]) == 32

    with sqlite3.connect(db_path) as conn:
        register_functions(conn)
        check_relevance_from_raw_scores(conn)
        for q in QUERIES:
            found = search(conn, q, TODAY.isoformat())
            if found.partial or found.corrected:
                continue
            joined = conn.execute(
                "select count(*) from resources_fts f join resources r on r.rowid = f.rowid "
                "where resources_fts match glaneur_fts_query(?)", [q]).fetchone()[0]
            assert found.total == joined, q
    conn.close()


def check_relevance_from_raw_scores(conn: sqlite3.Connection) -> None:
    """/recherche by relevance from the best raw bm25 scores gives the page the whole ordering
    gives, on every page, with few candidates (more rounds) or too few to decide (the fallback)."""
    import glaneur.recherche as recherche

    def ids(q: str, page: int) -> list[str]:
        return [row["id"] for row in search(conn, q, TODAY.isoformat(), "pertinence", page).results]

    fast, calls = recherche._relevance_page, []
    for q in QUERIES:
        for page in (1, 2, 7):
            expected_total = search(conn, q, TODAY.isoformat(), "pertinence", page).total
            recherche._relevance_page = lambda *args: None  # the whole ordering, as before
            try:
                whole = ids(q, page)
                assert search(conn, q, TODAY.isoformat(), "pertinence", page).total == expected_total
            finally:
                recherche._relevance_page = fast
            assert ids(q, page) == whole, (q, page)
            for few, most in ((20, 12_800), (20, 40)):  # rounds of 20, 80, 320…; or not enough: whole order
                recherche.CANDIDATES, recherche.CANDIDATES_MAX = few, most

                def spy(*args):
                    calls.append(fast(*args))
                    return calls[-1]

                recherche._relevance_page = spy
                try:
                    assert ids(q, page) == whole, (q, page, few, most)
                finally:
                    recherche._relevance_page = fast
                    recherche.CANDIDATES, recherche.CANDIDATES_MAX = 200, 12_800
    assert any(call is None for call in calls) and any(call for call in calls)  # both paths were taken


@pytest.mark.e2e
def test_same_results_few_thousand_resources(tmp_path):
    check_same_results(tmp_path, 3000)


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_same_results_100k_resources(tmp_path):
    check_same_results(tmp_path, 100_000)


def test_array_filter_rewrite_keeps_sqlite_comparisons():
    """JSON numbers stay numbers, text stays text, nested values stay JSON: as json_each compares them."""
    conn = sqlite3.connect(":memory:")
    conn.execute("create table resources (id text primary key, themes text, regions text)")
    conn.executemany("insert into resources values (?, ?, ?)", [
        ("a", '["x", 2024]', '["76"]'), ("b", '["2024", "y"]', None), ("c", "[]", '[76, ["76"]]'),
        ("d", None, '["53", "76", "76"]'), ("e", '[null, 1.5, true]', '[]')])
    with conn:
        build_values_table(conn)
    original = 'select id from resources where :p0 in (select value from json_each("resources"."themes"))'
    for column in ("themes", "regions"):
        sql = original.replace('"themes"', f'"{column}"')
        fast = rewrite_array_filters(sql)
        assert VALUES_TABLE in fast
        for value in ("x", 2024, "2024", "76", 76, '["76"]', 1.5, 1, "1.5", None, "53"):
            assert sorted(conn.execute(fast, {"p0": value}).fetchall()) == \
                sorted(conn.execute(sql, {"p0": value}).fetchall()), (column, value)
    count = "select count(*) from resources where rowid in (select rowid from resources_fts where " \
            "resources_fts match escape_fts(:search))"
    assert "join" not in rewrite_search_count(count) and "from resources_fts" in rewrite_search_count(count)
    assert rewrite_search_count(count + " and type = :p0") == count + " and type = :p0"
    # Only counts that depend on the file alone are kept for the life of a publication.
    assert only_filters(rewrite_search_count(count)) and only_filters(rewrite_array_filters(original))
    assert not only_filters("select count(*) from resources where published > date('now')")
    assert not only_filters("select count(*) from resources where random() > 0")
