"""Connecteur « france-pat » (feed WordPress).

Champs extraits de la fixture enregistrée (data/mirror/france-pat.fr/feed.xml).
"""

from tests.spiders.conftest import check_item

SOURCE = "france-pat"

def test_webinar_entry(offline_db):
    check_item(offline_db, SOURCE, "https://france-pat.fr/2026/11/12/webinaire-accessibilite-alimentaire-pat/",
               title="Webinaire RnPAT : l'accessibilité alimentaire dans les PAT", published="2026-11-12",
               type_="evenement")
