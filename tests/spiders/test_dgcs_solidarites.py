"""Connecteur « dgcs-solidarites » (listing DSFR + PDF).

Champs extraits de la fixture enregistrée (data/mirror/solidarites.gouv.fr).
"""

from tests.spiders.conftest import check_item, document, resource_of

SOURCE = "dgcs-solidarites"

def test_news_page_with_real_text(offline_db):
    doc = check_item(offline_db, SOURCE, "https://solidarites.gouv.fr/lancement-du-deuxieme-cycle-de-travail-du-cocolupa",
                     title="Lancement du deuxième cycle de travail du Cocolupa", published="2024-09-25",
                     type_="actualite")
    assert "Cocolupa" in doc["text"]


def test_call_for_projects_and_linked_pdf(offline_db):
    url = "https://solidarites.gouv.fr/appel-projets-national-2027-lutte-contre-la-precarite-alimentaire"
    check_item(offline_db, SOURCE, url, title="Appel à projets national 2027 : lutte contre la précarité alimentaire",
               published="2026-11-05", type_="appel_a_projets")
    assert resource_of(offline_db, url)["deadline"] == "2027-01-31"
    pdf = document(offline_db, SOURCE,
                   "https://solidarites.gouv.fr/sites/solidarite/files/2026-10/guide-mieux-manger-pour-tous-2027.pdf")
    assert pdf["kind"] == "pdf" and pdf["pages"] == 2
    assert pdf["title"] == "Guide du programme Mieux Manger Pour Tous 2027"
    assert pdf["published"] == "2026-10-01"
    assert pdf["parent_url"] is not None
