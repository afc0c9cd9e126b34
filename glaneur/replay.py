"""Offline replay of recorded responses of the sources' real URLs.

The mirror lives in `data/mirror/<host>/`: an `_index.yaml` lists each recorded URL with the
body file, status and headers. The downloader middleware answers requests from it, so the
spiders run unchanged; an unrecorded URL fails loudly with its address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url

INDEX_NAME = "_index.yaml"


class UnrecordedURL(IgnoreRequest):
    """The offline mirror holds no response for this URL."""


@dataclass
class Recorded:
    url: str
    path: Path
    status: int = 200
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)


def mirror_key(method: str, url: str) -> tuple[str, str]:
    return method.upper(), canonicalize_url(url, keep_fragments=False)


def load_mirror(mirror_dir: Path) -> dict[tuple[str, str], Recorded]:
    """Every recorded response of every host, keyed by method and canonical URL."""
    recorded: dict[tuple[str, str], Recorded] = {}
    for index in sorted(Path(mirror_dir).glob(f"*/{INDEX_NAME}")):
        entries = yaml.safe_load(index.read_text(encoding="utf-8")) or []
        for entry in entries:
            rec = Recorded(
                url=entry["url"],
                path=index.parent / entry["file"],
                status=int(entry.get("status", 200)),
                method=entry.get("method", "GET"),
                headers={str(k): str(v) for k, v in (entry.get("headers") or {}).items()},
            )
            if "content_type" in entry:
                rec.headers["Content-Type"] = entry["content_type"]
            recorded[mirror_key(rec.method, rec.url)] = rec
    return recorded


class ReplayMiddleware:
    """Downloader middleware serving the offline mirror instead of the network."""

    def __init__(self, mirror_dir: Path):
        self.mirror_dir = mirror_dir
        self.recorded = load_mirror(mirror_dir)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GLANEUR_OFFLINE"):
            raise NotConfigured
        return cls(Path(crawler.settings.get("GLANEUR_MIRROR_DIR")))

    def process_request(self, request: Request, spider=None):
        rec = self.recorded.get(mirror_key(request.method, request.url))
        if rec is None:
            if urlsplit(request.url).path == "/robots.txt":
                # No robots.txt recorded: answer as a site without one (everything allowed).
                return Response(url=request.url, status=404, request=request)
            raise UnrecordedURL(f"URL absente du miroir hors ligne : {request.method} {request.url}")
        body = rec.path.read_bytes()
        headers = dict(rec.headers)
        cls = responsetypes.from_args(headers=headers, url=rec.url, body=body)
        return cls(url=request.url, status=rec.status, headers=headers, body=body, request=request)
