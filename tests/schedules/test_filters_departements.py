"""The letter's territory filters: régions, départements, and the national resources everyone gets."""

from __future__ import annotations

import pytest

from schedules.digest import Filters, region_of
from schedules.subscribers import SubscriberError, validate_filters


def row(regions=(), departements=(), type_="actualite", themes=()):
    return {"type": type_, "themes": list(themes), "regions": list(regions), "departements": list(departements)}


def test_departement_filter():
    gard = Filters(departements=["30"])
    assert region_of("30") == "76"
    assert gard.matches(row(["76"], ["30"]))
    assert not gard.matches(row(["76"], ["34"]))  # another département of the same région
    assert gard.matches(row(["76"]))  # a regional resource of Occitanie concerns the Gard
    assert not gard.matches(row(["84"]))
    assert gard.matches(row())  # national
    both = Filters(regions=["11"], departements=["30"])
    assert both.matches(row(["11"], ["75"])) and both.matches(row(["76"], ["30"]))
    assert "Département(s) 30" in gard.describe()


def test_departements_are_checked_against_the_cog():
    assert validate_filters(departements="2A,974").departements == ["2A", "974"]
    with pytest.raises(SubscriberError, match="Département"):
        validate_filters(departements="99")


def test_letters_link_to_the_preferences(tmp_path, monkeypatch):
    from schedules.store import open_subscribers_db
    from schedules.subscribers import preferences_url, read_token

    monkeypatch.setenv("GLANEUR_PORTAL_URL", "http://portail.test")
    db = open_subscribers_db(tmp_path / "abonnes.db")
    url = preferences_url(db, "Marie@Exemple.fr")
    assert url.startswith("http://portail.test/preferences?jeton=")
    assert read_token(db, url.split("jeton=")[1]) == "marie@exemple.fr"
