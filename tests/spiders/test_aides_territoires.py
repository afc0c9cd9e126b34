"""Connecteur « aides-territoires » (api aides_territoires).

Champs extraits de la fixture enregistrée (data/mirror/aides-territoires.beta.gouv.fr).
"""

from tests.spiders.conftest import check_item

SOURCE = "aides-territoires"

def test_call_with_structured_deadline(offline_db):
    url = "https://aides-territoires.beta.gouv.fr/aides/appel-a-projets-mieux-manger-pour-tous-2027-occitanie/"
    doc = check_item(offline_db, SOURCE, url,
                     title="Appel à projets Mieux Manger Pour Tous 2027 – volet local Occitanie",
                     published="2026-11-02", type_="appel_a_projets", deadline="2027-01-29")
    assert doc["raw_format"] == "json"
    assert doc["fields"]["themes"] == ["financement", "producteurs_locaux"]  # data/mappings/aides-territoires.csv
