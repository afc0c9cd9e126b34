"""Connecteur « federation-solidarite-aap » (wordpress (REST API, catégorie 34)).

Champs extraits de la fixture enregistrée (data/mirror/federationsolidarite.org).
"""

from tests.spiders.conftest import check_item, documents_of, resource_of

SOURCE = "federation-solidarite-aap"

def test_calls_with_deadlines(offline_db):
    docs = documents_of(offline_db, SOURCE)
    assert len(docs) == 3
    url = "https://federationsolidarite.org/fondation-de-france-appel-a-projets-alimentation-solidaire-2027/"
    check_item(offline_db, SOURCE, url, title="Fondation de France : appel à projets « Alimentation solidaire » 2027",
               published="2026-11-02", type_="appel_a_projets", themes=["financement"])
    assert resource_of(offline_db, url)["deadline"] == "2027-03-05"
