"""`enabled: false` switches a source off without deleting what it contributed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml

from glaneur.paths import REGISTRY_FILE
from tests.support import glaneur


def _registry(tmp_path: Path, enabled: bool) -> Path:
    data = yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))
    keep = [s for s in data["sources"] if s["id"] in ("gesmip", "solinum")]
    for source in keep:
        if source["id"] == "solinum":
            source["enabled"] = enabled
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": keep}, allow_unicode=True), encoding="utf-8")
    return path


def test_disabled_source_is_skipped_and_keeps_its_resources(tmp_path: Path):
    db = tmp_path / "g.db"
    glaneur("crawl", "--offline", "--db", str(db), "--registry", str(_registry(tmp_path, True)))
    result = glaneur("crawl", "--offline", "--db", str(db), "--registry", str(_registry(tmp_path, False)))
    assert "Source(s) désactivée(s), non collectée(s) : solinum" in result.stderr
    con = sqlite3.connect(db)
    runs = dict(con.execute("select source_id, count(*) from crawl_runs group by source_id"))
    assert runs == {"gesmip": 2, "solinum": 1}  # not crawled the second time
    kept = con.execute("select count(*) from resource_sources where source_id = 'solinum'").fetchone()[0]
    assert kept == 2  # the rebuild after the second crawl still publishes them
    con.close()


def test_registry_keeps_an_archived_source_disabled():
    from glaneur.registry import load_registry

    sources = {s.id: s for s in load_registry()}
    assert sources["rnpat-archive"].enabled is False
    assert len(sources) >= 25
