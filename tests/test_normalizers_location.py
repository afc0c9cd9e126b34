"""Event location: a venue, an address, a commune or « En ligne »."""

from __future__ import annotations

import pytest

from normalizers.location import find_location


@pytest.mark.parametrize(("title", "text", "expected"), [
    ("Rencontre", "7 novembre 2025\nPalais du Travail - Narbonne\n", "Palais du Travail - Narbonne"),
    ("Webinaire sur les PAT", "Jeudi 5 mars 2026, 12h30", "En ligne"),
    ("Formation", "Les 3 et 4 mars 2026 en visioconférence.", "En ligne"),
    ("Atelier", "Lieu : Maison des associations, Nîmes (30)", "Maison des associations, Nîmes (30)"),
    ("Rencontre", "Rendez-vous le 22 mai à 10h, 12 chemin de la Cavayère, 11000 Carcassonne.",
     "12 chemin de la Cavayère, 11000 Carcassonne"),
    ("Forum", "Samedi 18 avril, à la Halle Clemenceau : venez nombreux !", "Halle Clemenceau"),
    ("Rencontre", "Du 24 au 25 septembre 2026 – Dijon, Palais des congrès", "Dijon, Palais des congrès"),
    ("Journée", "Une journée d'échanges le 14 avril 2026 à Bordeaux pour les associations.", "Bordeaux"),
    ("Journée", "Sans lieu ni date.", None),
])
def test_location(title, text, expected):
    assert find_location(title, text, {}) == expected


def test_explicit_field_wins():
    assert find_location("Webinaire", "", {"location": "au Palais du Travail - Narbonne"}) == \
        "Palais du Travail - Narbonne"
    assert find_location("Réunion", "à Lyon", {"page_location": "en ligne"}) == "En ligne"
