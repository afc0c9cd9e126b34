"""Connecteur « localtis » : champs extraits du miroir hors ligne.

Écrit par « glaneur sources new ». Ce test ÉCHOUE tant que EXPECTED est vide : recopiez-y un
élément réel de la fixture (data/mirror/www.banquedesterritoires.fr/), voir docs/ajouter-une-source.md.
"""

from tests.spiders.conftest import documents_of, resource_of

SOURCE_ID = "localtis"
EXPECTED = {
    "url": "https://www.banquedesterritoires.fr/precarite-alimentaire-lappel-projets-2027-mieux-manger-pour-tous",
    "title": "Précarité alimentaire : l'appel à projets 2027 du programme Mieux manger pour tous est ouvert",
    "published": "2026-11-16",
    "type": "appel_a_projets",
}


def test_expected_fields_written():
    assert EXPECTED, "Source localtis : écrivez les champs attendus dans EXPECTED (docs/ajouter-une-source.md)."


def test_fields_extracted(offline_db):
    assert EXPECTED, "Source localtis : EXPECTED est vide."
    docs = documents_of(offline_db, SOURCE_ID)
    assert docs, "Source localtis : aucun document collecté depuis le miroir."
    doc = next((d for d in docs if d["url"] == EXPECTED["url"]), None)
    assert doc is not None, f"URL absente des documents collectés : {EXPECTED['url']}"
    assert doc["title"] == EXPECTED["title"]
    assert doc["published"] == EXPECTED["published"]
    assert resource_of(offline_db, EXPECTED["url"])["type"] == EXPECTED["type"]
