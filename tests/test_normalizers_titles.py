"""The title of a page given as text: site chrome, captions and labels are passed over, and the
address, which sites write from the title, picks the title among the page's first lines."""

from __future__ import annotations

import pytest

from normalizers.titles import choose_title, slug_words


@pytest.mark.parametrize(("text", "url", "expected"), [
    ("Tout accepter\nPersonnaliser\nAppel à projets alimentation solidaire 2025\nLe département ouvre…",
     "https://www.exemple.fr/aap", "Appel à projets alimentation solidaire 2025"),
    ("• Aucun résultat trouvé\nGuide pour créer une épicerie solidaire\nCe guide s'adresse…",
     "https://www.exemple.fr/guide", "Guide pour créer une épicerie solidaire"),
    ("Skip to main content\nJournée régionale des PAT\nLe 4 mars…", "https://x.fr/j", "Journée régionale des PAT"),
    ("ACTUALITÉ\nLa banque alimentaire recrute\nDes bénévoles…", "https://x.fr/a", "La banque alimentaire recrute"),
    ("Accueil > Agenda > Rencontres\nRencontres de l'aide alimentaire\nTexte…", "https://x.fr/r",
     "Rencontres de l'aide alimentaire"),
    ("12 mars 2024\nBaromètre de la pauvreté : 14e édition\nTexte…", "https://x.fr/b",
     "Baromètre de la pauvreté : 14e édition"),
    # codes95.org: the site's name twice (logo, then name), the text-size controls, the search box
    ("CODES95, Education Santé Val d'Oise\nCODES95, Education Santé Val d'Oise\nagrandir le texte diminuer le texte"
     "\nRecherche avancée\nFormation « Accueil et écoute »\nVous voulez former…", "http://www.codes95.org/c/1.html",
     "Formation « Accueil et écoute »"),
])
def test_site_chrome_is_passed_over(text, url, expected):
    assert choose_title(text, url)[0] == expected


def test_the_address_picks_the_title_under_a_caption():
    text = ("Des bénévoles trient les denrées à l'entrepôt.\n"
            "Une épicerie solidaire ouvre ses portes à Grâces\n"
            "L'association a inauguré samedi son local…")
    url = "https://www.journal.fr/cotes-d-armor/une-epicerie-solidaire-ouvre-ses-portes-a-graces-123.php"
    title, skipped = choose_title(text, url)
    assert title == "Une épicerie solidaire ouvre ses portes à Grâces"
    assert skipped[-1][1] == "ne reprend pas les mots de l'adresse de la page"


def test_a_first_line_that_agrees_with_the_address_is_kept():
    text = ("Sécurité sociale de l'alimentation ?\n"
            "Mercredi 4 février 2026 de 19h à 21h, 19 rue Barbusse, Marseille 1er arrondissement\nTexte…")
    url = "https://agenda.exemple.fr/event/securite-sociale-de-lalimentation-marseille-1er-arrondissement-2026-02-04/"
    assert choose_title(text, url)[0] == "Sécurité sociale de l'alimentation ?"


def test_a_lead_in_or_a_sentence_end_is_never_taken_from_the_address():
    text = "Les modalités de dépôt :\ndes fiches actions à remplir\nLes porteurs de projet…"
    url = "https://www.exemple.fr/des-fiches-actions-a-remplir"
    assert choose_title(text, url)[0] == "Les modalités de dépôt :"  # the first line, for want of better


def test_address_words():
    assert slug_words("https://x.fr/actu/2024/05/l-aide-alimentaire-en-hausse.html") == ["aide", "alimentaire",
                                                                                          "hausse"]
    assert slug_words("https://x.fr/") == []
    assert slug_words("https://x.fr/article/12345") == []
