"""Recorded site shapes served on 127.0.0.1, for discovery tests and its score.

Each folder of tests/discovery/sites/ is one site: `_site.yaml` names the connector discovery
should choose (`expected`, « none » when the right answer is a French explanation), says where
the shape comes from, and lists the responses by path (file, status, content type, headers).
Every body is SYNTHETIC content in the real shape of its CMS; `{site}` in a body or a header
stands for the server's address. Every request is logged with its User-Agent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml
from w3lib.url import canonicalize_url

SITES_DIR = Path(__file__).parent / "sites"


@dataclass
class Site:
    name: str
    expected: str
    shape: str
    responses: dict[str, dict]
    folder: Path
    log: list[tuple[str, str]] = field(default_factory=list)  # (path, user agent)


def load_site(name: str) -> Site:
    folder = SITES_DIR / name
    spec = yaml.safe_load((folder / "_site.yaml").read_text(encoding="utf-8"))
    responses = {canonicalize_url("http://h" + r["path"]): r for r in spec["responses"]}
    return Site(name, spec["expected"], spec.get("shape", ""), responses, folder)


def site_names() -> list[str]:
    return sorted(p.name for p in SITES_DIR.iterdir() if (p / "_site.yaml").exists())


@contextmanager
def serve(site: Site) -> Iterator[str]:
    """The site on a free 127.0.0.1 port; yields its base URL."""
    base = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            site.log.append((self.path, self.headers.get("User-Agent", "")))
            spec = site.responses.get(canonicalize_url("http://h" + self.path))
            if spec is None:
                body, status, headers = b"<!DOCTYPE html><title>Page introuvable</title>", 404, {}
                ctype = "text/html; charset=UTF-8"
            else:
                raw = (site.folder / spec["file"]).read_bytes() if spec.get("file") else b""
                body = raw.replace(b"{site}", base["url"].encode())
                status = int(spec.get("status", 200))
                ctype = spec.get("content_type", "text/html; charset=UTF-8")
                headers = {k: str(v).replace("{site}", base["url"]) for k, v in (spec.get("headers") or {}).items()}
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base["url"]
    finally:
        server.shutdown()
        server.server_close()
