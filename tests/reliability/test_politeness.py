"""Live mode is polite: robots.txt obeyed, ≤ 2 concurrent requests per domain, identifying UA,
backoff on 503 with Retry-After. Runs a real crawl against a loopback server that counts."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlite_utils
import yaml

from tests.support import glaneur

ARTICLES = 8


class PoliteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address):
        super().__init__(address, Handler)
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.paths: list[str] = []
        self.user_agents: set[str] = set()
        self.client_ports: set[int] = set()
        self.busy_once = True
        self.times: dict[str, list[float]] = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status: int, body: str = "", ctype: str = "text/html; charset=utf-8", headers=None):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802
        server: PoliteServer = self.server
        with server.lock:
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
            server.paths.append(self.path)
            server.times.setdefault(self.path, []).append(time.monotonic())
            server.user_agents.add(self.headers.get("User-Agent", ""))
            server.client_ports.add(self.client_address[1])
        try:
            time.sleep(0.15)  # long enough for concurrent requests to overlap
            if self.path == "/robots.txt":
                self.reply(200, "User-agent: *\nDisallow: /prive/\n", "text/plain")
            elif self.path == "/liste":
                links = "".join(f'<a class="item" href="/a/{i}">Article {i}</a>' for i in range(ARTICLES))
                self.reply(200, f"<html><body>{links}<a class='item' href='/prive/secret'>Secret</a></body></html>")
            elif self.path == "/a/3" and server.busy_once:
                server.busy_once = False
                self.reply(503, "occupé", headers={"Retry-After": "1"})
            elif self.path.startswith("/a/"):
                text = "Texte sur la précarité alimentaire. " * 20
                self.reply(200, "<html><head><title>Article</title></head><body><article><h1>Article "
                           f"{self.path}</h1><p>{text}</p></article></body></html>")
            else:
                self.reply(404, "absent")
        finally:
            with server.lock:
                server.in_flight -= 1


@pytest.fixture()
def polite_server():
    server = PoliteServer(("127.0.0.1", 0))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_live_crawl_is_polite(tmp_path, polite_server):
    base = f"http://127.0.0.1:{polite_server.server_address[1]}"
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [{
        "id": "poli", "name": "Site de test", "organisation": "Test", "homepage": base + "/",
        "kind": "listing", "entry_urls": [base + "/liste"], "listing": {"item_links": "a.item::attr(href)"},
    }]}), encoding="utf-8")
    db = tmp_path / "g.db"
    # Delays shortened through the documented settings override; concurrency limits stay as shipped.
    glaneur("crawl", "--no-build", "--db", str(db), "--registry", str(registry),
            env={"GLANEUR_SCRAPY_SETTINGS": '{"DOWNLOAD_DELAY": 0.05, "AUTOTHROTTLE_START_DELAY": 0.05}'},
            timeout=120)
    assert polite_server.paths[0] == "/robots.txt"
    assert "/prive/secret" not in polite_server.paths
    assert polite_server.max_in_flight <= 2
    assert all(ua.startswith("Glaneur/") and "+http" in ua for ua in polite_server.user_agents)
    assert polite_server.paths.count("/a/3") == 2  # 503 + Retry-After: 1, then retried…
    first, second = polite_server.times["/a/3"]
    assert second - first >= 1.0  # …only after the pause the server asked for
    stored = {row["url"] for row in sqlite_utils.Database(db)["documents"].rows}
    assert {f"{base}/a/{i}" for i in range(ARTICLES)} <= stored


def test_two_requests_per_domain_even_without_delay(tmp_path, polite_server):
    """Scrapy 2.19 on asyncio started a domain's whole queue at once when no delay was set
    (spiders/downloader.py): the limit holds, and the two connections are kept alive."""
    base = f"http://127.0.0.1:{polite_server.server_address[1]}"
    polite_server.busy_once = False
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [{
        "id": "poli", "name": "Site de test", "organisation": "Test", "homepage": base + "/",
        "kind": "listing", "entry_urls": [base + "/liste"], "listing": {"item_links": "a.item::attr(href)"},
    }]}), encoding="utf-8")
    glaneur("crawl", "--no-build", "--db", str(tmp_path / "g.db"), "--registry", str(registry),
            env={"GLANEUR_SCRAPY_SETTINGS": '{"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": false}'}, timeout=120)
    assert len(polite_server.paths) == ARTICLES + 2  # robots.txt, the listing, the articles
    assert polite_server.max_in_flight == 2
    assert len(polite_server.client_ports) <= 3  # persistent connections, not one per request
    assert all(ua.isascii() for ua in polite_server.user_agents)  # header values travel as ASCII
