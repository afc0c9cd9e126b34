"""Dates: located by regex, parsed by dateparser, year-less ones resolved from the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from normalizers.dates import find_deadline, find_event_dates, find_mentions, find_published, parse_date, parse_span

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
])
def test_mentions(text, start, end):
    mention = find_mentions(text, PUB)[0]
    assert (mention.start, mention.end) == (start, end)


def test_year_less_date_is_next_occurrence_after_publication():
    assert find_mentions("le 2 mai", date(2026, 6, 1))[0].start == "2027-05-02"
    assert find_mentions("le 2 mai", date(2026, 4, 1))[0].start == "2026-05-02"
    assert find_mentions("le 2 mai", date(2026, 5, 2))[0].start == "2026-05-02"


def test_dernier_points_to_the_past():
    assert find_mentions("Le 7 octobre dernier, nous étions 15", PUB)[0].start == "2025-10-07"


def test_impossible_dates_are_dropped():
    assert find_mentions("31 février 2027", PUB) == []
    assert find_mentions("30/02/2026", PUB) == []
    assert parse_date("31 février 2027") is None
    assert find_mentions("29 février 2024", PUB)[0].start == "2024-02-29"


def test_numbered_item_is_not_a_span():
    mention = find_mentions("Journée 1 - 12 mars 2026", PUB)[0]
    assert (mention.start, mention.end) == ("2026-03-12", "2026-03-12")


def test_time_after_date_is_kept_together():
    # dateparser's own search splits this into « mars » and « 2027 »
    assert find_deadline("Clôture des candidatures le 13 mars 2027 à minuit.", PUB) == "2027-03-13"


@pytest.mark.parametrize(("text", "expected"), [
    ("Date limite de dépôt : 15 janvier 2027", "2027-01-15"),
    ("Candidatures jusqu'au 31/03/2027 à minuit", "2027-03-31"),
    ("Dossier à envoyer avant le 2 mai", "2027-05-02"),
    ("Les candidatures devront parvenir au plus tard le vendredi 27 février 2027.", "2027-02-27"),
    ("Date d'échéance : 30/06/2027", "2027-06-30"),
    ("Lancement : 2 février 2027\n- fin des candidatures : 17 avril 2027", "2027-04-17"),
])
def test_deadline(text, expected):
    assert find_deadline(text, PUB) == expected


def test_deadline_prefers_strong_cue():
    text = "Permanence téléphonique jusqu'au 18 mars 2027. Date limite : 20 mars 2027."
    assert find_deadline(text, PUB) == "2027-03-20"


def test_no_deadline_without_cue():
    assert find_deadline("Réunion le 3 mars 2027 à Lyon.", PUB) is None


def test_published():
    assert find_published("Publié le 12 mars 2025 | Temps de lecture : 2 minutes") == "2025-03-12"
    assert find_published("Mise en ligne le 14 octobre 2025") == "2025-10-14"
    assert find_published("Communiqué de presse – 18 novembre 2025") == "2025-11-18"
    assert find_published("Publié le | Temps de lecture : 2 minutes") is None


def test_event_dates_skip_publication_and_deadline():
    text = "Publié le 1er janvier 2026\nInscription avant le 20 janvier.\nRendez-vous le 5 février 2026 à Lyon."
    assert find_event_dates("Atelier", text, date(2026, 1, 1)) == ("2026-02-05", "2026-02-05")


def test_event_dates_from_title_first():
    assert find_event_dates("Webinaire du 3 mars 2026", "le 9 mars 2026", date(2026, 1, 1)) == (
        "2026-03-03", "2026-03-03")


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
