"""Connecteur « chaire-unesco-adm » (feed SPIP + pages (JSON-LD Event, Course)).

Champs extraits de la fixture enregistrée (data/mirror/www.chaireunesco-adm.com).
"""

from tests.spiders.conftest import check_item

SOURCE = "chaire-unesco-adm"

def test_event_and_course_from_jsonld(offline_db):
    check_item(offline_db, SOURCE,
               "https://www.chaireunesco-adm.com/Rencontres-sciences-societe-Pour-des-solidarites-alimentaires-3e-edition",
               title="Rencontres sciences-société « Pour des solidarités alimentaires » – 3e édition",
               published="2026-11-02", type_="evenement", event_start="2027-03-18T09:00:00+01:00",
               location="Institut Agro Montpellier, 2 place Pierre Viala, 34060 Montpellier")
    doc = check_item(offline_db, SOURCE, "https://www.chaireunesco-adm.com/MOOC-Alimentation-durable-et-solidarites-session-2027",
                     title="MOOC « Alimentation durable et solidarités » – session 2027", published="2026-11-10",
                     type_="formation", type_hint="formation", event_start="2027-01-18", location="En ligne")
    assert doc["kind"] == "page"  # listing.fetch_pages: the article page replaced the feed entry
