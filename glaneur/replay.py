"""Offline replay of recorded responses of the sources' real URLs.

The mirror lives in `data/mirror/<host>/`: an `_index.yaml` lists each recorded URL with the
body file, status and headers. The downloader middleware answers requests from it, so the
spiders run unchanged; an unrecorded URL fails loudly with its address.

Like a real server, every replayed response carries an ETag (the recorded one, else a hash
of the body file) and a conditional request whose validators match gets a 304 without body.
"""

from __future__ import annotations

import hashlib
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
        if rec is None and request.method == "HEAD":  # like a server: HEAD of a recorded GET
            rec = self.recorded.get(mirror_key("GET", request.url))
        if rec is None:
            if urlsplit(request.url).path == "/robots.txt":
                # No robots.txt recorded: answer as a site without one (everything allowed).
                return Response(url=request.url, status=404, request=request)
            raise UnrecordedURL(f"URL absente du miroir hors ligne : {request.method} {request.url}")
        body = rec.path.read_bytes()
        headers = dict(rec.headers)
        headers.setdefault("ETag", f'"{hashlib.sha256(body).hexdigest()[:20]}"')
        if rec.status == 200 and not_modified(request, headers):
            return Response(url=request.url, status=304, headers=validators(headers), request=request)
        cls = responsetypes.from_args(headers=headers, url=rec.url, body=body)
        if request.method == "HEAD":
            body = b""
        return cls(url=request.url, status=rec.status, headers=headers, body=body, request=request)


def validators(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}


def not_modified(request: Request, headers: dict[str, str]) -> bool:
    """RFC 9110 §13.1: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip() for t in if_none_match.decode("latin-1").split(",")}
        return "*" in tags or headers["ETag"] in tags
    if_modified_since = request.headers.get("If-Modified-Since")
    last_modified = headers.get("Last-Modified")
    if if_modified_since is None or not last_modified:
        return False
    since = parsedate_to_datetime_safe(if_modified_since.decode("latin-1"))
    modified = parsedate_to_datetime_safe(last_modified)
    return since is not None and modified is not None and modified <= since


def parsedate_to_datetime_safe(value: str):
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
