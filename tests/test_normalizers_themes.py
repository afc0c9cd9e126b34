"""Themes and audiences: slugs of the taxonomy, from keyword data."""

from __future__ import annotations

from pathlib import Path

import yaml

from normalizers.keywords import vocabulary
from normalizers.themes import classify_audiences, classify_themes

TAXONOMY = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "taxonomy.yaml").read_text("utf-8"))


def test_keyword_slugs_are_taxonomy_slugs():
    assert set(vocabulary("themes").slugs) == set(TAXONOMY["themes"])
    assert set(vocabulary("audiences").slugs) == set(TAXONOMY["audiences"])
    assert set(vocabulary("types").slugs) == set(TAXONOMY["types"])


def test_themes_of_a_short_text():
    text = ("Achat de fruits et légumes auprès de producteurs locaux pour les épiceries solidaires, "
            "financé par le programme Mieux manger pour tous.")
    themes = classify_themes("Appel à projets", text)
    assert {"producteurs_locaux", "distribution", "financement"} <= set(themes)
    assert "pat" not in themes


def test_long_text_needs_more_than_one_mention():
    text = "Le gaspillage est évoqué une fois. " + "Texte neutre sur la vie associative du quartier. " * 60
    assert "ecologie" not in classify_themes("Compte rendu", text)


def test_title_counts_more():
    assert "pat" in classify_themes("Projet alimentaire territorial : la feuille de route", "Texte. " * 400)


def test_categories_field():
    assert "logistique" in classify_themes("Sans mot-clé", "", {"categories": ["Logistique"]})


def test_audiences():
    text = "Public : bénévoles et travailleurs sociaux des associations."
    assert classify_audiences("Formation", text) == ["associations", "travailleurs_sociaux", "benevoles"]
    assert classify_audiences("Forum", "Ouvert à tous, entrée libre.") == ["grand_public"]


def test_audiences_field():
    assert classify_audiences("", "", {"audiences": ["Communes", "EPCI"]}) == ["collectivites"]
    assert classify_audiences("", "", {"audiences": "chercheurs"}) == ["chercheurs"]


def test_nothing_found():
    assert classify_themes("", "") == []
    assert classify_audiences("", "") == []
