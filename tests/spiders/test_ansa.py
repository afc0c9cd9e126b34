"""Connecteur « ansa » (listing Drupal paginé).

Champs extraits de la fixture enregistrée (data/mirror/www.solidarites-actives.com).
"""

from tests.spiders.conftest import check_item, documents_of

SOURCE = "ansa"

def test_training_page_with_real_text(offline_db):
    url = ("https://www.solidarites-actives.com/fr/nos-projets/"
           "alimactiv-formation-renforcer-la-coordination-dans-la-lutte-contre-la-precarite")
    doc = check_item(offline_db, SOURCE, url, title=("Alim’Activ Formation : renforcer la coordination dans la lutte "
                     "contre la précarité alimentaire à l’échelle des territoires"), published="2021-03-15",
                     type_="formation")
    assert "8 territoires" in doc["text"]


def test_second_listing_page_followed(offline_db):
    urls = {d["url"] for d in documents_of(offline_db, SOURCE)}
    assert ("https://www.solidarites-actives.com/fr/actualites/rencontre-regionale-cooperations-precarite-alimentaire-"
            "narbonne") in urls  # linked from ?page=1 only
