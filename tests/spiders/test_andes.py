"""Connecteur « andes » (wordpress (REST API)).

Champs extraits de la fixture enregistrée (data/mirror/andes-france.com).
"""

from tests.spiders.conftest import check_item, resource_of

SOURCE = "andes"

def test_call_for_applications(offline_db):
    url = "https://andes-france.com/appel-a-candidatures-2027-creation-depiceries-solidaires-fixes-et-itinerantes/"
    check_item(offline_db, SOURCE, url,
               title="Appel à candidatures 2027 : création d’épiceries solidaires fixes et itinérantes",
               published="2026-11-03", type_="appel_a_projets", type_hint="appel_a_projets")
    assert resource_of(offline_db, url)["deadline"] == "2027-02-15"
    check_item(offline_db, SOURCE, "https://andes-france.com/uniterres-dix-ans-dapprovisionnement-en-produits-frais/",
               title="Uniterres : dix ans d’approvisionnement des épiceries en produits frais auprès des agriculteurs",
               published="2026-06-18", type_="bonne_pratique")
