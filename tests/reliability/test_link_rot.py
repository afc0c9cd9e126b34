"""`glaneur liens`: HEAD then GET, broken links recorded with the date they broke, shown on the
resource page; the last good copy of the text stays."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sqlite_utils

from glaneur.db import open_db
from tests.support import glaneur


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status: int, with_body: bool):
        body = b"<html><body>ok</body></html>" if with_body else b""
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route(self, with_body: bool):
        self.server.seen.append((self.command, self.path))
        if self.path == "/no-head" and self.command == "HEAD":
            return self.answer(405, with_body)
        statuses = {"/vivant": 200, "/no-head": 200, "/disparu": 404, "/retire": 410}
        return self.answer(statuses.get(self.path, 404), with_body)

    def do_HEAD(self):  # noqa: N802
        self.route(False)

    def do_GET(self):  # noqa: N802
        self.route(True)


def test_broken_links_are_recorded(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    db_path = tmp_path / "glaneur.db"
    db = open_db(db_path)
    for n, path in enumerate(["/vivant", "/no-head", "/disparu", "/retire"]):
        db["resources"].insert({"id": f"r{n}", "title": f"Ressource {n}", "type": "evenement", "url": base + path,
                                "event_start": "2027-01-15"})
        db["resource_sources"].insert({"resource_id": f"r{n}", "source_id": "s", "url": base + path,
                                       "document_id": f"d{n}", "role": "principale"})
    db["resource_sources"].insert({"resource_id": "r0", "source_id": "s", "url": "javascript:alert(1)",
                                   "document_id": "dx", "role": "relais"})
    db.close()
    overrides = json.dumps({"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})
    result = glaneur("liens", "--db", str(db_path), env={"GLANEUR_SCRAPY_SETTINGS": overrides})
    server.shutdown()

    assert "4 lien(s) vérifié(s), 2 cassé(s)." in result.stdout
    assert f"cassé  404  {base}/disparu" in result.stdout
    checks = {row["url"]: row for row in sqlite_utils.Database(db_path)["link_checks"].rows}
    assert checks[base + "/vivant"]["ok"] == 1 and checks[base + "/vivant"]["casse_depuis"] is None
    assert checks[base + "/no-head"]["ok"] == 1  # HEAD refused, GET succeeded
    assert ("GET", "/no-head") in server.seen and ("HEAD", "/vivant") in server.seen
    assert ("GET", "/vivant") not in server.seen  # HEAD was enough
    assert checks[base + "/disparu"]["status"] == 404 and checks[base + "/disparu"]["casse_depuis"]
    assert checks[base + "/retire"]["status"] == 410
    assert "javascript:alert(1)" not in checks


def test_resource_page_shows_broken_link(offline_db, tmp_path):
    import shutil
    import urllib.request

    from tests.support import serve_portal

    db_path = tmp_path / "glaneur.db"
    shutil.copy(offline_db, db_path)
    db = sqlite_utils.Database(db_path)
    link = next(db.query("select resource_id, url from resource_sources where role = 'principale' limit 1"))
    db["link_checks"].insert({"url": link["url"], "checked_at": "2026-11-21T08:00:00+00:00", "status": 404,
                              "ok": 0, "casse_depuis": "2026-11-21"}, replace=True)
    db.close()
    with serve_portal(db_path) as base:
        with urllib.request.urlopen(f"{base}/glaneur/resources/{link['resource_id']}", timeout=20) as response:
            page = response.read().decode("utf-8")
    assert "lien cassé depuis le 21 novembre 2026 (HTTP 404)" in page
