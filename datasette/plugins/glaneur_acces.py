"""Who may read what: the `acteurs` directory and arbitrary SQL are for logged-in professionals.

metadata.yml already says so declaratively (`allow` on the table, `allow_sql` on the database);
this plugin repeats the rule in code so that no new view, renderer or canned query can expose
the directory to an anonymous visitor, and feeds datasette-auth-passwords with the accounts
that `glaneur comptes add` writes (read at each login: no restart needed), on the login page only.
"""

from __future__ import annotations

import contextvars

from datasette import hookimpl
from glaneur.portal import load_accounts

PROTECTED_TABLES = {"acteurs"}
# True only while the login page is being served: the hashes must never reach /-/metadata.
_ON_LOGIN_PAGE = contextvars.ContextVar("glaneur_on_login_page", default=False)


@hookimpl
def asgi_wrapper(datasette):
    login_path = datasette.urls.path("/-/login")

    def wrap(app):
        async def mark_login(scope, receive, send):
            token = _ON_LOGIN_PAGE.set(scope.get("type") == "http" and scope.get("path") == login_path)
            try:
                await app(scope, receive, send)
            finally:
                _ON_LOGIN_PAGE.reset(token)
        return mark_login
    return wrap


@hookimpl
def get_metadata(datasette, key, database, table):
    if not _ON_LOGIN_PAGE.get():
        return {}
    accounts = load_accounts()
    return {"plugins": {"datasette-auth-passwords": {f"{login}_password_hash": h for login, h in accounts.items()}}}


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    if actor:
        return None
    if action == "execute-sql":
        return False
    if action == "view-database-download":
        return False
    if action == "view-table" and isinstance(resource, tuple) and resource[1] in PROTECTED_TABLES:
        return False
    if action == "view-query" and isinstance(resource, tuple):
        query = (datasette.metadata("queries", database=resource[0], fallback=False) or {}).get(resource[1])
        sql = (query or {}).get("sql", "") if isinstance(query, dict) else str(query or "")
        if any(name in sql for name in PROTECTED_TABLES):
            return False
    return None
