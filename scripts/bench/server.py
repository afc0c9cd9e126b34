"""Loopback HTTP servers for the benchmark mirror: one per site on 127.0.0.N, with latency,
ETag / Last-Modified validation (304), and counters of requests and bytes served."""

from __future__ import annotations

import hashlib
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CONTENT_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".html": "text/html; charset=utf-8",
                 ".pdf": "application/pdf"}
LAST_MODIFIED = formatdate(1_780_000_000, usegmt=True)


class Counters:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.not_modified = 0
        self.bytes = 0

    def add(self, size: int, not_modified: bool = False) -> None:
        with self.lock:
            self.requests += 1
            self.bytes += size
            self.not_modified += int(not_modified)

    def reset(self) -> None:
        with self.lock:
            self.requests = self.not_modified = self.bytes = 0


def make_handler(site_dir: Path, base: str, latency: float, counters: Counters):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            time.sleep(latency)
            path = (site_dir / self.path.split("?")[0].lstrip("/")).resolve()
            if site_dir not in path.parents or not path.is_file():
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                counters.add(0)
                return
            body = path.read_bytes()
            if path.suffix == ".xml":
                body = body.replace(b"{BASE}", base.encode())
            etag = '"' + hashlib.md5(body).hexdigest() + '"'
            # RFC 9110: If-None-Match, when sent, decides; If-Modified-Since only without it.
            validator = self.headers.get("If-None-Match")
            if (validator == etag) if validator is not None else self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                counters.add(0, not_modified=True)
                return
            self.send_response(200)
            self.send_header("Content-Type", CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            self.wfile.write(body)
            counters.add(len(body))

    return Handler


def serve_sites(site_dirs: list[Path], port: int, latency: float = 0.01):
    """Start one threaded server per site on 127.0.0.<n>:port; returns (bases, counters, stop)."""
    counters = Counters()
    servers, bases = [], []
    for n, site in enumerate(site_dirs, start=1):
        host = f"127.0.0.{n}"
        base = f"http://{host}:{port}"
        server = ThreadingHTTPServer((host, port), make_handler(site.resolve(), base, latency, counters))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        bases.append(base)

    def stop() -> None:
        for server in servers:
            server.shutdown()
            server.server_close()

    return bases, counters, stop
