"""Connecteur « labo-ess » (sitemap + JSON-LD).

Champs extraits de la fixture enregistrée (data/mirror/www.lelabo-ess.org).
"""

from tests.spiders.conftest import check_item, documents_of

SOURCE = "labo-ess"

def test_sitemap_filtered_and_dates_from_jsonld(offline_db):
    urls = {d["url"] for d in documents_of(offline_db, SOURCE)}
    assert "https://www.lelabo-ess.org/qui-sommes-nous" not in urls  # listing.url_pattern
    check_item(offline_db, SOURCE, "https://www.lelabo-ess.org/guide-developper-une-epicerie-solidaire-de-territoire",
               title="Guide : développer une épicerie solidaire de territoire", published="2026-10-02", type_="outil")
