"""French search: the analyzer itself, then Datasette's own `?_search=` and the /recherche page."""

from __future__ import annotations

import re
import sqlite3

import httpx
import pytest

from glaneur.search_index import BM25_WEIGHTS, analyze, fold, fts_query, query_terms


def test_fold_removes_accents_case_and_ligatures():
    assert fold("Cœur ÉPICÉ Ægé") == "coeur epice aege"


@pytest.mark.parametrize(("query", "text"), [
    ("formations", "une formation"),
    ("coopératives", "la coopérative"),
    ("cooperatives", "Coopérative"),
    ("coeur", "Restos du cœur"),
    ("AAP", "un appel à projets"),
    ("restaurants du coeur", "les Restos du Cœur"),
    ("Restos", "Restaurants du cœur"),
    ("anti-gaspi", "la lutte contre le gaspillage"),
    ("appels à projets", "AAP 2027"),
    ("épicerie sociale", "les épiceries solidaires"),
    ("SSA", "la sécurité sociale de l'alimentation"),
])
def test_query_terms_are_in_analyzed_text(query, text):
    indexed = set(analyze(text).split())
    terms = query_terms(query)
    assert terms and all(any(i.startswith(t) for i in indexed) if prefix else t in indexed
                         for t, prefix in terms), (terms, indexed)


def test_fts_operators_typed_by_users_are_inert():
    assert fts_query('NEAR(") OR *') == '"near" "or"'


def test_stop_words_go_and_the_last_word_is_a_prefix():
    assert fts_query("formations pour les bénévoles") == '"format" "zsynbenevolat"'
    assert fts_query("secours pop") == '"secour" "pop"*'
    assert fts_query("les") == '"le"*'  # nothing else left: kept
    assert fts_query("pa") == '"pa"'  # too short to be a beginning
    assert fts_query("diagnostic territorial", any_term=True) == '"diagnos"* OR "territo"*'


def test_every_synonym_group_has_two_ways_of_writing_it():
    import csv
    from collections import Counter

    from glaneur.search_index import SYNONYMS_FILE

    with open(SYNONYMS_FILE, encoding="utf-8", newline="") as handle:
        groups = Counter(row["groupe"] for row in csv.DictReader(handle))
    assert groups and min(groups.values()) >= 2, groups


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
def test_search_page_ranks_what_is_still_useful_first_then_sorts_by_date_and_deadline(server, portal_db):
    html = httpx.get(f"{server}/recherche", params={"q": "ramasse invendus"}).text
    with sqlite3.connect(portal_db) as conn:
        conn.create_function("q", 1, fts_query)
        w = ", ".join(str(x) for x in BM25_WEIGHTS)
        bm25_order = [row[0] for row in conn.execute(
            "select r.id from resources_fts f join resources r on r.rowid = f.rowid "
            f"where resources_fts match q('ramasse invendus') order by bm25(resources_fts, {w})")]
        published = dict(conn.execute("select id, published from resources"))
    # bm25 alone puts the call closed on 1 October before the training of 23 November (shorter title)
    assert bm25_order.index("test-aap-clos") < bm25_order.index("test-formation")
    ids = page_ids(html)
    assert sorted(ids[:len(bm25_order)]) == sorted(bm25_order)  # those holding every word come first
    assert ids.index("test-formation") < ids.index("test-aap-clos")

    by_date = page_ids(httpx.get(f"{server}/recherche", params={"q": "ramasse invendus", "tri": "date"}).text)
    for group in (by_date[:len(bm25_order)], by_date[len(bm25_order):]):  # every word, then some of them
        dates = [published[i] or "" for i in group]
        assert dates == sorted(dates, reverse=True)

    deadline = httpx.get(f"{server}/recherche", params={"q": "appel à projets", "tri": "echeance"}).text
    ids = page_ids(deadline)
    assert ids[0] == "test-aap-ouvert"  # 5 December: the closest open deadline
    assert "test-aap-clos" not in ids  # closed calls are left out of the deadline sort


def ids_where(db, sql: str, *params) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute(sql, params)}


def search_page(base: str, q: str, **params) -> tuple[str, list[str]]:
    response = httpx.get(f"{base}/recherche", params={"q": q, **params})
    assert response.status_code == 200
    return response.text, page_ids(response.text)


@pytest.mark.e2e
@pytest.mark.parametrize(("query", "where"), [
    # what the facets show: départements, regions, themes (labels found in no resource's text)
    ("Hérault", "exists (select 1 from json_each(departements) where value = '34')"),
    ("Pays de la Loire", "exists (select 1 from json_each(regions) where value = '52')"),
    ("anti-gaspillage", "exists (select 1 from json_each(themes) where value = 'ecologie')"),
    ("démocratie alimentaire", "exists (select 1 from json_each(themes) where value = 'acces_droits')"),
    ("mutualisation", "exists (select 1 from json_each(themes) where value = 'logistique')"),
])
def test_search_finds_what_the_facets_show(server, portal_db, query, where):
    expected = ids_where(portal_db, f"select id from resources where {where}")
    with sqlite3.connect(portal_db) as conn:
        in_text = {row[0] for row in conn.execute(
            "select id from resources where instr(lower(title || ' ' || coalesce(summary, '') || ' ' || "
            "coalesce(text, '')), lower(?))", (query.split()[0],))}
    assert expected - in_text, "the facet must list resources whose text does not name it"
    _, ids = search_page(server, query)
    assert expected <= set(ids), expected - set(ids)


@pytest.mark.e2e
def test_a_query_naming_a_facet_links_to_it(server, portal_db):
    html, _ = search_page(server, "Hérault")
    link = re.search(r'<p class="facettes-trouvees"[^>]*><a href="([^"]+)">Toutes les ressources du département '
                     r'« Hérault \(34\) »', html)
    assert link, html
    url = server + link.group(1).replace("&amp;", "&").replace("/resources?", "/resources.json?")
    rows = httpx.get(url + "&_shape=array&_size=max").json()
    assert {r["id"] for r in rows} == ids_where(
        portal_db, "select id from resources where exists (select 1 from json_each(departements) where value = '34')")


@pytest.mark.e2e
def test_a_typo_is_corrected_and_the_exact_search_offers_the_correction(server, portal_db):
    html, ids = search_page(server, "epicerie solidare")
    assert "Résultats pour « <strong>épicerie solidaire</strong> »" in html
    solidaires = ids_where(portal_db, "select id from resources where title like '%picerie% solidaire%' "
                                      "or title like '%picerie% sociale%'")
    assert solidaires and solidaires <= set(ids)
    assert "Rechercher plutôt « epicerie solidare »" in html

    exact, _ = search_page(server, "epicerie solidare", tel_quel="1")
    assert "Vouliez-vous dire « <a href=\"/recherche?q=%C3%A9picerie+solidaire" in exact
    assert "Résultats pour" not in exact


@pytest.mark.e2e
def test_the_table_search_offers_the_correction_and_keeps_the_filters(server):
    html = httpx.get(server + "/glaneur/resources", params={"_search": "epicerie solidare",
                                                            "type": "appel_a_projets"}).text
    link = re.search(r'class="suggestion-recherche">Vouliez-vous dire <a href="([^"]+)">épicerie solidaire</a>',
                     html)
    assert link, "pas de suggestion pour « epicerie solidare »"
    target = link.group(1).replace("&amp;", "&")
    assert "type=appel_a_projets" in target and "_search=%C3%A9picerie+solidaire" in target
    followed = httpx.get(server + target).text
    assert "suggestion-recherche" not in followed  # the corrected words find what they find
    assert followed.count('class="fiche-ressource') > html.count('class="fiche-ressource')


@pytest.mark.e2e
def test_the_last_word_matches_as_a_prefix(server, portal_db):
    populaire = ids_where(portal_db, "select id from resources where title like '%Secours populaire%'")
    assert len(populaire) >= 2
    _, ids = search_page(server, "secours pop")
    assert set(ids[:len(populaire)]) == populaire
    assert populaire <= set(titles_ids(server, "secours pop"))  # the table's ?_search= too
    whole, _ = search_page(server, "pop secours")  # only the last word is a beginning
    assert "aucune ne contient tous les mots" in whole


def titles_ids(base: str, search: str) -> list[str]:
    rows = httpx.get(f"{base}/glaneur/resources.json",
                     params={"_search": search, "_shape": "array", "_size": "max"}).json()
    return [r["id"] for r in rows]


@pytest.mark.e2e
@pytest.mark.parametrize("query", ["restaurants du coeur", "Restaurants du Cœur", "restos", "RESTOS DU COEUR"])
def test_synonyms_and_spellings_of_restos_du_coeur(server, portal_db, query):
    restos = ids_where(portal_db, "select id from resources where organisations like '%Restos du C%'")
    assert restos
    _, ids = search_page(server, query)
    assert restos <= set(ids[:5]), (query, ids)


@pytest.mark.e2e
def test_few_results_are_followed_by_those_holding_some_of_the_words(server):
    html, ids = search_page(server, "ramasse invendus glaneurzz")
    assert "aucune ne contient tous les mots" in html
    assert 'id="resultats-partiels"' in html
    assert "test-formation" in ids


@pytest.mark.e2e
def test_nothing_found_offers_the_types_and_themes_to_browse(server):
    html, ids = search_page(server, "xqzwv")
    assert ids == []
    assert "Aucune ressource ne correspond à « xqzwv »" in html
    links = re.findall(r'<p class="parcourir">.*?</p>', html, re.S)
    assert len(links) == 2 and "Formation" in links[0] and "Transition écologique et anti-gaspillage" in links[1]
    for href in re.findall(r'href="([^"]+)"', links[1])[:3]:
        assert httpx.get(server + href.replace("&amp;", "&")).status_code == 200


@pytest.mark.e2e
def test_search_page_also_finds_practical_sheets(server):
    page = httpx.get(f"{server}/recherche", params={"q": "chambres froides"})
    assert "/fiches/logistique" in page.text
