"""Hours of events: written after the date on the page, or the time of a source's datetime."""

from __future__ import annotations

import pytest

from normalizers import normalize
from normalizers.hours import hours_after, source_time
from normalizers.text import fold


@pytest.mark.parametrize(("after", "expected"), [
    (" de 14h à 16h30, salle des fêtes", ("14:00", "16:30")),
    (" 9h30 - 12h", ("09:30", "12:00")),
    (", 10 h 00 min", ("10:00", None)),  # The Events Calendar's HTML
    (" à partir de 18h", ("18:00", None)),
    (" 14:00 – 17:00", ("14:00", "17:00")),
    (" de 14h à 10h", ("14:00", None)),  # an end before the start says nothing sure
    (" 25h", (None, None)),
    (" : date limite d'inscription", (None, None)),
    (" 12 h 30 minutes", ("12:30", None)),
])
def test_hours_written_after_a_date(after, expected):
    assert hours_after(fold(after)) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-11-20 14:00:00", "14:00"),  # The Events Calendar: local time
    ("2026-12-08T13:00:00Z", "14:00"),  # UTC, read in Paris time (winter)
    ("2026-07-08T13:00:00+00:00", "15:00"),  # summer time
    ("2027-01-14T18:00:00+0100", "18:00"),  # OpenAgenda's offset without a colon
    ("2026-11-20 00:00:00", None),  # how a source writes a day without hours
    ("2026-11-20", None),
    ("le 20 novembre", None),
])
def test_time_of_a_source_datetime(value, expected):
    assert source_time(value) == expected


def test_webinar_page_keeps_its_hours():
    doc = {"url": "https://www.exemple.org/agenda/webinaire-aide-alimentaire",
           "title": "Webinaire : l'aide alimentaire en milieu rural",
           "text": "Webinaire : l'aide alimentaire en milieu rural\n"
                   "Mardi 8 décembre 2026 de 10h à 12h, en visioconférence.\nInscription gratuite.",
           "published": "2026-11-02"}
    fields = normalize(doc)
    assert (fields["event_start"], fields["event_end"]) == ("2026-12-08", "2026-12-08")
    assert (fields["event_start_time"], fields["event_end_time"]) == ("10:00", "12:00")


def test_event_in_several_days_keeps_the_first_hour_only():
    doc = {"url": "https://www.exemple.org/agenda/rencontres",
           "title": "Rencontres régionales de l'alimentation solidaire",
           "text": "Rencontres régionales de l'alimentation solidaire\n"
                   "Jeudi 4 février 2027 à 9h30 et vendredi 5 février 2027, à Rennes.",
           "published": "2026-11-02"}
    fields = normalize(doc)
    assert (fields["event_start"], fields["event_end"]) == ("2027-02-04", "2027-02-05")
    assert (fields["event_start_time"], fields["event_end_time"]) == ("09:30", None)


def test_source_datetimes_give_the_hours_and_a_page_without_hours_has_none():
    doc = {"url": "https://agenda.exemple.org/e/1", "title": "Atelier cuisine", "text": "Atelier cuisine",
           "fields": {"event_start": "2026-11-20 14:00:00", "event_end": "2026-11-20 17:00:00",
                      "type_hint": "evenement"}}
    fields = normalize(doc)
    assert (fields["event_start_time"], fields["event_end_time"]) == ("14:00", "17:00")
    doc["fields"] = {"event_start": "2026-11-20", "type_hint": "evenement"}
    fields = normalize(doc)
    assert fields["event_start"] == "2026-11-20" and fields["event_start_time"] is None


def test_no_hours_without_an_event():
    doc = {"url": "https://www.exemple.org/actualites/bilan", "title": "Bilan de l'année",
           "text": "Bilan de l'année\nPublié le 3 mars 2025 à 10h30.\nLes associations ont distribué 2 000 colis."}
    fields = normalize(doc)
    assert fields["event_start"] is None and fields["event_start_time"] is None
