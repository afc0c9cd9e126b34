"""The bad-input corpus: each case gives a clear message (console and crawl_runs) naming the URL,
and nothing else is lost. One real live-mode crawl against a loopback server serves every case."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlite_utils
import yaml

from tests.support import glaneur

CORPUS = Path(__file__).parent / "corpus"
FEEDS = ["malformed", "truncated", "missing-fields", "latin1", "cp1252", "hostile", "dup-guid", "odd-dates",
         "long-title"]
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


class CorpusHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        path = self.path
        if path.startswith("/feeds/"):
            name = path.removeprefix("/feeds/")
            body = (CORPUS / name).read_bytes().replace(b"{BASE}", base.encode())
            # latin1.xml lies: Latin-1 bytes declared as UTF-8; cp1252.xml declares no charset.
            ctype = {"cp1252.xml": "application/rss+xml"}.get(name, "application/rss+xml; charset=utf-8")
            return self.send(200, body, ctype)
        if path == "/listing":
            return self.send(200, (CORPUS / "listing.html").read_bytes())
        if path == "/page/hostile-html":
            return self.send(200, (CORPUS / "hostile.html").read_bytes())
        if path == "/page/with-pdfs":
            return self.send(200, (CORPUS / "with-pdfs.html").read_bytes())
        if path.startswith("/docs/"):
            return self.send(200, (CORPUS / path.removeprefix("/docs/")).read_bytes(), "application/pdf")
        if path == "/big":
            return self.send(200, b"<html><body>" + b"<p>trop gros</p>" * 200_000 + b"</body></html>")
        if path == "/image.png":
            return self.send(200, PNG, "image/png")
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            return self.send(code, b"erreur", Retry_After="1") if code == 503 else self.send(code, b"erreur")
        if path in ("/loop", "/loop2"):
            return self.send(302, b"", Location="/loop2" if path == "/loop" else "/loop")
        if path == "/slow":
            time.sleep(3)
            return self.send(200, b"<html><body>trop tard</body></html>")
        return self.send(404, b"absent")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the crawler hangs up on /slow and /big on purpose


@pytest.fixture(scope="module")
def corpus_crawl(tmp_path_factory):
    server = QuietServer(("127.0.0.1", 0), CorpusHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    tmp = tmp_path_factory.mktemp("corpus")
    sources = [
        {"id": f"flux-{name}", "name": f"Cas {name}", "organisation": "Corpus", "homepage": base + "/",
         "kind": "feed", "entry_urls": [f"{base}/feeds/{name}.xml"]}
        for name in FEEDS
    ] + [{
        "id": "listing-piege", "name": "Listing piégé", "organisation": "Corpus", "homepage": base + "/",
        "kind": "listing", "entry_urls": [base + "/listing"], "follow_pdfs": True,
        "listing": {"item_links": "a.item::attr(href)"},
    }]
    registry = tmp / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True), encoding="utf-8")
    db = tmp / "g.db"
    overrides = {"DOWNLOAD_TIMEOUT": 1, "DOWNLOAD_MAXSIZE": 1_000_000, "DOWNLOAD_WARNSIZE": 500_000,
                 "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_TIMES": 1,
                 "GLANEUR_BACKOFF_BASE": 0.1}
    result = glaneur("crawl", "--db", str(db), "--registry", str(registry),
                     env={"GLANEUR_SCRAPY_SETTINGS": json.dumps(overrides)}, check=False, timeout=180)
    server.shutdown()
    server.server_close()
    return base, sqlite_utils.Database(db), result


def run_of(db, source_id: str) -> dict:
    row = next(db.query("select * from crawl_runs where source_id = ? order by id desc limit 1", [source_id]))
    row["errors"] = json.loads(row["errors"] or "[]")
    return row


def docs_of(db, source_id: str) -> list[dict]:
    return list(db.query("select * from documents where source_id = ? order by url", [source_id]))


def test_no_traceback_and_errors_on_console(corpus_crawl):
    base, _, result = corpus_crawl
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert f"Flux illisible : {base}/feeds/malformed.xml" in result.stdout


def test_malformed_feed(corpus_crawl):
    base, db, _ = corpus_crawl
    run = run_of(db, "flux-malformed")
    assert run["status"] == "echec"
    assert any(f"{base}/feeds/malformed.xml" in e for e in run["errors"])


def test_truncated_feed_keeps_complete_entries(corpus_crawl):
    base, db, _ = corpus_crawl
    assert [d["title"] for d in docs_of(db, "flux-truncated")] == ["Premier article complet",
                                                                    "Deuxième article complet"]
    assert any(f"{base}/feeds/truncated.xml" in e for e in run_of(db, "flux-truncated")["errors"])


def test_entries_without_title_or_link(corpus_crawl):
    base, db, _ = corpus_crawl
    docs = {d["url"]: d for d in docs_of(db, "flux-missing-fields")}
    assert set(docs) == {f"{base}/page/sans-titre", f"{base}/page/complete"}
    assert docs[f"{base}/page/sans-titre"]["title"].startswith("Une entrée sans titre")
    assert any("sans lien" in e and "Entrée sans lien" in e for e in run_of(db, "flux-missing-fields")["errors"])


def test_wrong_encodings_are_decoded(corpus_crawl):
    _, db, _ = corpus_crawl
    assert docs_of(db, "flux-latin1")[0]["title"] == "Épicerie solidaire à Nîmes : bilan de l'année"
    assert docs_of(db, "flux-cp1252")[0]["title"] == "L’aide alimentaire “solidaire” en 2026"


def test_hostile_feed_is_sanitized(corpus_crawl):
    _, db, _ = corpus_crawl
    docs = docs_of(db, "flux-hostile")
    assert len(docs) == 1
    stored = json.dumps(docs[0], ensure_ascii=False, default=str)
    for needle in ("<script", "onerror", "onclick", "<iframe", "alert("):
        assert needle not in docs[0]["title"] + docs[0]["summary"] + docs[0]["text"], needle
    assert "javascript:" not in stored
    assert docs[0]["title"] == "Atelier cuisine"
    assert any("Lien refusé" in e and "javascript:" in e for e in run_of(db, "flux-hostile")["errors"])


def test_duplicate_guids_store_one_document(corpus_crawl):
    _, db, _ = corpus_crawl
    assert len(docs_of(db, "flux-dup-guid")) == 1


def test_implausible_dates_are_dropped(corpus_crawl):
    _, db, _ = corpus_crawl
    published = [r["published"] for r in db.query(
        "select r.published from resources r join resource_sources rs on rs.resource_id = r.id "
        "where rs.source_id = 'flux-odd-dates'")]
    assert published == [None, None]


def test_huge_title_is_capped(corpus_crawl):
    _, db, _ = corpus_crawl
    doc = docs_of(db, "flux-long-title")[0]
    assert 100 < len(doc["title"]) <= 1000
    title = next(db.query("select title from resources where url = ?", [doc["url"]]))["title"]
    assert len(title) <= 500


@pytest.mark.parametrize("path, expected", [
    ("/big", "/big"),
    ("/image.png", "Type de contenu non pris en charge"),
    ("/status/404", "HTTP 404"),
    ("/status/410", "HTTP 410"),
    ("/status/500", "HTTP 500"),
    ("/status/503", "HTTP 503"),
    ("/loop", "/loop"),
    ("/slow", "/slow"),
    ("/docs/corrompu.pdf", "PDF illisible"),
    ("/docs/chiffre.pdf", "PDF chiffré"),
])
def test_listing_failures_name_the_url(corpus_crawl, path, expected):
    base, db, _ = corpus_crawl
    errors = run_of(db, "listing-piege")["errors"]
    assert any(base + path in e and expected in e for e in errors), errors


def test_listing_keeps_what_is_good(corpus_crawl):
    base, db, _ = corpus_crawl
    run = run_of(db, "listing-piege")
    assert run["status"] == "partiel"
    docs = {d["url"]: d for d in docs_of(db, "listing-piege")}
    assert f"{base}/page/hostile-html" in docs and f"{base}/page/with-pdfs" in docs
    text = docs[f"{base}/page/hostile-html"]["text"]
    assert "Texte légitime" in text and "alert(" not in text
