"""Publishing is atomic: a build killed midway leaves the served database intact and serving;
a build that fails validation is not published."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import sqlite_utils

from tests.support import DEMO_TODAY, ROOT, glaneur, serve_portal


def add_documents(db_path: Path, start: int, count: int) -> None:
    db = sqlite_utils.Database(db_path)
    rows = [{
        "id": f"synth{n:06d}", "source_id": "reseau-cocagne", "url": f"https://reseaucocagne.org/synth/{n}",
        "kind": "entry", "title": f"Note synthétique {n} sur l'aide alimentaire à Nîmes",
        "summary": "Une note de test.", "text": "Texte synthétique sur les épiceries solidaires du Gard (30). " * 5,
        "published": "2026-10-01", "fields": "{}", "content_hash": f"h{n}", "fetched_at": "2026-11-20T00:00:00+00:00",
        "first_seen": "2026-11-20T00:00:00+00:00", "last_seen": "2026-11-20T00:00:00+00:00",
    } for n in range(start, start + count)]
    db["documents"].insert_all(rows, pk="id")


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def resource_count(db_path: Path) -> int:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        return conn.execute("select count(*) from resources").fetchone()[0]


@pytest.fixture()
def big_db(offline_db, tmp_path) -> Path:
    db = tmp_path / "glaneur.db"
    shutil.copy(offline_db, db)
    add_documents(db, 0, 1500)
    glaneur("build", "--db", str(db))
    return db


def test_killed_build_leaves_served_database_intact(big_db):
    before = resource_count(big_db)
    add_documents(big_db, 1500, 1500)
    with serve_portal(big_db) as base:
        build = subprocess.Popen([sys.executable, "-m", "glaneur", "build", "--db", str(big_db)], cwd=ROOT,
                                 env={"GLANEUR_TODAY": DEMO_TODAY, "PATH": "/usr/bin:/bin"},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        snapshot = big_db.with_name(big_db.name + ".construction")
        deadline = time.monotonic() + 60
        while not snapshot.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert snapshot.exists(), "la construction n'a pas démarré"
        time.sleep(1.0)  # midway: normalizing thousands of documents
        assert build.poll() is None, "la construction a fini trop tôt pour être interrompue"
        workers = children(build.pid)
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=10)
        # Its normalization workers notice and end too, instead of waiting on their queue forever.
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert workers and not any(Path(f"/proc/{pid}").exists() for pid in workers)

        assert resource_count(big_db) == before
        with urllib.request.urlopen(base + "/glaneur/resources.json?_size=1", timeout=10) as response:
            assert response.status == 200
            assert json.load(response)["filtered_table_rows_count"] == before

    glaneur("build", "--db", str(big_db))  # the next build cleans up and publishes
    assert resource_count(big_db) > before
    assert not big_db.with_name(big_db.name + ".construction").exists()


def test_build_that_loses_most_resources_is_not_published(big_db):
    before = resource_count(big_db)
    db = sqlite_utils.Database(big_db)
    db.execute("delete from documents where id like 'synth%'")
    db.conn.commit()
    db.close()
    result = glaneur("build", "--db", str(big_db), check=False)
    assert result.returncode != 0
    assert "publication annulée" in result.stderr and "--force" in result.stderr
    assert resource_count(big_db) == before
    glaneur("build", "--force", "--db", str(big_db))
    assert resource_count(big_db) < before
