"""Connecteur « banques-alimentaires » (listing Drupal + PDF).

Champs extraits de la fixture enregistrée (data/mirror/www.banquealimentaire.org).
"""

from tests.spiders.conftest import check_item, document

SOURCE = "banques-alimentaires"

def test_study_page_and_pdf(offline_db):
    check_item(offline_db, SOURCE,
               "https://www.banquealimentaire.org/etudes-profils-2023-qui-sont-les-personnes-accueillies-laide-alimentaire",
               title="Étude Profils 2023 : qui sont les personnes accueillies à l’aide alimentaire ?",
               # A study repeated every two years on the people received: a recurring
               # survey (« barometre » in the taxonomy), labelled so in the dev part (d174).
               published="2023-11-21", type_="barometre")
    pdf = document(offline_db, SOURCE, "https://www.banquealimentaire.org/sites/default/files/2023-11/etude-profils-2023.pdf")
    assert pdf["pages"] == 3 and pdf["published"] == "2023-11-20"
