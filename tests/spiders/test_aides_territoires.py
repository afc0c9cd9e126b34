"""Connecteur « aides-territoires » (api aides_territoires).

Champs extraits de la fixture enregistrée (data/mirror/aides-territoires.beta.gouv.fr).
"""

from tests.spiders.conftest import check_item, resource_of

SOURCE = "aides-territoires"
AIDS = "https://aides-territoires.beta.gouv.fr/aides/"
CALL = AIDS + "appel-a-projets-mieux-manger-pour-tous-2027-occitanie/"
PERMANENT = AIDS + "fonds-solidarite-alimentaire-permanente/"


def test_call_with_structured_deadline(offline_db):
    doc = check_item(offline_db, SOURCE, CALL,
                     title="Appel à projets Mieux Manger Pour Tous 2027 – volet local Occitanie",
                     published="2026-11-02", type_="appel_a_projets", deadline="2027-01-29",
                     aid_nature="appel à projets")
    assert doc["raw_format"] == "json"
    assert doc["fields"]["themes"] == ["financement", "producteurs_locaux"]  # data/mappings/aides-territoires.csv
    assert resource_of(offline_db, CALL)["deadline"] == "2027-01-29"


def test_call_keeps_opening_predeposit_links_programs_and_instructors(offline_db):
    check_item(offline_db, SOURCE, CALL, title="Appel à projets Mieux Manger Pour Tous 2027 – volet local Occitanie",
               published="2026-11-02", type_="appel_a_projets", opening="2026-11-02", predeposit="2026-12-04",
               application_url="https://www.demarches-simplifiees.fr/commencer/mmpt-2027-occitanie",
               origin_url="https://occitanie.dreets.gouv.fr/mieux-manger-pour-tous-2027",
               programs=["Mieux Manger Pour Tous"], instructors=["DDETS de l'Hérault"], aid_types=["Subvention"])


def test_financers_are_the_organisations_not_the_agency(offline_db):
    resource = resource_of(offline_db, CALL)
    assert resource["organisations"][0] == "DREETS Occitanie"
    assert "Agence nationale de la cohésion des territoires" not in resource["organisations"]
    assert (resource["regions"], resource["departements"], resource["scope"]) == (["76"], [], "regional")


def test_permanent_aid_is_funding_without_being_a_call(offline_db):
    check_item(offline_db, SOURCE, PERMANENT, title="Fonds de soutien aux épiceries solidaires",
               published="2025-05-12", type_="appel_a_projets", type_hint="appel_a_projets",
               aid_nature="aide permanente", is_call_for_project=False, deadline=None, opening=None,
               perimeter_scale="Pays", aid_types=["Subvention", "Ingénierie technique"])
    resource = resource_of(offline_db, PERMANENT)
    assert resource["deadline"] is None
    assert resource["organisations"] == ["Fondation Daniel et Nina Carasso"]  # canonical name
    assert resource["scope"] == "national"
