"""Connecteur « openagenda » (api openagenda (v2, curseur after)).

Champs extraits de la fixture enregistrée (data/mirror/api.openagenda.com).
"""

from glaneur.registry import get_source
from tests.spiders.conftest import check_item, documents_of, resource_of

SOURCE = "openagenda"
EVENTS = "https://openagenda.com/agendas/48712396/events/"
WEBINAR = EVENTS + "66120502"
WORKSHOP = EVENTS + "66120431"
TRAINING = EVENTS + "66120577"


def test_request_asks_for_full_pages_of_html_descriptions():
    [entry] = get_source(SOURCE).entry_urls
    assert "size=300" in entry and "longDescriptionFormat=HTML" in entry


def test_scheduled_online_event(offline_db):
    assert len(documents_of(offline_db, SOURCE)) == 3
    check_item(offline_db, SOURCE, WEBINAR,
               title="Webinaire : la sécurité sociale de l’alimentation, où en sont les expérimentations ?",
               published="2026-10-30", type_="evenement", event_start="2027-01-14T18:00:00+0100", location="En ligne",
               event_status="programme")
    resource = resource_of(offline_db, WEBINAR)
    assert resource["title"].startswith("Webinaire :") and resource["event_start"] == "2027-01-14"


def test_cancelled_event_is_shown_as_cancelled(offline_db):
    check_item(offline_db, SOURCE, WORKSHOP, title="Atelier cuisine solidaire et anti-gaspi", published="2026-10-30",
               type_="evenement", event_status="annule", location_insee="69387")
    resource = resource_of(offline_db, WORKSHOP)
    assert resource["title"] == "Annulé : Atelier cuisine solidaire et anti-gaspi"
    assert resource["departements"] == ["69"]


def test_postponed_training_is_shown_as_postponed_and_placed_by_its_insee_code(offline_db):
    doc = check_item(offline_db, SOURCE, TRAINING,
                     title="Accueil et écoute des personnes : module pour les bénévoles de l’aide alimentaire",
                     published="2026-10-30", type_="formation", event_status="reporte",
                     location="Maison des associations, 24 quai de la Fosse, 44000 Nantes",
                     location_department="Loire-Atlantique")
    assert doc["text"].startswith("Posture d’accueil, écoute active") and "<p>" not in doc["text"]
    resource = resource_of(offline_db, TRAINING)
    assert resource["title"].startswith("Reporté : Accueil et écoute des personnes")
    assert (resource["regions"], resource["departements"]) == (["52"], ["44"])


def test_the_agenda_not_openagenda_is_the_organisation(offline_db):
    # originAgenda.title, typography made straight; OpenAgenda itself is not credited
    assert resource_of(offline_db, WEBINAR)["organisations"] == ["Agenda de l'alimentation solidaire"]
