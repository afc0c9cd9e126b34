"""Canonical URLs: every spelling of one page gives one key."""

import pytest

from dedup.keys import canonical_url

PAGE = "https://exemple.org/actualites/appel-a-projets"


@pytest.mark.parametrize("url", [
    "http://exemple.org/actualites/appel-a-projets",
    "https://www.exemple.org/actualites/appel-a-projets/",
    "https://EXEMPLE.org/actualites/appel-a-projets?utm_source=rss&utm_medium=flux",
    "https://exemple.org/actualites/appel-a-projets?xtor=RSS-3",
    "https://exemple.org/actualites/appel-a-projets?fbclid=abc&mtm_campaign=x",
    "https://exemple.org/actualites/appel-a-projets#commentaires",
    "https://exemple.org/actualites/appel-a-projets/amp/",
    "https://exemple.org/actualites/appel-a-projets?amp=1",
    "https://amp.exemple.org/actualites/appel-a-projets",
    "https://exemple.org/amp/actualites/appel-a-projets",
    "https://exemple.org/actualites/appel-a-projets.amp",
    "https://exemple.org/actualites/appel-a-projets/index.html",
])
def test_spellings_of_one_page_share_a_key(url):
    assert canonical_url(url) == PAGE


def test_meaningful_query_is_kept_and_sorted():
    assert canonical_url("https://exemple.org/aide?id=3&page=2") == "https://exemple.org/aide?id=3&page=2"
    assert canonical_url("https://exemple.org/aide?page=2&id=3") == canonical_url("https://exemple.org/aide?id=3&page=2")
    assert canonical_url("https://exemple.org/aide?id=3") != canonical_url("https://exemple.org/aide?id=4")


def test_empty_url():
    assert canonical_url("") == ""
