"""Connecteur « secours-populaire » (listing).

Champs extraits de la fixture enregistrée (data/mirror/www.secourspopulaire.fr).
"""

from tests.spiders.conftest import check_item

SOURCE = "secours-populaire"

def test_barometer(offline_db):
    check_item(offline_db, SOURCE, "https://www.secourspopulaire.fr/16e-barometre-de-la-pauvrete-ipsos-secours-populaire-0",
               title="16e baromètre de la pauvreté Ipsos / Secours populaire", published="2022-09-08",
               type_="barometre")
