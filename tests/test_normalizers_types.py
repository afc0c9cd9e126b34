"""Resource type: exactly one slug, explicit hints first."""

from __future__ import annotations

import pytest

from normalizers.types import TYPES, classify_type


@pytest.mark.parametrize(("title", "text", "expected"), [
    ("Appel à projets 2026 : soutien aux épiceries solidaires", "Date limite de dépôt : 3 mars.", "appel_a_projets"),
    ("Formation : animer un atelier cuisine", "Objectifs pédagogiques, prérequis.", "formation"),
    ("Webinaire – la sécurité sociale de l'alimentation", "Inscription gratuite.", "evenement"),
    ("Baromètre de la pauvreté 2025", "19e édition, Ipsos.", "barometre"),
    ("Étude sur le non-recours à l'aide alimentaire", "Entretiens, échantillon, résultats.", "etude"),
    ("Guide pratique : créer une épicerie solidaire", "Fiches pratiques et modèles.", "outil"),
    ("Un frigo solidaire sur la place du marché", "Pratique inspirante. Depuis 2023, le collectif...",
     "bonne_pratique"),
    ("Les Restos du Cœur lancent leur campagne d'hiver", "Communiqué de presse.", "actualite"),
    ("GT Plateformes : bilan du webinaire", "Appel à manifestation de projet, porteurs de projet.", "actualite"),
])
def test_keywords(title, text, expected):
    assert classify_type(title, text) == expected


def test_hint_wins():
    assert classify_type("Webinaire", "", hint="formation") == "formation"
    assert classify_type("Webinaire", "", hint="Appel à projets") == "appel_a_projets"


def test_default_then_actualite():
    assert classify_type("Bonjour", "", default="outil") == "outil"
    assert classify_type("Bonjour", "") == "actualite"
    assert classify_type("", "", default="n'importe quoi") == "actualite"


def test_always_a_taxonomy_slug():
    assert classify_type("x" * 1000, "y" * 100000) in TYPES
