"""`glaneur crawl --url … --kind feed|page`: ad-hoc URLs through the same pipeline, failures named."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support import glaneur

FAST = {"GLANEUR_DOWNLOAD_DELAY": "0", "GLANEUR_AUTOTHROTTLE": "0"}


def page(n: int) -> bytes:
    return (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Fiche pratique {n}</title>"
            f"<meta property='article:published_time' content='2026-11-{n % 28 + 1:02d}'></head><body><main>"
            f"<h1>Fiche pratique {n} : épicerie solidaire</h1><p>Une fiche pour ouvrir une épicerie solidaire "
            f"dans sa commune, avec les étapes, les partenaires et le budget (fiche {n}).</p></main></body></html>"
            ).encode()


FEED = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Flux local</title>
<link>http://127.0.0.1/</link><description>Test</description>
<item><title>Webinaire du 3 d\xc3\xa9cembre 2026</title><link>http://127.0.0.1/webinaire</link>
<pubDate>Mon, 16 Nov 2026 09:00:00 +0100</pubDate>
<description>Un webinaire sur la coop\xc3\xa9ration.</description></item>
<item><title>Nouveau guide</title><link>http://127.0.0.1/guide</link>
<pubDate>Tue, 10 Nov 2026 09:00:00 +0100</pubDate><description>Un guide pratique.</description></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        if self.path.startswith("/page-"):
            self._send(200, "text/html; charset=utf-8", page(int(self.path.split("-")[1])))
        elif self.path == "/flux.xml":
            self._send(200, "application/rss+xml", FEED)
        else:
            self._send(404, "text/plain", b"introuvable")

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_pages_stored_and_failing_url_named(site: str, tmp_path: Path):
    db = tmp_path / "adhoc.db"
    result = glaneur("crawl", "--url", f"{site}/page-1", "--url", f"{site}/page-2", "--url", f"{site}/absente",
                     "--kind", "page", "--db", str(db), env=FAST)
    assert f"URL en échec : {site}/absente" in result.stdout
    assert "2 URL collectée(s), 1 en échec." in result.stdout
    con = sqlite3.connect(db)
    rows = con.execute("select url, title, published from documents where source_id = 'adhoc' order by url").fetchall()
    assert rows == [(f"{site}/page-1", "Fiche pratique 1 : épicerie solidaire", "2026-11-02"),
                    (f"{site}/page-2", "Fiche pratique 2 : épicerie solidaire", "2026-11-03")]
    assert con.execute("select count(*) from resources").fetchone()[0] == 2
    con.close()


def test_hundreds_of_urls_from_a_file(site: str, tmp_path: Path):
    urls = [f"{site}/page-{n}" for n in range(1, 151)] + [f"{site}/manquante-1", f"{site}/manquante-2"]
    listing = tmp_path / "urls.txt"
    listing.write_text("# pages à collecter\n" + "\n".join(urls) + "\n", encoding="utf-8")
    db = tmp_path / "many.db"
    result = glaneur("crawl", "--urls-file", str(listing), "--kind", "page", "--no-build", "--db", str(db), env=FAST)
    assert "150 URL collectée(s), 2 en échec." in result.stdout
    assert f"URL en échec : {site}/manquante-2" in result.stdout
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from documents").fetchone()[0] == 150
    con.close()


def test_feed_kind(site: str, tmp_path: Path):
    db = tmp_path / "feed.db"
    glaneur("crawl", "--url", f"{site}/flux.xml", "--kind", "feed", "--no-build", "--db", str(db), env=FAST)
    con = sqlite3.connect(db)
    titles = [r[0] for r in con.execute("select title from documents order by published")]
    assert titles == ["Nouveau guide", "Webinaire du 3 décembre 2026"]
    con.close()


def test_invalid_url_is_refused(tmp_path: Path):
    result = glaneur("crawl", "--url", "ftp://exemple.org/x", "--db", str(tmp_path / "x.db"), check=False)
    assert result.returncode != 0
    assert "URL invalide(s) : ftp://exemple.org/x" in result.stderr
