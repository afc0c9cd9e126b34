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


def test_a_likely_session_is_read_as_one(monkeypatch):
    """News at 45 %, event 35 % and training 15 % (of 95 %): a dated session is likelier than not worth keeping
    (the agenda and the letter need its dates), so the page is read as the likelier dated type and
    --explain says why; at 30 % for both together it stays news."""
    import math

    from normalizers import types

    def weights(news: float, event: float, training: float):
        logits = {slug: -20.0 for slug in types.TYPES} | {"actualite": math.log(news), "evenement": math.log(event),
                                                          "formation": math.log(training)}
        return lambda: (logits, {})

    monkeypatch.setattr(types, "_weights", weights(0.45, 0.35, 0.15))
    decision = types.decide_type("Collecte des Restos du Cœur", "Les bénévoles seront dans les magasins.",
                                 "https://exemple.org/actualites/collecte")
    assert decision.slug == "evenement"
    assert "événement retenu devant actualité : une session datée est probable à 53 %" in decision.rule
    assert decision.runner_up[0] == "actualite"
    monkeypatch.setattr(types, "_weights", weights(0.70, 0.20, 0.10))
    assert types.decide_type("Collecte des Restos du Cœur", "", "https://exemple.org/actualites/collecte").slug == (
        "actualite")


def test_a_page_dated_after_all_its_sessions_reports_on_them():
    """Published on 31 May about a seminar held on 16 May: a report, whatever the weights say."""
    from normalizers.page_dates import read_dates
    from normalizers.types import decide_type

    title = "Séminaire régional : l'accessibilité alimentaire au cœur des échanges le jeudi 16 mai 2024"
    text = f"{title}\nPublié le 31 mai 2024\nLe séminaire du jeudi 16 mai 2024 a réuni 80 participants à Besançon."
    decision = decide_type(title, text, "https://exemple.org/agenda/seminaire", dates=read_dates(title, text))
    assert decision.slug not in ("evenement", "formation")
    announced = text.replace("31 mai 2024", "2 mai 2024")
    assert decide_type(title, announced, "https://exemple.org/agenda/seminaire",
                       dates=read_dates(title, announced)).slug == "evenement"
