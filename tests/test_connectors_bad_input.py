"""A site whose markup changed: the run says which selector found nothing; documents stay."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import yaml

from glaneur.paths import MIRROR_DIR, REGISTRY_FILE
from tests.support import glaneur

HOST = "www.secourspopulaire.fr"


def _setup(tmp_path: Path, date_selector: str | None = None) -> tuple[Path, Path]:
    data = yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))
    source = next(s for s in data["sources"] if s["id"] == "secours-populaire")
    if date_selector:
        source["listing"]["date"] = date_selector
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [source]}, allow_unicode=True), encoding="utf-8")
    mirror = tmp_path / "mirror"
    shutil.copytree(MIRROR_DIR / HOST, mirror / HOST)
    return registry, mirror


def _last_run(db: Path) -> tuple[str, list[str]]:
    con = sqlite3.connect(db)
    status, errors = con.execute("select status, errors from crawl_runs order by id desc limit 1").fetchone()
    con.close()
    return status, json.loads(errors)


def test_changed_listing_is_flagged_and_previous_documents_stay(tmp_path: Path):
    registry, mirror = _setup(tmp_path)
    db = tmp_path / "b.db"
    common = ("--offline", "--no-cache", "--db", str(db), "--registry", str(registry), "--mirror", str(mirror))
    glaneur("crawl", *common)
    listing = mirror / HOST / "nos-publications.html"
    listing.write_text(listing.read_text(encoding="utf-8").replace("publication__title", "teaser-title"),
                       encoding="utf-8")
    result = glaneur("crawl", *common, check=False)
    assert result.returncode == 1  # every source failed
    status, errors = _last_run(db)
    assert status == "echec"
    assert any("listing.item_links « .publication__title a::attr(href) » ne trouve rien" in e for e in errors)
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from documents where source_id = 'secours-populaire'").fetchone()[0] == 2
    assert con.execute("select count(*) from resources").fetchone()[0] == 2
    con.close()


def test_detail_selector_matching_nothing_is_named(tmp_path: Path):
    registry, mirror = _setup(tmp_path, date_selector=".date-publication")
    db = tmp_path / "d.db"
    glaneur("crawl", "--offline", "--no-build", "--db", str(db), "--registry", str(registry), "--mirror", str(mirror))
    status, errors = _last_run(db)
    assert status == "partiel"
    assert errors == ["Le sélecteur listing.date « .date-publication » ne trouve rien sur les 2 page(s) de détail"]
