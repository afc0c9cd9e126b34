"""The systemd units of docs/production.md are valid (systemd-analyze verify, where available)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

UNITS = sorted((ROOT / "docs" / "systemd").glob("*.service"))


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze absent de cette machine")
def test_units_verify(tmp_path):
    assert {u.name for u in UNITS} == {"glaneur-portail.service", "glaneur-planificateur.service"}
    glaneur = Path(sys.executable).with_name("glaneur")  # the installed command, in place of /srv/glaneur's
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace("/srv/glaneur/.venv/bin/glaneur", str(glaneur))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", *map(str, tmp_path.glob("*.service"))],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_units_run_the_real_commands():
    texts = {u.name: u.read_text(encoding="utf-8") for u in UNITS}
    assert "glaneur serve --db /srv/glaneur/data/glaneur.db" in texts["glaneur-portail.service"]
    assert "glaneur schedule --db /srv/glaneur/data/glaneur.db" in texts["glaneur-planificateur.service"]
    result = subprocess.run([sys.executable, "-m", "glaneur", "schedule", "--help"], capture_output=True, text=True)
    assert result.returncode == 0


def test_whole_selection_drops_the_page_limit_of_tables_and_paged_queries_only():
    from glaneur.selection import whole_selection_sql

    table_page = "select id, title from resources where type = :p0 order by id limit 31"
    assert whole_selection_sql(table_page, "resources", {"p0": "formation"}) == \
        "select id, title from resources where type = :p0 order by id"
    paged = ("select id from resources\n"
             "  limit 100 offset 100 * (max(coalesce(cast(nullif(:page, '') as integer), 1), 1) - 1)")
    assert whole_selection_sql(paged, None, {"page": ""}) == "select id from resources"
    assert whole_selection_sql("select id from resources limit 5", None, {}) is None  # the visitor's own limit
    assert whole_selection_sql("select id from resources", "resources", {}) is None


def test_search_index_reads_each_label_column_in_its_place_when_one_is_missing(tmp_path):
    import sqlite_utils

    from glaneur.search_index import fts_query, refresh_search_index

    db = sqlite_utils.Database(tmp_path / "g.db")
    # No `audiences` column: the régions must still be read as régions, not as audiences.
    db["resources"].insert({"id": "r1", "title": "Épicerie", "summary": "", "text": "", "type": "outil",
                            "themes": "[]", "regions": '["52"]', "departements": "[]", "organisations": "[]"})
    refresh_search_index(db)
    found = db.execute("select count(*) from resources_fts where resources_fts match ?",
                       [fts_query("Pays de la Loire")]).fetchone()[0]
    assert found == 1
