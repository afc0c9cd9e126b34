"""Connecteur « openagenda » (api openagenda (v2, curseur after)).

Champs extraits de la fixture enregistrée (data/mirror/api.openagenda.com).
"""

from tests.spiders.conftest import check_item, documents_of

SOURCE = "openagenda"

def test_events_of_both_pages(offline_db):
    assert len(documents_of(offline_db, SOURCE)) == 3  # the third event is behind the « after » cursor
    url = "https://openagenda.com/agendas/48712396/events/webinaire-securite-sociale-de-l-alimentation"
    check_item(offline_db, SOURCE, url,
               title="Webinaire : la sécurité sociale de l’alimentation, où en sont les expérimentations ?",
               published="2026-10-30", type_="evenement", event_start="2027-01-14T18:00:00+0100", location="En ligne")
    check_item(offline_db, SOURCE,
               "https://openagenda.com/agendas/48712396/events/formation-benevoles-aide-alimentaire-accueil-ecoute",
               title="Accueil et écoute des personnes : module pour les bénévoles de l’aide alimentaire",
               published="2026-10-30", type_="formation",
               location="Maison des associations, 24 quai de la Fosse, 44000 Nantes")
