"""Connecteur « hal » (api hal (Solr, paginé)).

Champs extraits de la fixture enregistrée (data/mirror/api.archives-ouvertes.fr).
"""

from glaneur.registry import get_source
from tests.spiders.conftest import check_item, documents_of, resource_of

SOURCE = "hal"
THESIS = "https://hal.science/hal-09900004"


def test_records_in_deposit_order_with_large_pages(offline_db):
    source = get_source(SOURCE)
    [entry] = source.entry_urls
    assert "sort=submittedDate_tdate%20desc" in entry and "rows=100&" in entry
    docs = documents_of(offline_db, SOURCE)
    assert len(docs) == 4  # one page: rows=100
    check_item(offline_db, SOURCE, THESIS,
               title=("Thèse : la coordination territoriale de l'aide alimentaire dans les projets alimentaires "
                      "territoriaux"),
               published="2024-12-05", type_="etude", themes=["pat", "cooperation"], submitted="2026-11-09")


def test_institutions_are_the_organisations_not_the_archive(offline_db):
    resource = resource_of(offline_db, THESIS)
    assert resource["organisations"] == ["Université Lumière - Lyon 2"]
    assert all("CCSD" not in o for d in documents_of(offline_db, SOURCE) for o in resource_of(offline_db, d["url"])
               ["organisations"])
