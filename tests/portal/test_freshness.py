"""The running portal serves each new build, without a restart and without a failed request.

Clients loop on the portal while a build is published (by `glaneur build`, then by the
scheduler's rebuild job); every answer must be a success, the new content must show up, and
the portal must let go of the replaced file (no « (deleted) » file held open).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.support import DEMO_TODAY, glaneur, serve_portal

pytestmark = pytest.mark.e2e

PATHS = ["/", "/glaneur/resources", "/glaneur/resources?_facet=type", "/recherche?q=alimentaire",
         "/glaneur/resources.json?_shape=objects", "/glaneur/resources.atom", "/etat-des-sources"]


def _retitle(db_path: Path, marker: str) -> None:
    """A document changes on its site: new title, new content hash (what a crawl would store)."""
    with sqlite3.connect(db_path) as conn:
        doc = conn.execute(
            "select d.id from documents d join resource_sources rs on rs.document_id = d.id "
            "where rs.role = 'principale' order by d.id limit 1").fetchone()[0]
        conn.execute("update documents set title = ?, content_hash = ? where id = ?", [marker, marker, doc])
    conn.close()


def _served_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"datasette" in b" ".join(args) and port.encode() in args:
                return int(entry.name)
    raise AssertionError("processus du portail introuvable")


def _deleted_files(pid: int) -> list[str]:
    found = []
    for fd in (Path(f"/proc/{pid}/fd")).iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith("(deleted)"):
            found.append(target)
    return found


class Clients:
    """Threads requesting the portal in a loop, recording failures and when `marker` appeared."""

    def __init__(self, base: str, marker: str, count: int = 3):
        self.base, self.marker = base, marker
        self.errors: list[tuple[str, object]] = []
        self.requests = 0
        self.seen_at: float | None = None
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(count)]

    def run(self) -> None:
        client = httpx.Client(base_url=self.base, timeout=30)
        while not self.stop.is_set():
            for path in PATHS + [f"/glaneur/resources.json?_search={self.marker}&_shape=array"]:
                try:
                    response = client.get(path)
                except httpx.HTTPError as exc:
                    self.errors.append((path, repr(exc)))
                    continue
                self.requests += 1
                if response.status_code != 200:
                    self.errors.append((path, response.status_code))
                elif "_search=" in path and response.json() and self.seen_at is None:
                    self.seen_at = time.monotonic()

    def __enter__(self) -> Clients:
        for thread in self.threads:
            thread.start()
        time.sleep(1)
        return self

    def wait_for_marker(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.seen_at is None and time.monotonic() < deadline:
            time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


@pytest.fixture
def live_copy(portal_db, tmp_path) -> Path:
    path = tmp_path / "glaneur.db"
    shutil.copy(portal_db, path)
    return path


def test_a_published_build_is_served_without_restart_or_error(live_copy):
    marker = "Sentinelleglaneurfraiche"
    with serve_portal(live_copy) as base, Clients(base, marker) as clients:
        assert not httpx.get(base + f"/glaneur/resources.json?_search={marker}&_shape=array").json()
        _retitle(live_copy, marker)
        published = time.monotonic()
        glaneur("build", "--db", str(live_copy))
        clients.wait_for_marker()
        assert clients.seen_at is not None, "la nouvelle construction n'est jamais servie"
        assert clients.seen_at - published < 60
        time.sleep(2)  # requests begun on the old file end; the next one closes it
        clients.stop.set()
        httpx.get(base + "/")
        assert clients.errors == [], clients.errors[:5]
        assert clients.requests > 20
        assert _deleted_files(_served_pid(base)) == []


def test_the_schedulers_rebuild_is_served_too(live_copy, monkeypatch):
    from schedules import jobs

    monkeypatch.setenv("GLANEUR_TODAY", DEMO_TODAY)
    marker = "Sentinelleplanificateur"
    with serve_portal(live_copy) as base, Clients(base, marker) as clients:
        _retitle(live_copy, marker)
        with sqlite3.connect(live_copy) as conn:  # a crawl has just ended
            conn.execute("insert into crawl_runs (source_id, started, ended, status, mode) "
                         "values ('essai', '2999-01-01T00:00:00', '2999-01-01T00:01:00', 'ok', 'hors-ligne')")
        conn.close()
        assert jobs.rebuild_needed(str(live_copy))
        assert jobs.rebuild(str(live_copy)) == 0
        clients.wait_for_marker()
        assert clients.seen_at is not None, "la reconstruction du planificateur n'est jamais servie"
        clients.stop.set()
        assert clients.errors == [], clients.errors[:5]


def test_the_portal_copy_is_never_the_file_crawls_write(live_copy):
    from glaneur.publish import portal_files

    glaneur("build", "--db", str(live_copy), "--force")
    public, directory = portal_files(live_copy)
    assert public.exists() and directory.exists()
    assert os.stat(public).st_ino != os.stat(live_copy).st_ino
    with sqlite3.connect(public) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    assert "resources" in tables and "acteurs" not in tables and "normalized_cache" not in tables
