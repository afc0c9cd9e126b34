"""Connecteur « gesmip » (wordpress (REST API)).

Champs extraits de la fixture enregistrée (data/mirror/gesmip.fr).
"""

from tests.spiders.conftest import check_item, resource_of

SOURCE = "gesmip"

def test_regional_day(offline_db):
    url = "https://gesmip.fr/journee-regionale-de-lutte-contre-la-precarite-alimentaire-2027/"
    check_item(offline_db, SOURCE, url,
               title="Journée régionale de lutte contre la précarité alimentaire – jeudi 4 février 2027 à Toulouse",
               published="2026-11-16", type_="evenement", type_hint="evenement")
    resource = resource_of(offline_db, url)
    assert resource["event_start"] == "2027-02-04"
    assert "76" in resource["regions"]  # registry territory of the source
