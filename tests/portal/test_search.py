"""French search: the analyzer itself, then Datasette's own `?_search=` and the /recherche page."""

from __future__ import annotations

import re
import sqlite3

import httpx
import pytest

from glaneur.search_index import BM25_WEIGHTS, analyze, fold, fts_query


def test_fold_removes_accents_case_and_ligatures():
    assert fold("Cœur ÉPICÉ Ægé") == "coeur epice aege"


@pytest.mark.parametrize(("query", "text"), [
    ("formations", "une formation"),
    ("coopératives", "la coopérative"),
    ("cooperatives", "Coopérative"),
    ("coeur", "Restos du cœur"),
    ("AAP", "un appel à projets"),
    ("appels à projets", "AAP 2027"),
    ("épicerie sociale", "les épiceries solidaires"),
    ("SSA", "la sécurité sociale de l'alimentation"),
])
def test_query_terms_are_in_analyzed_text(query, text):
    indexed = set(analyze(text).split())
    terms = [t.strip('"') for t in fts_query(query).split()]
    assert terms and all(t in indexed for t in terms), (terms, indexed)


def test_fts_operators_typed_by_users_are_inert():
    assert fts_query('NEAR(") OR *') == '"near" "or"'


def titles(base: str, search: str, **params) -> list[str]:
    rows = httpx.get(f"{base}/glaneur/resources.json",
                     params={"_search": search, "_shape": "array", "_size": "max", **params}).json()
    return [r["title"] for r in rows]


@pytest.mark.e2e
@pytest.mark.parametrize(("query", "expected"), [
    ("formations", "Formation des bénévoles à la ramasse des invendus"),
    ("coopératives", "Appel à projets : coopératives alimentaires et logistique du Gard"),
    ("COOPERATIVE", "Appel à projets : coopératives alimentaires et logistique du Gard"),
    ("coeur", "Appel à projets : coopératives alimentaires et logistique du Gard"),
    ("AAP", "Appel à projets : coopératives alimentaires et logistique du Gard"),
    ("épicerie solidaire", "Appel à projets : coopératives alimentaires et logistique du Gard"),
    ("SSA", "Expérimenter une caisse alimentaire commune"),
])
def test_datasette_search_json_is_stemmed_folded_and_synonym_aware(server, query, expected):
    assert expected in titles(server, query)


@pytest.mark.e2e
def test_datasette_search_html_and_filters_combine(server):
    page = httpx.get(f"{server}/glaneur/resources", params={"_search": "formations", "type": "formation"})
    assert page.status_code == 200
    assert "Formation des bénévoles à la ramasse des invendus" in page.text
    assert "correspondant à « formations »" in page.text
    assert "Fonds test pour la ramasse" not in page.text


def page_ids(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/glaneur/resources/([^"]+)">', html)


@pytest.mark.e2e
def test_search_page_ranks_by_bm25_then_sorts_by_date_and_deadline(server, portal_db):
    html = httpx.get(f"{server}/recherche", params={"q": "ramasse invendus"}).text
    with sqlite3.connect(portal_db) as conn:
        conn.create_function("q", 1, fts_query)
        w = ", ".join(str(x) for x in BM25_WEIGHTS)
        expected = [row[0] for row in conn.execute(
            "select r.id from resources_fts f join resources r on r.rowid = f.rowid "
            f"where resources_fts match q('ramasse invendus') order by bm25(resources_fts, {w}) limit 20")]
        published = dict(conn.execute("select id, published from resources"))
    assert len(expected) >= 2
    assert page_ids(html) == expected

    by_date = page_ids(httpx.get(f"{server}/recherche", params={"q": "ramasse invendus", "tri": "date"}).text)
    dates = [published[i] or "" for i in by_date]
    assert dates == sorted(dates, reverse=True)

    deadline = httpx.get(f"{server}/recherche", params={"q": "appel à projets", "tri": "echeance"}).text
    ids = page_ids(deadline)
    assert ids[0] == "test-aap-ouvert"  # 5 December: the closest open deadline
    assert "test-aap-clos" not in ids  # closed calls are left out of the deadline sort


@pytest.mark.e2e
def test_search_page_also_finds_practical_sheets(server):
    page = httpx.get(f"{server}/recherche", params={"q": "chambres froides"})
    assert "/fiches/logistique" in page.text
