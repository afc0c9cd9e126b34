"""Connecteur « datagouv » (api datagouv (v1)).

Champs extraits de la fixture enregistrée (data/mirror/www.data.gouv.fr).
"""

from tests.spiders.conftest import check_item, document, resource_of

SOURCE = "datagouv"
DATASETS = "https://www.data.gouv.fr/datasets/"
PAT = DATASETS + "pat-projets-alimentaires-territoriaux-description/"
OCCITANIE = DATASETS + "lieux-de-distribution-d-aide-alimentaire-en-occitanie/"


def test_pat_dataset(offline_db):
    doc = check_item(offline_db, SOURCE, PAT,
                     title="PAT - Projets alimentaires territoriaux : description", published="2021-03-15",
                     type_="etude", organisations=["France PAT"], themes=["pat", "connaissance"],
                     modified="2026-10-30", zones=["country:fr"])
    assert doc["fields"]["resources"][0]["format"] == "csv"
    resource = resource_of(offline_db, PAT)
    assert resource["scope"] == "national"
    assert resource["organisations"] == ["Réseau national des projets alimentaires territoriaux"]  # not data.gouv.fr


def test_zones_give_the_territory(offline_db):
    check_item(offline_db, SOURCE, OCCITANIE, title="Lieux de distribution d’aide alimentaire en Occitanie",
               published="2024-02-01", type_="outil",  # a map of places: « directory tool »
               zones=["fr:departement:31", "fr:departement:34"])
    resource = resource_of(offline_db, OCCITANIE)
    assert (resource["regions"], resource["departements"], resource["scope"]) == (["76"], ["31", "34"], "local")


def test_temporal_coverage_is_kept(offline_db):
    doc = document(offline_db, SOURCE, OCCITANIE)
    assert (doc["fields"]["temporal_start"], doc["fields"]["temporal_end"]) == ("2024-01-01", "2026-09-30")


def test_markdown_is_removed_from_the_text(offline_db):
    doc = document(offline_db, SOURCE, OCCITANIE)
    assert doc["summary"].startswith("Géolocalisation des lieux de distribution d’aide alimentaire en Occitanie :")
    assert "épiceries solidaires ;" in doc["summary"]
    assert not any(mark in doc["summary"] for mark in ("**", "](", "\n- ", "_Contenu"))
    survey = document(offline_db, SOURCE, DATASETS + "enquete-aupres-des-structures-d-aide-alimentaire/")
    assert survey["summary"].startswith("Enquête 2025\n") and "##" not in survey["summary"]
