"""Every portal table has a French title in metadata.yml, and the public ones describe their columns."""

from __future__ import annotations

import sqlite3

import yaml

from glaneur.paths import DATASETTE_DIR

DESCRIBED = ("resources", "resource_sources", "acteurs", "evenements_carte", "fiches")


def test_tables_and_columns_are_documented(portal_db):
    tables = yaml.safe_load((DATASETTE_DIR / "metadata.yml").read_text(encoding="utf-8"))["databases"]["glaneur"][
        "tables"]
    with sqlite3.connect(portal_db) as conn:
        names = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like '%_fts%' "
            "and name not like 'sqlite_%'")]
        for name in names:
            assert name in tables, f"table absente de metadata.yml : {name}"
        for name in DESCRIBED:
            columns = [r[1] for r in conn.execute(f"pragma table_info([{name}])")]
            missing = [c for c in columns if c not in (tables[name].get("columns") or {})]
            assert not missing, f"{name} : colonnes sans description {missing}"


def test_no_python_package_in_datasette_dir():
    assert not list(DATASETTE_DIR.rglob("__init__.py"))
