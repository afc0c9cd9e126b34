"""Connecteur « solinum » (wordpress (REST API)).

Champs extraits de la fixture enregistrée (data/mirror/www.solinum.org).
"""

from tests.spiders.conftest import check_item

SOURCE = "solinum"

def test_real_url_post(offline_db):
    check_item(offline_db, SOURCE, "https://www.solinum.org/rendre-accessible-laide-alimentaire-a-ceux-qui-en-ont-besoin/",
               title="Rendre accessible l’aide alimentaire à ceux qui en ont besoin", published="2026-05-12",
               type_="outil", categories=["Soliguide"])
