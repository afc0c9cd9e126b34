"""The entry point: every key, explicit source fields win, the five seed documents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from normalizers import RESOURCE_KEYS, normalize

SEEDS = Path(__file__).resolve().parent / "eval" / "docs"


def doc(title: str = "", text: str = "", **extra) -> dict:
    return {"title": title, "url": "https://exemple.org/r", "text": text, "summary": "", "published": None,
            "kind": "page", "source_id": "test", "fields": {}, **extra}


def test_every_key():
    result = normalize(doc())
    assert tuple(result) == RESOURCE_KEYS
    assert result["type"] == "actualite" and result["scope"] == "national"
    assert result["themes"] == result["audiences"] == result["organisations"] == []


def test_explicit_fields_win():
    fields = {"type_hint": "appel_a_projets", "deadline": "2027-01-15", "perimeter": "Gard",
              "organisations": ["FFBA"], "audiences": ["Communes"]}
    text = "Webinaire. Date limite : 3 mars 2027. Rendez-vous à Lyon. Avec l'Ansa."
    result = normalize(doc("Webinaire", text, fields=fields), today=date(2026, 1, 1))
    assert result["type"] == "appel_a_projets"
    assert result["deadline"] == "2027-01-15"
    assert (result["regions"], result["departements"], result["scope"]) == (["76"], ["30"], "local")
    assert result["organisations"][0] == "Fédération française des Banques Alimentaires"
    assert "collectivites" in result["audiences"]


def test_source_row():
    source = {"organisation": "Ansa", "default_type": "outil", "regions": ["11"], "departements": []}
    result = normalize(doc("Ressources", "Un texte court."), source)
    assert result["type"] == "outil"
    assert result["organisations"] == ["Agence nouvelle des solidarités actives"]
    assert (result["regions"], result["scope"]) == (["11"], "regional")


def test_year_less_dates_use_publication_date_never_today():
    text = "Formation pour les bénévoles le 3 mars à Lyon."
    result = normalize(doc("Formation des bénévoles", text, published="2026-12-01"))
    assert result["event_start"] == result["event_end"] == "2027-03-03"
    for today in (date(2026, 1, 10), date(2031, 6, 1)):  # no year on the page: no date, whatever the day
        result = normalize(doc("Formation des bénévoles", text), today=today)
        assert result["event_start"] is None and result["event_end"] is None


def test_published_from_text():
    result = normalize(doc("Actualité", "Publié le 12 mars 2025\nUn texte."))
    assert result["published"] == "2025-03-12"


def test_event_fields():
    fields = {"page_event_date": "du 3 au 5 février 2027", "page_location": "à Paris"}
    result = normalize(doc("Colloque", "", fields=fields), today=date(2026, 6, 1))
    assert (result["event_start"], result["event_end"], result["location"]) == ("2027-02-03", "2027-02-05", "Paris")


def test_seed_narbonne_day():
    text = (SEEDS / "002.txt").read_text("utf-8")
    result = normalize(doc("Renforcer les coopérations pour lutter contre la précarité alimentaire", text))
    assert result["type"] == "evenement"
    assert result["event_start"] == result["event_end"] == "2025-11-07"
    assert result["location"] == "Palais du Travail - Narbonne"
    # The four départements of the workshops; Haute-Garonne is only a speaker's service (« Préfecture
    # Haute-Garonne »), which docs/etiquetage.md does not count.
    assert result["regions"] == ["76"] and result["departements"] == ["11", "30", "34", "66"]
    assert "Agence nouvelle des solidarités actives" in result["organisations"]


def test_seed_cocagne_webinar_report():
    text = (SEEDS / "004.txt").read_text("utf-8")
    result = normalize(doc("GT Plateformes Aide Alim : bilan du webinaire", text, published="2024-10-15"))
    assert result["type"] == "actualite"
    assert "16" in result["departements"]
    assert result["organisations"][0] == "Réseau Cocagne"
    assert result["summary"].startswith("Le 7 octobre dernier")
