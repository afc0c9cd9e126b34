"""Connecteur « altaa-agenda » (listing + JSON-LD Event).

Champs extraits de la fixture enregistrée (data/mirror/altaa.org).
"""

from tests.spiders.conftest import check_item, documents_of

SOURCE = "altaa-agenda"

def test_event_dates_from_jsonld_and_next_page(offline_db):
    url = "https://altaa.org/agenda/atelier-construire-un-observatoire-local-de-l-alimentation"
    check_item(offline_db, SOURCE, url, title="Atelier : construire un observatoire local de l’alimentation",
               published="2026-10-15", type_="evenement", event_start="2027-02-02T09:30:00+01:00",
               location="Halle Tony Garnier, 69007 Lyon", schema_type="Event")
    urls = {d["url"] for d in documents_of(offline_db, SOURCE)}
    assert ("https://altaa.org/agenda/2e-edition-des-rencontres-sciences-societe-pour-des-solidarites-"
            "alimentaires") in urls
