"""Connecteur « hal » (api hal (Solr, paginé)).

Champs extraits de la fixture enregistrée (data/mirror/api.archives-ouvertes.fr).
"""

from tests.spiders.conftest import check_item, documents_of

SOURCE = "hal"

def test_records_of_both_pages(offline_db):
    docs = documents_of(offline_db, SOURCE)
    assert len(docs) == 4  # rows=3: the 4th record comes from the second page
    check_item(offline_db, SOURCE, "https://hal.science/hal-09900004",
               title=("Thèse : la coordination territoriale de l'aide alimentaire dans les projets alimentaires "
                      "territoriaux"),
               published="2024-12-05", type_="etude", themes=["pat", "cooperation"])
