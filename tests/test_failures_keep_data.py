"""Bad input and broken sources: clear messages naming the URL, nothing already stored is lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import sqlite_utils
import yaml

from tests.support import ROOT, glaneur

FEED_URL = "https://reseaucocagne.org/feed/"


def registry_with(tmp_path: Path, entries: list[dict]) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
    return path


def cocagne_entry(**changes) -> dict:
    entries = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    entry = next(e for e in entries if e["id"] == "reseau-cocagne")
    entry.update(changes)
    return entry


def last_run(db_path: Path, source_id: str) -> dict:
    db = sqlite_utils.Database(db_path)
    return next(db.query(
        "select * from crawl_runs where source_id = ? order by id desc limit 1", [source_id]
    ))


def test_unrecorded_url_is_an_error_naming_it(tmp_path):
    missing = "https://reseaucocagne.org/feed-qui-n-existe-pas/"
    registry = registry_with(tmp_path, [cocagne_entry(entry_urls=[missing])])
    db = tmp_path / "g.db"
    result = glaneur("crawl", "--offline", "--db", str(db), "--registry", str(registry), check=False)
    assert result.returncode == 1  # every source failed
    run = last_run(db, "reseau-cocagne")
    assert run["status"] == "echec"
    errors = json.loads(run["errors"])
    assert any(f"URL absente du miroir hors ligne : GET {missing}" in e for e in errors), errors
    assert missing in result.stdout


def test_broken_feed_keeps_previous_resources(tmp_path):
    mirror = tmp_path / "mirror"
    shutil.copytree(ROOT / "data" / "mirror" / "reseaucocagne.org", mirror / "reseaucocagne.org")
    registry = registry_with(tmp_path, [cocagne_entry()])
    db = tmp_path / "g.db"
    glaneur("crawl", "--offline", "--db", str(db), "--registry", str(registry), "--mirror", str(mirror))
    before = sqlite_utils.Database(db).execute("select count(*) from resources").fetchone()[0]
    assert before == 3

    # The site now serves a broken feed (with new validators, as a real server would).
    (mirror / "reseaucocagne.org" / "feed.xml").write_text("<rss><channel><item><title>tronqu", encoding="utf-8")
    index = mirror / "reseaucocagne.org" / "_index.yaml"
    entries = yaml.safe_load(index.read_text(encoding="utf-8"))
    for entry in entries:
        entry.pop("headers", None)
    index.write_text(yaml.safe_dump(entries), encoding="utf-8")
    result = glaneur("crawl", "--offline", "--db", str(db), "--registry", str(registry),
                     "--mirror", str(mirror), check=False)
    assert "Traceback" not in result.stdout + result.stderr
    run = last_run(db, "reseau-cocagne")
    assert run["status"] == "echec"
    assert FEED_URL in run["errors"]
    after = sqlite_utils.Database(db)
    assert after.execute("select count(*) from resources").fetchone()[0] == before
    assert after.execute("select count(*) from documents").fetchone()[0] == before


def test_invalid_registry_is_a_french_message(tmp_path):
    registry = registry_with(tmp_path, [cocagne_entry(kind="telepathie")])
    result = glaneur("sources", "list", "--registry", str(registry), check=False)
    assert result.returncode != 0
    assert "type de connecteur « telepathie » inconnu" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_source_is_refused(tmp_path):
    result = glaneur("crawl", "--offline", "--source", "inconnue", "--db", str(tmp_path / "g.db"), check=False)
    assert result.returncode != 0
    assert "Source(s) inconnue(s) : inconnue" in result.stderr
