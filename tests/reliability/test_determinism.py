"""Re-running the same offline crawl gives the same content: two databases compared table by table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.support import glaneur

# What legitimately differs between two runs: when things happened.
VOLATILE = {
    "documents": {"fetched_at", "first_seen", "last_seen", "checked_at"},
    "entry_points": {"run_id"},  # points at a crawl_runs row
    "resources": {"updated"},
}
SKIPPED_TABLES = {"crawl_runs"}  # one row per run, with its times: different by definition


def dump(db_path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db_path)
    tables = [name for (name,) in conn.execute(
        "select name from sqlite_master where type = 'table' and name not like '%_fts%' "
        "and name not like 'sqlite_%' order by name")]
    content = {}
    for table in tables:
        if table in SKIPPED_TABLES:
            continue
        columns = [row[1] for row in conn.execute(f"pragma table_info([{table}])")]
        kept = [c for c in columns if c not in VOLATILE.get(table, set())]
        select = ", ".join(f"[{c}]" for c in kept)
        content[table] = sorted(conn.execute(f"select {select} from [{table}]").fetchall(), key=repr)
    conn.close()
    return content


def test_two_offline_crawls_give_the_same_database(offline_db, tmp_path):
    second = tmp_path / "glaneur.db"
    glaneur("crawl", "--offline", "--db", str(second))
    first_dump, second_dump = dump(offline_db), dump(second)
    assert first_dump.keys() == second_dump.keys()
    for table in first_dump:
        assert first_dump[table] == second_dump[table], f"table {table} différente"
    assert len(first_dump["resources"]) > 50
