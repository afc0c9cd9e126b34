"""Connecteur « oxalis-formations » (listing + JSON-LD Course).

Champs extraits de la fixture enregistrée (data/mirror/catalogue-oxalis-scop.dendreo.com).
"""

from tests.spiders.conftest import check_item, documents_of

SOURCE = "oxalis-formations"

def test_course_sessions(offline_db):
    url = ("https://catalogue-oxalis-scop.dendreo.com/formation/997/"
           "alimentation-solidarites-et-territoires-co-construire-localement")
    check_item(offline_db, SOURCE, url, title="Alimentation, solidarités et territoires : co-construire localement",
               published="2026-11-02", type_="formation", event_start="2027-03-15", event_end="2027-03-17",
               location="13001 Marseille")
    assert len(documents_of(offline_db, SOURCE)) == 3
