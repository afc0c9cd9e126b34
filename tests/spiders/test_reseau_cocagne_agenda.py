"""Connecteur « reseau-cocagne-agenda » (api tribe_events (The Events Calendar)).

Champs extraits de la fixture enregistrée (data/mirror/reseaucocagne.org/tribe-events.json).
"""

from tests.spiders.conftest import check_item, resource_of

SOURCE = "reseau-cocagne-agenda"

def test_learning_visit_dates_and_venue(offline_db):
    url = "https://reseaucocagne.org/agenda/visite-apprenante-plateforme-aide-alimentaire-charente/"
    check_item(offline_db, SOURCE, url,
               title="Visite apprenante : la plateforme d’aide alimentaire des Jardins de Cocagne en Charente",
               published="2026-11-02", type_="evenement", event_start="2026-12-10 09:30:00",
               event_end="2026-12-10 17:00:00",
               location="Jardin de Cocagne de Charente, Route de Bordeaux, 16000 Angoulême")
    assert resource_of(offline_db, url)["event_start"] == "2026-12-10"


def test_training_category_overrides_event_guess(offline_db):
    check_item(offline_db, SOURCE, "https://reseaucocagne.org/agenda/formation-monter-un-projet-de-paniers-solidaires/",
               title="Monter un projet de paniers solidaires – session février 2027", published="2026-11-02",
               type_="formation", type_hint="formation", categories=["Formation"])


def test_several_venues_the_located_one_places_the_event(offline_db):
    url = "https://reseaucocagne.org/agenda/formation-monter-un-projet-de-paniers-solidaires/"
    doc = check_item(offline_db, SOURCE, url,
                     title="Monter un projet de paniers solidaires – session février 2027", published="2026-11-02",
                     type_="formation",
                     location="Travail & TransitionS, 2 rue Jules Ferry, 25000 Besançon")
    assert len(doc["fields"]["venues"]) == 3  # the virtual class, Besançon, Vesoul: all kept
    assert resource_of(offline_db, url)["departements"] == ["25"]  # the first venue with an address
