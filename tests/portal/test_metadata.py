"""Every portal table has a French title in metadata.yml, and the public ones describe their columns."""

from __future__ import annotations

import sqlite3

import pytest
import yaml

from glaneur.paths import DATASETTE_DIR

DESCRIBED = {"glaneur": ("resources", "resource_sources", "evenements_carte", "fiches"), "annuaire": ("acteurs",)}


@pytest.mark.parametrize("database", ["glaneur", "annuaire"])
def test_tables_and_columns_are_documented(portal_db, database):
    from glaneur.publish import ensure_portal

    served = dict(zip(("glaneur", "annuaire"), ensure_portal(portal_db), strict=True))
    tables = yaml.safe_load((DATASETTE_DIR / "metadata.yml").read_text(encoding="utf-8"))["databases"][database][
        "tables"]
    with sqlite3.connect(served[database]) as conn:
        names = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like '%_fts%' "
            "and name not like 'sqlite_%'")]
        for name in names:
            assert name in tables, f"table absente de metadata.yml : {name}"
        for name in DESCRIBED[database]:
            columns = [r[1] for r in conn.execute(f"pragma table_info([{name}])")]
            assert columns, f"table absente de la base servie : {name}"
            missing = [c for c in columns if c not in (tables[name].get("columns") or {})]
            assert not missing, f"{name} : colonnes sans description {missing}"


def test_no_python_package_in_datasette_dir():
    assert not list(DATASETTE_DIR.rglob("__init__.py"))
