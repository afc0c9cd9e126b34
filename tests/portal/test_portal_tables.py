"""What prepare_portal derives, read straight from the built SQLite file."""

from __future__ import annotations

import json
import sqlite3

from glaneur.portal import _wkb_point, datasette_args


def query(path, sql, *params):
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def test_labels_from_taxonomy_and_cog(portal_db):
    labels = {(r["colonne"], r["code"]): r["libelle"] for r in query(portal_db, "select * from libelles")}
    assert labels[("type", "appel_a_projets")] == "Appel à projets / financement"
    assert labels[("themes", "acces_droits")] == "Accès aux droits et démocratie alimentaire"
    assert labels[("regions", "76")] == "Occitanie"
    assert labels[("departements", "2A")] == "Corse-du-Sud (2A)"
    assert labels[("departements", "971")].startswith("Guadeloupe")


def test_deadline_status_against_portal_today(portal_db):
    status = dict((r["id"], r["statut_echeance"]) for r in query(
        portal_db, "select id, statut_echeance from resources where id like 'test-%'"))
    assert status == {"test-aap-ouvert": "ouvert", "test-aap-clos": "clos", "test-formation": None, "test-ssa": None}
    assert query(portal_db, "select value from portal_settings where key = 'today'")[0]["value"] == "2026-11-20"


def test_actors_directory_is_synthetic_placed_and_apart(portal_db):
    from glaneur.publish import ensure_portal

    public, directory = ensure_portal(portal_db)
    for path in (portal_db, public):
        assert not query(path, "select name from sqlite_master where name = 'acteurs'")
    rows = query(directory, "select * from acteurs")
    assert len(rows) >= 20
    assert all(r["latitude"] and r["longitude"] for r in rows)
    assert all("fictif" in r["contact"] and r["donnees"].startswith("Contacts synthétiques") for r in rows)
    assert {r["categorie"] for r in rows} >= {"Épicerie solidaire", "Banque alimentaire", "CCAS"}


def test_sheets_are_indexed(portal_db):
    assert len(query(portal_db, "select slug from fiches")) == 7
    found = query(portal_db, "select rowid from fiches_fts where fiches_fts match '\"logist\"'")
    assert found


def test_wkb_point_is_latitude_longitude():
    assert _wkb_point("01010000009C8A54185B080840738577B988974540") == (43.18386, 3.00408)  # Narbonne
    assert _wkb_point("\\N") is None


def test_serve_arguments_are_read_only_and_bounded(tmp_path):
    db = tmp_path / "autre.db"
    db.touch()
    args = datasette_args(db, 8123)
    assert args[:2] == ["serve", "-i"] and args[2].endswith("glaneur.db")
    settings = dict(zip(args[1::2], args[2::2], strict=False))
    flat = " ".join(args)
    assert "sql_time_limit_ms 3000" in flat and "suggest_facets off" in flat and "allow_download off" in flat
    assert "facet_time_limit_ms" in settings.values() or "facet_time_limit_ms" in flat
    assert args[args.index("--host") + 1] == "127.0.0.1"
    json.dumps(args)
