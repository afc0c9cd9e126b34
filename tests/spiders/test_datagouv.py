"""Connecteur « datagouv » (api datagouv (v1)).

Champs extraits de la fixture enregistrée (data/mirror/www.data.gouv.fr).
"""

from tests.spiders.conftest import check_item

SOURCE = "datagouv"

def test_pat_dataset(offline_db):
    doc = check_item(offline_db, SOURCE,
                     "https://www.data.gouv.fr/fr/datasets/pat-projets-alimentaires-territoriaux-description/",
                     title="PAT - Projets alimentaires territoriaux : description", published="2021-03-15",
                     type_="etude", organisations=["France PAT"], themes=["pat", "connaissance"])
    assert doc["fields"]["resources"][0]["format"] == "csv"
