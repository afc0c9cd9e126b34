"""Connecteur « civam » (wordpress (REST API, 2 pages)).

Champs extraits de la fixture enregistrée (data/mirror/civam.org).
"""

from tests.spiders.conftest import check_item, documents_of

SOURCE = "civam"

def test_posts_of_both_pages_with_mapped_types(offline_db):
    assert len(documents_of(offline_db, SOURCE)) == 3  # X-WP-TotalPages: 2
    check_item(offline_db, SOURCE,
               "https://civam.org/formation-construire-un-projet-daccessibilite-alimentaire-avec-les-paysans/",
               title=("Formation « Construire un projet d’accessibilité alimentaire avec les paysans » – "
                      "26 et 27 janvier 2027"),
               published="2026-11-12", type_="formation", categories=["Alimentation", "Formations"])
    doc = check_item(offline_db, SOURCE,
                     "https://civam.org/fiches-outils-accessible-animer-un-groupement-dachat-solidaire/",
                     title="Fiches-outils ACCESSIBLE : animer un groupement d’achat solidaire",
                     published="2026-09-22", type_="outil", type_hint="outil")
    assert "circuits courts" in doc["fields"]["categories"]  # tags come with the embedded terms
    assert "producteurs_locaux" in doc["fields"]["themes"]
    assert "quatre fiches pratiques" in doc["text"]
