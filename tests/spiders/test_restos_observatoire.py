"""Connecteur « restos-observatoire » (listing de PDF).

Champs extraits de la fixture enregistrée (data/mirror/www.restosducoeur.org).
"""

from tests.spiders.conftest import check_item

SOURCE = "restos-observatoire"

def test_study_pdfs(offline_db):
    url = "https://www.restosducoeur.org/wp-content/uploads/2026/10/etude-personnes-accueillies-2026.pdf"
    doc = check_item(offline_db, SOURCE, url,
                     title="Étude sur les personnes accueillies à l'aide alimentaire - édition 2026",
                     published="2026-10-08", type_="etude")
    assert doc["kind"] == "pdf" and doc["pages"] == 2
    assert "4 100 personnes" in doc["text"]
