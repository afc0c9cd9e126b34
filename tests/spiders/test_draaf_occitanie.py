"""Connecteur « draaf-occitanie » (feed SPIP).

Champs extraits de la fixture enregistrée (data/mirror/draaf.occitanie.agriculture.gouv.fr).
"""

from tests.spiders.conftest import check_item, resource_of

SOURCE = "draaf-occitanie"

def test_pna_call(offline_db):
    url = ("https://draaf.occitanie.agriculture.gouv.fr/"
           "appel-a-projets-du-programme-national-pour-l-alimentation-2026-2027-a9410.html")
    check_item(offline_db, SOURCE, url,
               title="Appel à projets du Programme national pour l’alimentation 2026-2027 : volet régional Occitanie",
               published="2026-10-26", type_="appel_a_projets")
    assert resource_of(offline_db, url)["deadline"] == "2027-01-08"
