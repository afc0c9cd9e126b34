"""Property tests: whatever comes in, normalize() answers with valid, empty-when-unsure fields."""

from __future__ import annotations

import random
import re
import time
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalizers import RESOURCE_KEYS, normalize
from normalizers.dates import find_mentions, parse_date
from normalizers.types import TYPES

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FRENCHISH = st.text(alphabet=st.sampled_from(list("abcdeéèfghijklmnopqrstuvwxyzàçô ABCDÉFGHLMNOPRST0123456789'’-:,.()\n"
                                                  "«»/")), max_size=400)
WORDS = ["le", "du", "au", "à", "Gard", "(30)", "Occitanie", "31", "février", "mars", "2027", "1er", "jusqu'au",
         "date limite", "Publié le", "Toulouse", "Paris", "Ansa", "FFBA", "webinaire", "formation", "les", "et", "13",
         "14", "novembre", "-", "Lieu :", "75013", "en ligne", "Nord", "Mer", "La", "Réunion", "appel à projets"]


def check(result: dict) -> None:
    assert tuple(result) == RESOURCE_KEYS
    assert result["type"] in TYPES
    assert result["scope"] in ("national", "regional", "local")
    for name in ("published", "deadline", "event_start", "event_end"):
        value = result[name]
        assert value is None or (ISO.match(value) and date.fromisoformat(value))
    for name in ("themes", "audiences", "regions", "departements", "organisations"):
        assert isinstance(result[name], list) and all(isinstance(v, str) and v for v in result[name])
    assert (result["scope"] == "national") == (not result["regions"] and not result["departements"])
    assert result["location"] is None or isinstance(result["location"], str)
    assert isinstance(result["summary"], str) and len(result["summary"]) <= 330


def doc(title: str, text: str, **extra) -> dict:
    return {"title": title, "url": "u", "text": text, "summary": "", "published": None, "kind": "page",
            "source_id": "fuzz", "fields": {}, **extra}


@SETTINGS
@given(st.text(max_size=300), st.text(max_size=2000))
def test_arbitrary_text(title, text):
    check(normalize(doc(title, text), today=date(2026, 1, 1)))


@SETTINGS
@given(FRENCHISH, st.lists(st.sampled_from(WORDS), max_size=60))
def test_french_like_text(title, words):
    check(normalize(doc(title, " ".join(words)), today=date(2026, 1, 1)))


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(["utf-8", "latin-1", "cp1252"]))
def test_binary_garbage(raw, encoding):
    text = raw.decode(encoding, errors="replace")
    check(normalize(doc(text[:80], text)))


@SETTINGS
@given(st.dictionaries(st.sampled_from(["type_hint", "deadline", "event_start", "event_end", "location",
                                        "organisations", "categories", "audiences", "perimeter", "page_date",
                                        "page_deadline", "page_event_date", "page_location"]),
                       st.one_of(st.none(), st.text(max_size=40), st.integers(), st.lists(st.text(max_size=20),
                                                                                             max_size=3))))
def test_odd_fields(fields):
    check(normalize(doc("Titre", "Texte", fields=fields), {"organisation": None, "regions": None}))


@SETTINGS
@given(st.integers(min_value=1, max_value=40), st.sampled_from(["février", "avril", "juin", "septembre", "novembre"]),
       st.integers(min_value=1990, max_value=2060))
def test_dates_are_real_or_none(day, month, year):
    for mention in find_mentions(f"le {day} {month} {year}"):
        assert date.fromisoformat(mention.start)


def test_empty():
    check(normalize({}))
    check(normalize(doc("", "")))


def test_impossible_dates():
    result = normalize(doc("Appel à projets", "Date limite de dépôt : 31 février 2027.",
                           fields={"event_start": "31 février 2027"}))
    check(result)
    assert result["deadline"] is None and result["event_start"] is None
    assert parse_date("30/02/2027") is None


def test_other_languages():
    texts = [
        "Call for projects: deadline 15 January 2027. Food banks in London and Berlin.",
        "Aufruf zur Einreichung von Projekten bis zum 3. März 2027 in München.",
        "Convocatoria abierta hasta el 31 de marzo de 2027 en Madrid.",
        "粮食援助项目 2027年3月31日截止",
        "مشروع المساعدة الغذائية",
    ]
    for text in texts:
        result = normalize(doc(text[:40], text))
        check(result)
        assert result["regions"] == [] and result["departements"] == []


def test_five_megabytes_stay_fast():
    rng = random.Random(7)
    words = [*WORDS, "association", "épicerie", "solidaire", "bénévoles", "la", "précarité", "alimentaire", "."]
    text = " ".join(rng.choice(words) for _ in range(900_000))[:5_000_000]
    assert len(text) >= 4_000_000
    normalize(doc("warm-up", "à Toulouse"))
    started = time.perf_counter()
    result = normalize(doc("Un très long document", text))
    check(result)
    assert time.perf_counter() - started < 5


SPACES = st.text(alphabet=st.sampled_from(list("ab -\t\n\r\x0b\x0c\x1c\u00a0\u2009\u202f\u3000é")), max_size=40)


@given(SPACES)
@settings(max_examples=300, deadline=None)
def test_single_spaces_and_squash_are_the_regex_they_replace(text):
    """str.split() stands in for re.sub(r"\\s+", " ", …) on the hot path: same whitespace, same result."""
    from normalizers.text import single_spaces, squash

    assert single_spaces(text) == re.sub(r"\s+", " ", text)
    assert squash(text) == re.sub(r"\s+", " ", text).strip()


LIGATURED = st.text(alphabet=st.sampled_from(list("aeoEÉé œŒæÆß’'ss\u0301")), max_size=40)


@given(LIGATURED)
@settings(max_examples=300, deadline=None)
def test_search_index_spells_ligatures_as_the_translate_table_it_replaces(text):
    """The search index spells ligatures out with str.replace (faster than str.translate with a
    table of multi-letter replacements): same indexed text."""
    import unicodedata

    from glaneur.search_index import _decomposed

    table = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'", "ß": "ss"})
    assert _decomposed(text) == unicodedata.normalize("NFKD", text.translate(table).lower())
