"""Summaries: the given description, else the first sentences of content, never site chrome."""

from __future__ import annotations

from normalizers.text import fold, make_summary, squash, strip_markup, truncate

CONTENT = ("L'association ouvre une épicerie solidaire dans le quartier pour les familles orientées "
           "par les travailleurs sociaux du CCAS.")


def test_given_summary_wins():
    given = "Une épicerie solidaire ouvre ses portes dans le quartier nord de la ville."
    assert make_summary(given, "Autre texte " * 50) == given


def test_short_given_summary_falls_back_to_text():
    assert make_summary("Actu", CONTENT) == CONTENT


def test_chrome_is_skipped():
    text = "\n".join([
        "Ce site utilise des cookies pour améliorer votre expérience de navigation, acceptez-vous les cookies ?",
        "Accueil > Actualités > Solidarité > Épicerie solidaire du quartier nord de la ville de Nantes",
        "Publié le 3 mars 2025 | Temps de lecture : 2 minutes de lecture pour cet article très court",
        "MENU PRINCIPAL RECHERCHE CONTACT ESPACE PRESSE NEWSLETTER ET RÉSEAUX SOCIAUX DE LA VILLE",
        CONTENT,
        "Partager sur Facebook, Twitter, LinkedIn et par courriel avec vos contacts et vos amis proches",
    ])
    assert make_summary("", text) == CONTENT


def test_markup_is_removed():
    assert make_summary("<p>Une <b>épicerie</b> solidaire ouvre dans le quartier nord &amp; centre.</p>", "") == \
        "Une épicerie solidaire ouvre dans le quartier nord & centre."
    assert strip_markup("**Gras** et [lien](https://exemple.org)") == "Gras et lien"


def test_length_is_bounded():
    long_text = " ".join([CONTENT] * 20)
    summary = make_summary("", long_text)
    assert 100 <= len(summary) <= 320
    assert make_summary("x " * 400, "").endswith("…")


def test_title_is_not_repeated():
    title = "Une épicerie solidaire ouvre ses portes dans le quartier nord de la ville de Nantes"
    assert make_summary("", f"{title}\n{CONTENT}", title=title) == CONTENT


def test_empty():
    assert make_summary("", "") == ""


def test_helpers():
    assert squash("  a \n\t b ") == "a b"
    assert fold("Épicerie  Œuvre’s") == "epicerie oeuvre's"
    assert truncate("un deux trois quatre", 12) == "un deux…"
