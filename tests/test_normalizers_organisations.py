"""Organisations: aliases and acronyms to one canonical name."""

from __future__ import annotations

import pytest

from normalizers.organisations import canonical, find_organisations, organisations

FFBA = "Fédération française des Banques Alimentaires"
ANSA = "Agence nouvelle des solidarités actives"


@pytest.mark.parametrize(("name", "expected"), [
    ("Ansa", ANSA),
    ("ANSA", ANSA),
    ("Agence nouvelle des solidarités actives", ANSA),
    ("FFBA", FFBA),
    ("Banques Alimentaires", FFBA),
    ("fédération française des banques alimentaires", FFBA),
    ("Restos du Coeur", "Restos du Cœur"),
    ("Les Restaurants du cœur", "Restos du Cœur"),
    ("ANDES (Groupe SOS)", "Andès"),
    ("Secours Catholique - Caritas France", "Secours Catholique"),
    ("Oxalis SCOP", "Oxalis"),
    ("DREETS Occitanie", "DREETS Occitanie"),  # a regional service stays itself
    ("Croix Rouge", "Croix-Rouge française"),
    ("Soliguide", "Solinum"),
    ("RnPAT", "Réseau national des projets alimentaires territoriaux"),
    ("France PAT", "Réseau national des projets alimentaires territoriaux"),
    ("DGCS", "Direction générale de la cohésion sociale"),
    ("  Association   Inconnue ", "Association Inconnue"),
])
def test_canonical(name, expected):
    assert canonical(name) == expected


def test_found_in_text_in_order():
    text = ("Avec l'Ansa, le Secours Catholique, Andès et la Fédération Française des Banques Alimentaires ; "
            "les épiceries du GESMIP et le Labo de l'Economie Sociale et Solidaire.")
    assert find_organisations(text) == [ANSA, "Secours Catholique", "Andès", FFBA, "GESMIP", "Labo de l'ESS"]


def test_line_breaks_inside_a_name():
    assert find_organisations("Agence\nnouvelle des\nsolidarités\nactives") == [ANSA]


def test_acronyms_are_case_sensitive():
    assert find_organisations("une ansa, les andes, la fas, un civam") == []


def test_source_then_fields_then_text():
    result = organisations("Titre", "Avec la Croix-Rouge.", {"organisations": ["FFBA", "Association X"]},
                           {"organisation": "Ansa"})
    assert result == [ANSA, FFBA, "Association X", "Croix-Rouge française"]


def test_an_aggregator_credits_the_publishers_it_names_never_itself():
    source = {"organisation": "Agence nationale de la cohésion des territoires", "aggregator": True}
    stated = organisations("Titre", "Avec la Croix-Rouge.", {"organisations": ["FFBA"]}, source)
    assert stated == [FFBA]  # neither ANCT nor the organisation merely named in the text
    assert organisations("Titre", "Avec la Croix-Rouge.", {}, source) == ["Croix-Rouge française"]
    assert organisations("Titre", "Rien.", {}, source) == []
