"""Title analysis: the words compared and the edition markers checked on their own."""

from dedup.folding import fold
from dedup.titles import analyse_title, strip_markers


def test_fold_handles_accents_ligatures_and_typographic_apostrophes():
    assert fold("Journée d’échanges : cœur de l'Île-de-France") == "journee d echanges coeur de l ile de france"


def test_markers_are_out_of_the_compared_words():
    info = analyse_title("17e Baromètre de la pauvreté Ipsos / Secours populaire 2023")
    assert info.years == {2023} and info.ordinals == {17}
    assert info.key == analyse_title("Baromètre Ipsos Secours populaire de la pauvreté").key
    assert info.edition == 2023
    assert analyse_title("Deuxième édition des Rencontres").ordinals == {2}


def test_recap_and_places():
    assert analyse_title("Retour sur le webinaire PAT").recap
    assert analyse_title("GT Plateformes : bilan du webinaire").recap
    assert not analyse_title("Webinaire PAT").recap
    assert analyse_title("Appel à projets – volet Grand Est").places == {"grand est"}
    assert analyse_title("Aide alimentaire dans le Gard (30)").numbers == {30}


def test_relay_decorations_are_ignored():
    plain = analyse_title("Fonds de soutien aux épiceries solidaires").key
    assert analyse_title("Financement - Fonds de soutien aux épiceries solidaires").key == plain
    assert analyse_title("[Agenda] Fonds de soutien aux épiceries solidaires").key == plain
    assert analyse_title("Fonds de soutien aux épiceries solidaires | France PAT").key == plain


def test_generic_titles():
    assert analyse_title("Rapport d'activité 2024").generic
    assert analyse_title("Offre d'emploi : chargé de mission").generic
    assert not analyse_title("Rapport sur les épiceries solidaires").generic
    assert analyse_title("").words == ()


def test_series_title():
    assert strip_markers("Baromètre de la pauvreté 2024") == "Baromètre de la pauvreté"
    assert strip_markers("17e baromètre Ipsos") == "baromètre Ipsos"
    assert strip_markers("Rapport annuel 2024 : bilan") == "Rapport annuel : bilan"
