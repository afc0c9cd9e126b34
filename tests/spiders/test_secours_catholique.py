"""Connecteur « secours-catholique » (listing (catégorie → type)).

Champs extraits de la fixture enregistrée (data/mirror/www.secours-catholique.org).
"""

from tests.spiders.conftest import check_item

SOURCE = "secours-catholique"

def test_label_mapped_to_type(offline_db):
    check_item(offline_db, SOURCE, "https://www.secours-catholique.org/nos-publications/etat-de-la-pauvrete-en-france-2026",
               title="État de la pauvreté en France 2026", published="2026-11-12", type_="barometre",
               categories=["Rapport statistique annuel"], type_hint="barometre")
