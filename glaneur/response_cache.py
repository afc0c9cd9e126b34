"""Pages kept per publication: a served build never changes, so neither does a page built from it.

A public page (home, search, the glaneur database's tables, rows, canned queries and their
exports, practical sheets) is a function of the request, the files served and the portal's
code. Its `ETag` names these three: a browser asking again with `If-None-Match` gets a `304`
without the page being rebuilt, and a repeated request is answered from memory. The cache is
emptied when a new build is swapped in (glaneur/live_database.py `on_swap`); two portal
processes serving the same file give the same `ETag`s.

Not kept: anything but GET, responses other than 200 or that set a cookie, pages whose content
is not the build's (source health, login, subscriptions, the directory, SQL written by the
visitor, which may ask for the time), bodies over `MAX_ENTRY_BYTES`. The request's cookies are part
of the key, so a logged-in professional's page is never shown to someone else.
`GLANEUR_CACHE_PAGES` gives the size in megabytes (default 64; 0 turns the cache and the
`ETag`s off).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qsl

DEFAULT_MEGABYTES = 64
MAX_ENTRY_BYTES = 2 * 1024 * 1024
# Pages computed from the published build alone.
_PUBLIC_PATH = re.compile(r"^/(?:|recherche|fiches(?:/[a-z0-9-]*)?|glaneur(?:\.json)?|glaneur/.*)$")
# Request headers a page may depend on (absolute URLs, the visitor's session and messages).
_KEY_HEADERS = (b"host", b"cookie", b"x-forwarded-host", b"x-forwarded-proto")


def configured_bytes() -> int:
    try:
        return max(0, int(float(os.environ.get("GLANEUR_CACHE_PAGES", DEFAULT_MEGABYTES)) * 1024 * 1024))
    except ValueError:
        return DEFAULT_MEGABYTES * 1024 * 1024


def code_fingerprint(roots: Iterable[Path]) -> str:
    """Digest of the code and templates that make the pages (the same in two processes)."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file() and p.suffix in
                           {".py", ".html", ".yml", ".yaml", ".md", ".js", ".css", ".csv", ".txt"}):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cacheable_request(scope: dict) -> bool:
    if scope.get("type") != "http" or scope.get("method") != "GET":
        return False
    if not _PUBLIC_PATH.match(scope.get("path", "")) or scope.get("path", "").endswith(".db"):
        return False
    args = {k for k, _ in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)}
    return not args & {"sql", "_trace"}


def request_key(scope: dict) -> bytes:
    headers = dict((k.lower(), v) for k, v in scope.get("headers") or [] if k.lower() in _KEY_HEADERS)
    parts = [scope.get("scheme", "http").encode(), scope.get("path", "").encode("utf-8", "surrogateescape"),
             scope.get("query_string", b"")] + [headers.get(h, b"") for h in _KEY_HEADERS]
    return b"\0".join(parts)


def etag(builds: str, code: str, key: bytes) -> str:
    return 'W/"' + hashlib.sha256(builds.encode() + b"\0" + code.encode() + b"\0" + key).hexdigest()[:32] + '"'


def matches(if_none_match: bytes | None, tag: str) -> bool:
    if not if_none_match:
        return False
    wanted = {t.strip() for t in if_none_match.decode("latin-1").split(",")}
    return tag in wanted or tag.removeprefix("W/") in wanted or "*" in wanted


class ResponseCache:
    """Least recently used pages, at most `max_bytes` of bodies."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[bytes, tuple[int, list, bytes]] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: bytes) -> tuple[int, list, bytes] | None:
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: bytes, status: int, headers: list, body: bytes) -> None:
        if len(body) > min(MAX_ENTRY_BYTES, self.max_bytes):
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old[2])
        self.entries[key] = (status, headers, body)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            _, (_, _, dropped) = self.entries.popitem(last=False)
            self.size -= len(dropped)

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0
