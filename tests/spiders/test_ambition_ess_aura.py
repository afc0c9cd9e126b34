"""Connecteur « ambition-ess-aura » (listing (sélecteurs date, deadline)).

Champs extraits de la fixture enregistrée (data/mirror/auvergne-rhone-alpes.ambition-ess.org).
"""

from tests.spiders.conftest import check_item, resource_of

SOURCE = "ambition-ess-aura"

def test_open_call_with_deadline_selector(offline_db):
    url = ("https://auvergne-rhone-alpes.ambition-ess.org/appels-a-projet/"
           "appel-projets-alimentation-durable-et-solidaire-2027-region-aura")
    check_item(offline_db, SOURCE, url, title="Appel à projets « Alimentation durable et solidaire » 2027",
               published="2026-11-04", type_="appel_a_projets",
               deadline="Date limite de candidature : 28 février 2027")
    resource = resource_of(offline_db, url)
    assert resource["deadline"] == "2027-02-28"
    assert resource["regions"] == ["84"]
