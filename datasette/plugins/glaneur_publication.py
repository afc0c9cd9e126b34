"""The portal serves each new publication as soon as it is written (glaneur/live_database.py)."""

from __future__ import annotations

from datasette import hookimpl
from glaneur.live_database import Follower


def _follower(datasette) -> Follower:
    """One per server, made before any plugin's startup work opens a database (facet index…)."""
    follower = getattr(datasette, "_glaneur_follower", None)
    if follower is None:
        follower = Follower(datasette)
        follower.adopt()
        datasette._glaneur_follower = follower
    return follower


@hookimpl(tryfirst=True)
def startup(datasette):
    _follower(datasette)  # synchronously: Datasette calls every startup hook before awaiting any


@hookimpl
def asgi_wrapper(datasette):
    follower = _follower(datasette)

    def wrap(app):
        async def follow_publications(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            await follower.follow()
            generation = follower.started()
            try:
                await app(scope, receive, send)
            finally:
                follower.finished(generation)
        return follow_publications
    return wrap
