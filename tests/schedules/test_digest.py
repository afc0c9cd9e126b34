"""The digest's selection (windows, filters) and its three renderings, including an empty week."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from schedules.digest import Filters, build_digest, render
from tests.schedules.conftest import PORTAL
from tests.support import glaneur

AS_OF = date(2026, 11, 20)
WEEK = timedelta(days=7)


def _ids(digest) -> dict[str, list[str]]:
    return {
        "new": sorted(r["id"] for _, rows in digest.new_by_type for r in rows),
        "calls": [r["id"] for r in digest.calls],
        "events": [r["id"] for r in digest.events],
    }


def test_sections_follow_the_windows(week_db):
    path, _ = week_db
    digest = build_digest(sqlite3.connect(path), AS_OF, WEEK)
    assert _ids(digest) == {"new": ["aap-idf", "etude-nat", "form-occ"], "calls": ["aap-soon"],
                            "events": ["evt-soon"]}
    labels = [label for label, _ in digest.new_by_type]
    assert labels == ["Étude / rapport", "Appel à projets / financement", "Formation"]  # taxonomy order
    assert digest.calls[0]["is_new"] is False
    assert digest.period == "du 13 au 20 novembre 2026"
    assert digest.subject == "Glaneur — 3 nouveautés, 1 appel à projets, 1 rendez-vous (du 13 au 20 novembre 2026)"


def test_region_filter_keeps_national_resources(week_db):
    path, _ = week_db
    digest = build_digest(sqlite3.connect(path), AS_OF, WEEK, Filters(regions=["76"]))
    assert _ids(digest) == {"new": ["etude-nat", "form-occ"], "calls": ["aap-soon"], "events": ["evt-soon"]}


def test_type_and_theme_filters(week_db):
    path, _ = week_db
    conn = sqlite3.connect(path)
    assert _ids(build_digest(conn, AS_OF, WEEK, Filters(types=["formation", "evenement"]))) == {
        "new": ["form-occ"], "calls": [], "events": ["evt-soon"]}
    assert _ids(build_digest(conn, AS_OF, WEEK, Filters(themes=["connaissance"])))["new"] == ["etude-nat"]


def test_excluded_resources_never_come_back(week_db):
    path, _ = week_db
    digest = build_digest(sqlite3.connect(path), AS_OF, WEEK, exclude={"etude-nat", "aap-soon"})
    assert _ids(digest) == {"new": ["aap-idf", "form-occ"], "calls": [], "events": ["evt-soon"]}


def test_links_and_escaping_in_every_format(week_db):
    path, _ = week_db
    digest = build_digest(sqlite3.connect(path), AS_OF, WEEK)
    html, text, md = render(digest, "html"), render(digest, "txt"), render(digest, "md")
    assert f'href="{PORTAL}/glaneur/resources/etude-nat"' in html
    assert 'href="https://src.test/etude-nat"' in html
    assert "Baromètre &amp; enquête &lt;2026&gt;" in html and "<2026>" not in html
    assert "<script" not in html.lower() and "<style" not in html.lower()
    assert f"Portail : {PORTAL}/glaneur/resources/aap-soon" in text
    assert "Date limite : 30 novembre 2026" in text
    assert "Du 4 janvier 2027 au 5 janvier 2027 · Toulouse" in text
    assert f"[Baromètre & enquête \\<2026\\>]({PORTAL}/glaneur/resources/etude-nat)" in md


def test_empty_week_is_short_and_honest(week_db):
    path, _ = week_db
    digest = build_digest(sqlite3.connect(path), date(2027, 6, 1), WEEK)
    assert digest.empty
    assert digest.subject == "Glaneur — rien de nouveau du 25 mai au 1er juin 2027"
    for fmt in ("html", "txt", "md"):
        out = render(digest, fmt)
        assert "Rien de nouveau du 25 mai au 1er juin 2027" in out
        assert "aucun appel à projets ni rendez-vous à venir" in out
        assert len(out) < 4000


def test_cli_writes_the_digest(week_db, tmp_path):
    path, _ = week_db
    out = tmp_path / "lettre.md"
    result = glaneur("digest", "--db", str(path), "--as-of", "2026-11-20", "--region", "76",
                     "--types", "formation,etude", "--format", "md", "--out", str(out),
                     env={"GLANEUR_PORTAL_URL": PORTAL})
    assert "Lettre écrite" in result.stderr
    written = out.read_text(encoding="utf-8")
    assert "## Formation (1)" in written and "## Étude / rapport (1)" in written
    assert "Appel à projets" not in written


def test_cli_empty_week_and_bad_input(week_db):
    path, _ = week_db
    empty = glaneur("digest", "--db", str(path), "--as-of", "2030-01-07")
    assert empty.returncode == 0 and "Rien de nouveau du 31 décembre 2029 au 7 janvier 2030" in empty.stdout
    bad = glaneur("digest", "--db", str(path), "--types", "roman", check=False)
    assert bad.returncode != 0 and "Type(s) inconnu(s) : roman" in bad.stderr


@pytest.mark.parametrize("since,days", [("7d", 7), ("2w", 14), ("10j", 10)])
def test_since_durations(week_db, since, days):
    from schedules.frenchtime import parse_duration

    assert parse_duration(since) == timedelta(days=days)
