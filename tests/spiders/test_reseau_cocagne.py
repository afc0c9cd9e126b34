"""Connecteur « reseau-cocagne » (feed WordPress).

Champs extraits de la fixture enregistrée (data/mirror/reseaucocagne.org/feed.xml).
"""

from tests.spiders.conftest import check_item

SOURCE = "reseau-cocagne"

def test_real_post_from_feed(offline_db):
    doc = check_item(offline_db, SOURCE, "https://reseaucocagne.org/gt-plateformes-aide-alim-bilan-du-webinaire/",
                     title="GT Plateformes Aide Alim : bilan du webinaire", published="2024-10-22", type_="actualite")
    assert doc["kind"] == "entry"
    assert "Alimentation solidaire" in doc["fields"]["categories"]
    assert doc["fields"]["themes"] == ["producteurs_locaux", "distribution"]  # data/mappings/reseau-cocagne.csv
