"""Corrections and roles without a server: checks of values, undo order, publication, accounts file."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from glaneur.corrections import (
    CorrectionError,
    all_corrections,
    clean,
    in_force,
    open_edition_db,
    record,
    set_value,
    status_report,
    sync_published,
    undo,
)
from glaneur.portal import load_account_records, load_accounts, save_accounts
from glaneur.roles import RoleError, effective_roles, role_slug


def test_clean_checks_slugs_codes_and_dates():
    assert clean("type", {"type": "formation"}) == {"type": "formation"}
    with pytest.raises(CorrectionError, match="n'est pas un type"):
        clean("type", {"type": "webinaire"})
    assert clean("themes", {"themes": ["pat", "logistique", "pat"]}) == {"themes": ["logistique", "pat"]}
    with pytest.raises(CorrectionError, match="valeur inconnue inventé"):
        clean("audiences", {"audiences": ["benevoles", "inventé"]})
    assert clean("territoires", {"regions": [], "departements": "30; 2a"}) == \
        {"regions": ["76", "94"], "departements": ["2A", "30"], "scope": "local"}
    assert clean("territoires", {"regions": ["11"], "departements": ""})["scope"] == "regional"
    assert clean("territoires", {"regions": [], "departements": ""})["scope"] == "national"
    with pytest.raises(CorrectionError) as bad:
        clean("territoires", {"regions": [], "departements": "30, 96"})
    assert bad.value.field == "departements" and "96" in str(bad.value)
    assert clean("deadline", {"deadline": " 2026-12-05 "}) == {"deadline": "2026-12-05"}
    assert clean("deadline", {"deadline": ""}) == {"deadline": None}
    for wrong in ("05/12/2026", "2026-02-30", "1890-01-01"):
        with pytest.raises(CorrectionError):
            clean("deadline", {"deadline": wrong})
    assert clean("evenement", {"event_start": "2026-12-10", "event_end": ""}) == \
        {"event_start": "2026-12-10", "event_end": "2026-12-10"}
    with pytest.raises(CorrectionError, match="la fin précède le début"):
        clean("evenement", {"event_start": "2026-12-10", "event_end": "2026-12-09"})
    with pytest.raises(CorrectionError, match="premier jour"):
        clean("evenement", {"event_start": "", "event_end": "2026-12-09"})
    assert clean("location", {"location": "  Nîmes \n"}) == {"location": "Nîmes"}
    with pytest.raises(CorrectionError, match="200 au plus"):
        clean("location", {"location": "x" * 201})


def test_latest_in_force_wins_and_undo_brings_back_the_previous(tmp_path):
    db = open_edition_db(tmp_path / "edition.db")
    first = record(db, "r1", "d1", "location", {"location": "Nîmes"}, {"location": None}, "camille", "un")
    second = record(db, "r1", "d1", "location", {"location": "Alès"}, {"location": "Nîmes"}, "dominique", "deux")
    with pytest.raises(CorrectionError, match="pourquoi"):
        record(db, "r1", "d1", "type", {"type": "etude"}, {}, "camille", "  ")
    state = {r["id"]: r["etat"] for r in status_report(_built(tmp_path), all_corrections(db))}
    assert state == {first["id"]: "remplacée par une correction plus récente", second["id"]: "en vigueur"}
    undo(db, second["id"], "camille", "erreur")
    with pytest.raises(CorrectionError, match="déjà annulée"):
        undo(db, second["id"], "camille")
    assert [c["id"] for c in in_force(all_corrections(db))] == [first["id"]]
    state = {r["id"]: r["etat"] for r in status_report(_built(tmp_path), all_corrections(db))}
    assert state[first["id"]] == "en vigueur" and state[second["id"]].startswith("annulée le")
    actions = [r[0] for r in db.execute("select action from journal order by id")]
    assert actions == ["correction", "correction", "annulation"]


def _built(tmp_path):
    """A tiny built database: one resource r1 whose principal document is d1."""
    import sqlite_utils

    db = sqlite_utils.Database(tmp_path / "mini.db")
    if not db["resources"].exists():
        db["resources"].insert({"id": "r1", "title": "Atelier", "type": "evenement", "location": None}, pk="id")
        db["resource_sources"].insert({"resource_id": "r1", "document_id": "d1", "role": "principale"})
    return db


def test_a_slug_no_longer_in_the_taxonomy_is_reported_invalid(tmp_path):
    db = open_edition_db(tmp_path / "edition.db")
    db["corrections"].insert({"resource_id": "r1", "document_id": "d1", "field": "type",
                              "value": json.dumps({"type": "ancien_type"}), "before": "{}", "reason": "test",
                              "author": "camille", "created": "2026-11-20T10:00:00+00:00"})
    [row] = status_report(_built(tmp_path), all_corrections(db))
    assert row["etat"].startswith("invalide : Type de ressource : « ancien_type »")


def test_publication_applies_corrections_recorded_after_the_build(offline_db, tmp_path, monkeypatch):
    """A correction recorded while a build runs reaches the portal with that build's publication."""
    from glaneur.publish import portal_files, publish_portal

    db_path = tmp_path / "glaneur.db"
    shutil.copy(offline_db, db_path)
    monkeypatch.setenv("GLANEUR_EDITION_DB", str(tmp_path / "edition.db"))
    with sqlite3.connect(db_path) as conn:
        rid, doc, summary = conn.execute(
            "select r.id, rs.document_id, r.summary from resources r join resource_sources rs "
            "on rs.resource_id = r.id and rs.role = 'principale' order by r.id limit 1").fetchone()
    conn.close()
    edition = open_edition_db(tmp_path / "edition.db")
    record(edition, rid, doc, "summary", {"summary": "Résumé des éditeurs."}, {"summary": summary}, "camille", "x")
    edition.close()
    publish_portal(db_path)  # the working database was built without it
    public, _ = portal_files(db_path)
    with sqlite3.connect(public) as conn:
        assert conn.execute("select summary from resources where id = ?", [rid]).fetchone() == ("Résumé des éditeurs.",)
        assert conn.execute("select champ from corrections_appliquees").fetchall() == [("summary",)]
        assert conn.execute("select count(*) from resources_fts where resources_fts match 'editeur'").fetchone()[0]
        conn.execute("insert into resources_fts (resources_fts) values ('integrity-check')")
    conn.close()
    # Nothing to change the second time; once undone, the normalized summary comes back.
    assert sync_published(public, in_force(all_corrections(open_edition_db(tmp_path / "edition.db")))) == set()
    edition = open_edition_db(tmp_path / "edition.db")
    undo(edition, 1, "camille")
    assert sync_published(public, in_force(all_corrections(edition))) == {rid}
    with sqlite3.connect(public) as conn:
        assert conn.execute("select summary from resources where id = ?", [rid]).fetchone() == (summary,)
        assert conn.execute("select count(*) from corrections_appliquees").fetchone() == (0,)
        conn.execute("insert into resources_fts (resources_fts) values ('integrity-check')")
    conn.close()


def test_roles_and_the_accounts_file(tmp_path, monkeypatch):
    from glaneur.cli_portal import comptes

    assert role_slug("Éditeur") == role_slug("editrice") == "editeur"
    with pytest.raises(RoleError, match="Rôle inconnu"):
        role_slug("superviseur")
    assert effective_roles(["administrateur"]) == {"administrateur", "editeur", "professionnel"}
    assert effective_roles([]) == {"professionnel"}

    path = tmp_path / "comptes.json"
    monkeypatch.setenv("GLANEUR_ACCOUNTS", str(path))
    monkeypatch.setenv("GLANEUR_EDITION_DB", str(tmp_path / "edition.db"))
    runner = CliRunner()
    assert runner.invoke(comptes, ["add", "camille", "--password-stdin"], input="assez-long-1\n").exit_code == 0
    assert isinstance(json.loads(path.read_text())["camille"], str)  # the file's original form
    given = runner.invoke(comptes, ["role", "camille", "éditeur"])
    assert given.exit_code == 0 and "professionnel, éditeur" in given.output
    hashed = load_accounts(path)["camille"]
    # A new password keeps the roles; the login keeps reading a plain hash.
    assert runner.invoke(comptes, ["add", "camille", "--password-stdin"], input="autre-secret-2\n").exit_code == 0
    assert load_account_records(path)["camille"]["roles"] == ["editeur"] and load_accounts(path)["camille"] != hashed
    assert runner.invoke(comptes, ["role", "personne", "éditeur"]).exit_code != 0
    assert "Rôle inconnu" in runner.invoke(comptes, ["role", "camille", "chef"]).output
    refused = runner.invoke(comptes, ["role", "camille", "professionnel", "--retirer"])
    assert refused.exit_code != 0 and "supprimez le compte" in refused.output
    assert runner.invoke(comptes, ["role", "camille", "éditeur", "--retirer"]).exit_code == 0
    assert isinstance(json.loads(path.read_text())["camille"], str)
    save_accounts(load_account_records(path), path)  # records round-trip
    assert load_account_records(path)["camille"]["roles"] == []
    db = open_edition_db(tmp_path / "edition.db")
    assert [r[0] for r in db.execute("select action from journal order by id")] == ["rôle donné", "rôle retiré"]


def test_corrected_event_dates_drop_the_hours_read_from_the_page():
    row = {"event_start": "2026-12-08", "event_end": "2026-12-08", "event_start_time": "10:00",
           "event_end_time": "12:00"}
    set_value(row, {"event_start": "2026-12-08", "event_end": "2026-12-08"})
    assert (row["event_start_time"], row["event_end_time"]) == ("10:00", "12:00")  # same dates: kept
    set_value(row, {"event_start": "2026-12-15", "event_end": "2026-12-15"})
    assert (row["event_start_time"], row["event_end_time"]) == (None, None)
    update: dict = {}  # a publication writes only what changes, read against the stored row
    set_value(update, {"event_start": "2026-12-09", "event_end": "2026-12-09"},
              {"event_start": "2026-12-08", "event_end": "2026-12-08", "event_start_time": "10:00"})
    assert update == {"event_start_time": None, "event_end_time": None, "event_start": "2026-12-09",
                      "event_end": "2026-12-09"}
