"""Dates: located by regex, parsed by dateparser; each one's year from the page, its role from its words."""

from __future__ import annotations

from datetime import date

import pytest

from normalizers.dates import find_mentions, locate, parse_date, parse_span
from normalizers.page_dates import (
    DEADLINE,
    EVENT,
    NONE,
    OPENING,
    OTHER,
    PUBLISHED,
    REGISTRATION,
    UPDATED,
    WINDOW,
    decide_deadline,
    decide_event,
    read_dates,
    url_date,
)

PUB = date(2026, 10, 1)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("les 13 et 14 novembre", "2026-11-13", "2026-11-14"),
    ("du 3 au 5 février 2027", "2027-02-03", "2027-02-05"),
    ("7 novembre 2025", "2025-11-07", "2025-11-07"),
    ("13-14 novembre", "2026-11-13", "2026-11-14"),
    ("du lundi 3 au mercredi 5 février 2027", "2027-02-03", "2027-02-05"),
    ("les 12, 19 et 26 mai 2027", "2027-05-12", "2027-05-26"),
    ("du 28 décembre au 3 janvier 2027", "2026-12-28", "2027-01-03"),
    ("1er mars 2027", "2027-03-01", "2027-03-01"),
    ("31/03/2027", "2027-03-31", "2027-03-31"),
    ("2027-04-02", "2027-04-02", "2027-04-02"),
    ("13 nov. 2026", "2026-11-13", "2026-11-13"),
    ("Du 02/09/2024 au 15/10/2024", "2024-09-02", "2024-10-15"),
    ("Paru le17/12/2015", "2015-12-17", "2015-12-17"),
    ("Publié le 05 septembre 2022Descriptif", "2022-09-05", "2022-09-05"),
    ("8 January 2024", "2024-01-08", "2024-01-08"),
    ("Monday, January 8, 2024 At 8:00 AM", "2024-01-08", "2024-01-08"),
    ("Post on 02-Dec-2021", "2021-12-02", "2021-12-02"),
    ("du samedi 1er et du dimanche 2 décembre 2018", "2018-12-01", "2018-12-02"),
])
def test_mentions(text, start, end):
    mention = find_mentions(text, PUB)[0]
    assert (mention.start, mention.end) == (start, end)


def test_explicit_fields_resolve_year_less_dates_against_their_reference():
    assert find_mentions("le 2 mai", date(2026, 6, 1))[0].start == "2027-05-02"
    assert find_mentions("le 2 mai", date(2026, 5, 2))[0].start == "2026-05-02"
    assert find_mentions("Le 7 octobre dernier, nous étions 15", PUB)[0].start == "2025-10-07"


def test_impossible_dates_are_dropped():
    assert find_mentions("31 février 2027", PUB) == []
    assert find_mentions("30/02/2026", PUB) == []
    assert parse_date("31 février 2027") is None
    assert find_mentions("29 février 2024", PUB)[0].start == "2024-02-29"


def test_numbered_item_is_not_a_span_and_a_date_never_runs_over_two_lines():
    mention = find_mentions("Journée 1 - 12 mars 2026", PUB)[0]
    assert (mention.start, mention.end) == ("2026-03-12", "2026-03-12")
    assert locate("N° 8\n\nJANVIER 2026") == ()


def test_calendar_plugin_day_glued_to_its_month_takes_the_month_heading_year():
    dates = read_dates("Rencontres", "novembre, 2020\n\n10nov10 h 00 min12 h 00 min Rencontres de l'alimentation")
    assert [(e.start.isoformat(), e.year_from) for e in dates.evidence] == [("2020-11-10", "de l'intertitre")]


# --- years come from the page, never from today ------------------------------------------------
def test_weekday_fixes_the_year_among_the_page_s_own():
    text = "Mise à jour : 8 avril 2016\n\nRendez-vous jeudi 7 avril à 14h à la salle des fêtes."
    event = [e for e in read_dates("Atelier", text).evidence if e.role == EVENT]
    assert event[0].start == date(2016, 4, 7)


def test_a_page_without_a_year_gives_no_date():
    dates = read_dates("Réunion", "Réunion d'information le 12 mars dernier à la mairie.")
    assert dates.evidence == [] and dates.dropped
    assert decide_event(dates).start is None


def test_weekday_that_fits_no_year_of_the_page_drops_the_date():
    dates = read_dates("Atelier", "Publié le 3 mars 2025\n\nAtelier le lundi 7 avril.")  # 7 April 2025 is a Monday
    assert [e.start for e in dates.evidence if e.role == EVENT] == [date(2025, 4, 7)]
    dates = read_dates("Atelier", "Publié le 3 mars 2025\n\nAtelier le mardi 7 avril.")  # no Tuesday 7 April near
    assert [e for e in dates.evidence if e.role == EVENT] == []


def test_year_from_the_sentence_from_the_address_and_from_the_publication_line():
    sentence = read_dates("Retour", "L'édition 2021 de la journée s'est tenue le 3 juin devant 200 personnes.")
    assert sentence.evidence[0].start == date(2021, 6, 3)
    address = read_dates("Collecte", "Rendez-vous samedi 27 novembre en magasin.", url="https://exemple.fr/2021/11/20/collecte")
    assert address.evidence[0].start == date(2021, 11, 27)
    assert address.published == date(2021, 11, 20)
    statistic = read_dates("Chiffres", "En 2022, 10 % des foyers ont eu recours à l'aide. Réunion le 20 avril.")
    assert statistic.evidence == []  # a statistic's year does not date the page


@pytest.mark.parametrize(("url", "expected"), [
    ("https://exemple.org/2023/05/17/un-article/", date(2023, 5, 17)),
    ("https://www.terredauphinoise.fr/articles/17/03/2023/Cheque-alimentaire/", date(2023, 3, 17)),
    ("https://www.20minutes.fr/societe/4078968-20240229-restos-collecte", date(2024, 2, 29)),
    ("https://www.leparisien.fr/oise-60/l-epicerie-debarque-10-03-2020-8276898.php", date(2020, 3, 10)),
    ("https://exemple.org/agenda/atelier-12", None),
    ("http://mediaterre.org/rsdd/actu,20170113103732,9.html", date(2017, 1, 13)),  # a time stamp
    ("https://www.bfmtv.com/social/qui-sont-les-beneficiaires_AV-202211220621.html", date(2022, 11, 22)),
    ("https://exemple.org/journee/?utm_campaign=relance-20240530-x", None),  # a mailing's date, not the page's
])
def test_url_dates(url, expected):
    assert url_date(url) == expected


# --- roles --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "role"), [
    ("Publié le 12 mars 2025 | Temps de lecture : 2 minutes", PUBLISHED),
    ("Mise à jour le 17/02/2023", UPDATED),
    ("Nicole Mari le Vendredi 21 Janvier 2022 à 21:36", PUBLISHED),
    ("Date limite de candidature : 30 avril 2019", DEADLINE),
    ("14 février 2023 : date limite de dépôt des dossiers", DEADLINE),
    ("La clôture des candidatures est fixée au 15 septembre 2022 (minuit)", DEADLINE),
    ("Calendrier : Du 02/09/2024 au 15/10/2024", WINDOW),
    ("L'appel est ouvert à partir du 3 mars 2024.", OPENING),
    ("Inscription avant le 20 janvier 2026.", REGISTRATION),
    ("Comité de sélection : 8 octobre 2024", OTHER),
    ("Enquête réalisée du 29 septembre au 15 novembre 2022 auprès de 1 000 personnes.", OTHER),
    ("Rendez-vous le jeudi 5 février 2026 de 14h à 16h.", EVENT),
    ("Post on 02-Dec-2021", PUBLISHED),
    ("Comme le rapporte France Bleu dans un article du 13 février 2021, le frigo a ouvert.", NONE),
    ("Date de la dernière actualisation :  27/05/2025", UPDATED),
    ("Publié dans : Alimentation et activité physique, mercredi 3 février 2016, par Anne Duval", PUBLISHED),
    ("La date limite, initialement fixée le 15 mars 2021, est reportée.", OTHER),
    ("Faute de salle, le colloque est reporté au jeudi 12 mai 2022.", EVENT),
    ("Ouvert depuis le 7 octobre 2014, l'appel à projets sera clos le 31 décembre 2014.", OPENING),
    # an appeal for volunteers, then the event's own word nearer the dates: no submission window
    ("La banque lance un appel aux bénévoles pour le week-end de collecte du 24 au 25 novembre 2017.", EVENT),
    ("Appel à candidatures pour la formation : dépôt des dossiers du 1er au 15 mars 2024.", WINDOW),
])
def test_roles(text, role):
    dates = read_dates("Titre de la page", f"Titre de la page\n\nUn paragraphe qui ouvre la page sans date.\n\n{text}")
    assert dates.evidence[0].role == role, dates.evidence[0].describe()


def test_deadline_is_the_end_of_a_window_and_never_an_opening():
    text = "Calendrier\nOuverture de l'appel : 2 septembre 2024\nDépôt des dossiers du 02/09/2024 au 15/10/2024\n"
    assert decide_deadline(read_dates("Appel à projets 2024", text)).start == "2024-10-15"
    assert decide_deadline(read_dates("Appel", "L'appel est ouvert à partir du 3 mars 2024.")).start is None


def test_timeline_keeps_the_closing_of_submissions():
    text = ("Publication de l'appel à projets : 5 juillet 2024\nDate limite : 27 septembre 2024\n"
            "Comité de sélection : 8 octobre 2024")
    dates = read_dates("Structurer votre PAT", text)
    assert decide_deadline(dates).start == "2024-09-27"
    assert dates.published == date(2024, 7, 5)


def test_first_wave_of_several_closes_first():
    text = "Première vague : dossiers à déposer avant le 30 avril 2021.\nSeconde vague : avant le 31 juillet 2021."
    assert decide_deadline(read_dates("Jardins partagés", text)).start == "2021-04-30"


def test_event_dates_skip_publication_and_deadline():
    text = "Publié le 1er janvier 2026\nInscription avant le 20 janvier.\nRendez-vous le 5 février 2026 à Lyon."
    decision = decide_event(read_dates("Atelier", text))
    assert (decision.start, decision.end) == ("2026-02-05", "2026-02-05")


def test_event_in_parts_a_few_days_apart_is_one_event():
    text = ("Publié le 2 novembre 2024\n\nJeudi 28 novembre : marché paysan.\nSamedi 30 novembre : ateliers cuisine."
            "\nLundi 2 décembre : conférence de clôture.")
    decision = decide_event(read_dates("Semaine de l'alimentation", text), read_dates(
        "Semaine de l'alimentation", text).between)
    assert (decision.start, decision.end) == ("2024-11-28", "2024-12-02")


def test_course_with_a_start_and_an_end_line():
    text = "Début du cours : 2 mars 2026. Fin : 6 avril 2026."
    dates = read_dates("MOOC", text)
    decision = decide_event(dates, dates.between)
    assert (decision.start, decision.end) == ("2026-03-02", "2026-04-06")


def test_dates_in_the_address_slug_name_the_event():
    dates = read_dates("Formation PAT", "Une formation pour les animateurs de PAT.",
                       url="https://france-pat.fr/publications/formation-pat-social-les-28-et-29-juin-2023/")
    decision = decide_event(dates)
    assert (decision.start, decision.end) == ("2023-06-28", "2023-06-29")


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-03-04", "2025-03-04"),
    ("2025-03-04T10:00:00Z", "2025-03-04"),
    ("Tue, 04 Mar 2025 10:00:00 +0100", "2025-03-04"),
    ("4 mars 2025", "2025-03-04"),
    (date(2025, 3, 4), "2025-03-04"),
    ("", None),
    (None, None),
    ("bientôt", None),
    ("1850-01-01", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_parse_span():
    assert parse_span("du 3 au 5 février 2027") == ("2027-02-03", "2027-02-05")
    assert parse_span("2027-02-03") == ("2027-02-03", "2027-02-03")
    assert parse_span(None) == (None, None)


def test_a_dated_line_under_the_title_is_the_page_s_date_even_with_its_weekday():
    text = ("Les épiceries solidaires : mode d'emploi\nVendredi 16 mars 2018\n"
            "Un long paragraphe qui ouvre l'article et qui parle des épiceries solidaires sans autre date.")
    dates = read_dates("Les épiceries solidaires : mode d'emploi", text)
    assert dates.published == date(2018, 3, 16)
    # an agenda page with no other date still takes it as its event's day
    assert decide_event(dates, head_fallback=True).start == "2018-03-16"


def test_next_weekday_falls_after_the_latest_year_the_page_names():
    text = ("Un séminaire de restitution\n\nLe programme, lancé en 2021, a mené une enquête en 2023 auprès de "
            "500 personnes.\nLe jeudi 12 septembre prochain, l'université accueille le séminaire, de 8h à 12h30.")
    assert decide_event(read_dates("Un séminaire de restitution", text)).start == "2024-09-12"


def test_next_days_without_a_weekday_fall_in_the_latest_year_the_page_names():
    text = ("La grande collecte des Restos aura lieu les 05, 06 et 07 mars prochains.\n"
            "Début mars 2020, les bénévoles avaient rassemblé 7 400 tonnes.\n"
            "Objectif de la collecte 2021 : faire mieux.")
    event = decide_event(read_dates("Les Restos cherchent des bénévoles", text))
    assert (event.start, event.end) == ("2021-03-05", "2021-03-07")


def test_the_month_an_address_files_a_page_under_gives_its_year():
    dates = read_dates("Journée des PAT", "Rendez-vous le 20 octobre à Manthelan pour la journée des PAT.",
                       url="https://cop.exemple.fr/events/2021/10/journee-des-pat-2/")
    assert dates.evidence[0].start == date(2021, 10, 20) and "mois de l'adresse" in dates.evidence[0].year_from
    assert dates.published is None  # a month is no publication day
    assert read_dates("Journée", "Rendez-vous le 20 octobre.", url="https://exemple.fr/events/10/2021/").evidence == []


def test_this_saturday_is_the_one_nearest_the_page_s_date():
    """« ce vendredi ou ce samedi » of an article filed on Friday 26 November 2010; « ce samedi » of a
    Monday's report is the Saturday before; « ce mardi de l'ESS » names a series, not a day."""
    url = "https://www.exemple.fr/societe/629693-20101126-banque-alimentaire-collecte"
    friday = read_dates("Une collecte", "Les bénévoles seront dans les magasins ce vendredi ou ce samedi.", url=url)
    event = decide_event(friday)
    assert (event.start, event.end) == ("2010-11-26", "2010-11-27")
    assert friday.published == date(2010, 11, 26)  # the address still dates the page
    monday = read_dates("Retour", "Ce samedi, les bénévoles ont collecté deux tonnes.", published=date(2010, 11, 29))
    assert monday.evidence[0].start == date(2010, 11, 27)
    weekend = read_dates("Collecte", "La collecte a lieu ce week-end, de vendredi à dimanche.",
                         published=date(2024, 2, 29))
    assert (weekend.evidence[0].start, weekend.evidence[0].end) == (date(2024, 3, 1), date(2024, 3, 3))
    apart = read_dates("Collecte", "L'association tient ce week-end sa grande collecte, de vendredi à dimanche.",
                       published=date(2024, 2, 29))
    assert (apart.evidence[0].start, apart.evidence[0].end) == (date(2024, 3, 1), date(2024, 3, 3))
    hours = read_dates("Collecte", "La collecte a lieu ce week-end. Accueil ouvert de lundi à vendredi.",
                       published=date(2024, 2, 29))
    assert (hours.evidence[0].start, hours.evidence[0].end) == (date(2024, 3, 2), date(2024, 3, 3))
    series = read_dates("Hors les campus", "Le 21 janvier 2025.\nCe mardi de l'ESS parle d'alimentation.",
                        published=date(2024, 12, 16))
    assert [item.start for item in series.evidence] == [date(2025, 1, 21)]
    assert read_dates("Collecte", "Rendez-vous ce samedi en magasin.").evidence == []  # no date of the page, no day
    written = read_dates("Collecte", "Rendez-vous ce samedi 27 novembre en magasin.", published=date(2021, 11, 20))
    assert [(item.start, item.where) for item in written.evidence] == [(date(2021, 11, 27), "texte")]


def test_a_postponed_deadline_is_the_new_one():
    dates = read_dates("Appel", "Appel\n\nUn paragraphe d'ouverture sans date.\n\nLa date limite de dépôt des "
                       "dossiers, initialement fixée le 15 mars, est reportée au lundi 29 mars 2021 inclus.")
    roles = {e.start: e.role for e in dates.evidence}
    assert roles == {date(2021, 3, 15): OTHER, date(2021, 3, 29): DEADLINE}


@pytest.mark.parametrize("head", [
    "Par Jeanne Martin, chargée d'études vulnérabilités - 16.06.2022",
    "6 novembre 2023 à 17h34 par Élodie Quesnel",
    "Intercommunalité sociale | 29/10/2018",
    "23/10/2014 - Article du Dauphiné Libéré",
    "Par Marie Dupont, France Bleu Drôme-Ardèche dimanche 11 décembre 2016 à 9:58",
    "Aujourd'hui, jeudi 12 novembre 2020, l'association rend public son rapport.",
])
def test_an_author_or_section_line_in_the_head_dates_the_page(head):
    dates = read_dates("Une épicerie pour plusieurs communes",
                       f"Une épicerie pour plusieurs communes\n{head}\n\nUn long paragraphe qui ouvre l'article "
                       "et raconte l'histoire de l'épicerie sociale depuis sa création, sans autre date que celle-là.")
    assert dates.published is not None and dates.evidence[0].role == PUBLISHED


def test_a_date_in_brackets_after_the_title_is_the_post_s():
    title = "Collecte de la Banque Alimentaire 28 et 29 novembre 2014 (25 novembre 2014)"
    dates = read_dates(title, f"{title}\nLe blog du quartier relaie la collecte nationale.")
    assert dates.published == date(2014, 11, 25)
    assert decide_event(dates).start == "2014-11-28"
    spaced = 'Formation "Accueil et écoute" ( 21/01/2010 )'  # codes95.org: spaces inside the brackets
    dates = read_dates(spaced, f"{spaced}\nUne formation à la carte s'est déroulée de septembre à novembre 2009.")
    assert dates.published == date(2010, 1, 21) and decide_event(dates).start is None
    modified = read_dates("Lancement de l'appel",
                          "Lancement de l'appel\nDernière modification le 6 avril 2022 par Ludovic")
    assert modified.evidence[0].role == UPDATED and modified.published == date(2022, 4, 6)


def test_a_blog_byline_with_bullets_dates_the_post():
    """viabloga.com: « Par Isabelle X • En Une • Mardi 21/10/2008 • 6 commentaires » under the title."""
    text = ("Ateliers légumes pour les personnes aidées\n\nOctobre 2008 - Mai 2009\n\n"
            "Par Claire Martin • En Une • Mardi 21/10/2008 • 6 commentaires\n\nDes ateliers pour les équipes.")
    dates = read_dates("Ateliers légumes pour les personnes aidées", text)
    assert dates.published == date(2008, 10, 21) and decide_event(dates).start is None


def test_a_word_that_merely_contains_a_cue_gives_no_role():
    # « refonder » holds « fonde », a creation cue: the date alone under it is still the page's date
    dates = read_dates("Newsletter", "Accueil / Newsletter\nLa question alimentaire pour refonder le travail social\n"
                       "28 Nov 2024\n\nUn long paragraphe qui présente la formation proposée sur devis aux structures.")
    assert dates.published == date(2024, 11, 28)


def test_a_call_that_will_be_closed_on_a_day_closes_then():
    dates = read_dates("Appel", "Appel\n\nUn paragraphe d'ouverture sans date.\n\nOuvert depuis le 7 octobre 2014, "
                       "l'appel à projets sera clos le 31 décembre 2014.")
    assert [(e.start, e.role) for e in dates.evidence] == [(date(2014, 10, 7), OPENING), (date(2014, 12, 31), DEADLINE)]
