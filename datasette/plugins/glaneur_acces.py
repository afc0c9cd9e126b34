"""Who may read what: the public database is open to all, SQL included; the directory of actors
(its own database, `annuaire`) is for logged-in professionals only.

metadata.yml says so declaratively (`allow` on the `annuaire` database); this plugin repeats the
rule in code so that no view, renderer or canned query can hand the directory to an anonymous
visitor, keeps it and the server's paths out of the introspection pages, and runs the login
itself (glaneur/login_guard.py): back to the page asked for, failed tries throttled, the same
answer time for unknown and known logins, an HttpOnly session cookie.
"""

from __future__ import annotations

import asyncio
import json
import os
from urllib.parse import quote

from datasette import Response, hookimpl
from datasette.plugins import pm
from glaneur.login_guard import LoginGuard, client_address, safe_next
from glaneur.portal import load_accounts

PROTECTED_DATABASES = {"annuaire"}
COOKIE_MAX_AGE = 8 * 3600  # a working day
GUARD = LoginGuard()

# The login of datasette-auth-passwords (no redirect, no throttling, a faster answer for unknown
# logins, a script-readable cookie) is replaced by `login` below; its hashing is still used.
if pm.has_plugin("auth_passwords"):
    pm.unregister(name="auth_passwords")


def _protected(resource) -> bool:
    database = resource[0] if isinstance(resource, tuple | list) else resource
    return database in PROTECTED_DATABASES


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    if action == "view-database-download":
        return False  # the files are published elsewhere; never from the portal
    if actor:
        return None
    if action in ("view-database", "view-table", "view-query", "execute-sql") and _protected(resource):
        return False
    return None


async def login(request, datasette):
    form = await request.post_vars() if request.method == "POST" else {}
    next_path = safe_next(form.get("next") or request.args.get("next"), datasette.urls.path("/"))
    error, status = None, 200
    if request.method == "POST":
        username = (form.get("username") or "").strip()
        password = form.get("password") or ""
        address = client_address(request)
        wait = GUARD.blocked(username, address)
        if wait:
            error = f"Trop de tentatives de connexion : réessayez dans {wait} minute{'s' if wait > 1 else ''}."
            status = 429
        else:
            accounts = await asyncio.to_thread(load_accounts)
            if await asyncio.to_thread(GUARD.check, accounts, username, password):
                GUARD.succeeded(username, address)
                response = Response.redirect(next_path)
                response.set_cookie(
                    "ds_actor", datasette.sign({"a": {"id": username}}, "actor"), max_age=COOKIE_MAX_AGE,
                    httponly=True, samesite="lax", secure=os.environ.get("GLANEUR_COOKIE_SECURE") == "1",
                )
                return response
            GUARD.failed(username, address)
            error = "Identifiant ou mot de passe incorrect."
            if not accounts:
                error = "Aucun compte n'est encore configuré sur ce portail."
    html = await datasette.render_template(
        "password_login.html", {"error": error, "next": next_path}, request=request)
    return Response.html(html, status=status)


def _metadata_for(datasette, actor) -> dict:
    metadata = json.loads(json.dumps(datasette.metadata()))  # a copy
    if not actor:
        for name in PROTECTED_DATABASES:
            (metadata.get("databases") or {}).pop(name, None)
    metadata.get("plugins", {}).pop("datasette-auth-passwords", None)
    return metadata


async def metadata_page(request, datasette):
    """`/-/metadata`: the directory's description only for logged-in professionals."""
    return Response.json(_metadata_for(datasette, request.actor))


async def databases_page(request, datasette):
    """`/-/databases`: names and kinds, never the server's file paths."""
    rows = [
        {"name": db.name, "route": db.route, "is_mutable": db.is_mutable, "is_memory": db.is_memory}
        for name, db in datasette.databases.items()
        if name != "_internal" and (request.actor or name not in PROTECTED_DATABASES)
    ]
    return Response.json(rows)


async def threads_page(request, datasette):
    """`/-/threads`: how many threads and tasks, without Datasette's task reprs (they name server paths)."""
    import threading

    threads = threading.enumerate()
    return Response.json({"num_threads": len(threads), "threads": sorted(t.name for t in threads),
                          "num_tasks": len(asyncio.all_tasks())})


@hookimpl
def startup(datasette):
    async def prepare_dummy_hash():  # else the first unknown login would answer slower than the rest
        await asyncio.to_thread(GUARD.dummy_for, await asyncio.to_thread(load_accounts))
    return prepare_dummy_hash


@hookimpl
def register_routes():
    return [
        (r"^/-/login$", login),
        (r"^/-/metadata(\.json)?$", metadata_page),
        (r"^/-/databases(\.json)?$", databases_page),
        (r"^/-/threads(\.json)?$", threads_page),
    ]


@hookimpl
def extra_template_vars(request, datasette):
    plugin = datasette.plugin_config("glaneur") or {}
    here = request.full_path if request is not None else "/"
    return {
        "demande_acces": plugin.get("demande_acces"),
        "login_url": datasette.urls.path("/-/login") + "?next=" + quote(here, safe=""),
    }


@hookimpl
def forbidden(datasette, request, message):
    """A French 403 (Datasette's says « You do not have permission… »), with a way to log in."""
    async def inner():
        html = await datasette.render_template(
            "error.html", {"status": 403, "title": "Accès réservé", "error": None}, request=request)
        return Response.html(html, status=403)
    return inner
