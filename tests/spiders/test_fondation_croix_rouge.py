"""Connecteur « fondation-croix-rouge » (listing (bourses)).

Champs extraits de la fixture enregistrée (data/mirror/www.fondation-croix-rouge.fr).
"""

from tests.spiders.conftest import check_item, resource_of

SOURCE = "fondation-croix-rouge"

def test_grant_call(offline_db):
    url = "https://www.fondation-croix-rouge.fr/bourses/alimentation-et-precarite-2027/"
    check_item(offline_db, SOURCE, url,
               title="Appel à candidatures 2027 : bourses de recherche « Alimentation et précarité »",
               published="2026-11-09", type_="appel_a_projets")
    assert resource_of(offline_db, url)["deadline"] == "2027-03-01"
