"""The portal serves each new publication as soon as it is written (glaneur/live_database.py),
and answers again what it already answered for this publication from memory, or with a 304
(glaneur/response_cache.py)."""

from __future__ import annotations

from datasette import hookimpl
from glaneur import response_cache
from glaneur.live_database import Follower, on_swap
from glaneur.paths import DATASETTE_DIR, PROJECT_ROOT

CODE: list[str] = []  # the code's fingerprint, computed once per process


def _follower(datasette) -> Follower:
    """One per server, made before any plugin's startup work opens a database (facet index…)."""
    follower = getattr(datasette, "_glaneur_follower", None)
    if follower is None:
        follower = Follower(datasette)
        follower.adopt()
        datasette._glaneur_follower = follower
        datasette._glaneur_pages = response_cache.ResponseCache(response_cache.configured_bytes())
    return follower


async def _forget(datasette, name, db) -> None:
    datasette._glaneur_pages.clear()


on_swap(_forget)


@hookimpl(tryfirst=True)
def startup(datasette):
    _follower(datasette)  # synchronously: Datasette calls every startup hook before awaiting any


def _header(scope: dict, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return value
    return None


async def _cached(app, follower: Follower, cache, scope, receive, send) -> None:
    if not CODE:
        CODE.append(response_cache.code_fingerprint([DATASETTE_DIR, PROJECT_ROOT / "glaneur"]))
    builds = await follower.builds()
    key = response_cache.request_key(scope)
    tag = response_cache.etag(builds, CODE[0], key)
    if response_cache.matches(_header(scope, b"if-none-match"), tag):
        await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", tag.encode())]})
        await send({"type": "http.response.body", "body": b""})
        return
    entry = cache.get(builds.encode() + b"\0" + key)
    if entry is not None:
        status, headers, body = entry
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return
    kept: dict = {"keep": False, "body": [], "size": 0}

    async def capture(message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers") or [])
            if message["status"] == 200 and not any(k.lower() == b"set-cookie" for k, _ in headers):
                headers.append((b"etag", tag.encode()))
                kept.update(keep=True, status=200, headers=headers)
            message = {**message, "headers": headers}
        elif message["type"] == "http.response.body" and kept["keep"]:
            chunk = message.get("body", b"")
            kept["size"] += len(chunk)
            if kept["size"] > response_cache.MAX_ENTRY_BYTES:
                kept.update(keep=False, body=[])
            else:
                kept["body"].append(chunk)
                if not message.get("more_body"):
                    cache.put(builds.encode() + b"\0" + key, kept["status"], kept["headers"], b"".join(kept["body"]))
        await send(message)

    await app(scope, receive, capture)


@hookimpl
def asgi_wrapper(datasette):
    follower = _follower(datasette)
    cache = datasette._glaneur_pages

    def wrap(app):
        async def follow_publications(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            await follower.follow()
            generation = follower.started()
            try:
                if cache.max_bytes and response_cache.cacheable_request(scope):
                    await _cached(app, follower, cache, scope, receive, send)
                else:
                    await app(scope, receive, send)
            finally:
                follower.finished(generation)
        return follow_publications
    return wrap
