"""Refusals in French, and a visitor's mistake answered 400, never 500.

Datasette 0.65 answers 500 to some requests a visitor got wrong (an unknown `_sort`, both sorts
at once, `_timelimit=abc`, `_through` that is not JSON, two SQL statements), and its messages
are English. Here they become 400 with a French message; the original stays shown as the
technical detail. A real fault of the server stays a 500.
"""

from __future__ import annotations

import json
import re
import sqlite3

from datasette.database import QueryInterrupted
from datasette.utils.asgi import Base400, Forbidden
from datasette.views.base import DatasetteError
from markupsafe import Markup

from datasette import Response, hookimpl

# (English message, French message); groups of the pattern fill the French text.
MESSAGES = [
    (r"Cannot sort table by (.+)", "Impossible de trier par « {0} » : ce n'est pas une colonne triable de ce tableau."),
    (r"Cannot use _sort and _sort_desc at the same time",
     "Un seul tri à la fois : croissant (_sort) ou décroissant (_sort_desc)."),
    (r"You can only execute one statement at a time",
     "Une seule requête à la fois : retirez le point-virgule et ce qui le suit."),
    (r"Statement must be a SELECT", "Seules les requêtes de lecture (select ou with) sont permises."),
    (r"Statement may not contain PRAGMA", "Les instructions PRAGMA ne sont pas permises."),
    (r"not authorized", "Cette requête n'est pas permise sur le portail (fichiers du serveur, ATTACH…)."),
    (r"no such table: (.+)", "Table inconnue : « {0} »."),
    (r"no such column: (.+)", "Colonne inconnue : « {0} »."),
    (r"no such function: (.+)", "Fonction SQL inconnue : « {0} »."),
    (r"_col=(.+) - invalid columns", "Colonne à afficher inconnue (_col) : « {0} »."),
    (r"_nocol=(.+) - invalid columns", "Colonne à masquer inconnue (_nocol) : « {0} »."),
    (r"_size must be <= (\d+)", "Au plus {0} lignes par page (_size)."),
    (r"_size must be a positive integer", "_size doit être un nombre entier positif, ou « max »."),
    (r"SQL query took too long",
     "La requête a dépassé le temps permis : ajoutez des filtres ou simplifiez-la."),
    (r"incomplete input", "Requête SQL incomplète."),
    (r'near "(.+)": syntax error', "Erreur de syntaxe SQL près de « {0} »."),
    (r"fts5: syntax error near (.+)", "Recherche mal formée près de {0} : mettez les expressions entre guillemets."),
    (r"unterminated string", "Recherche ou requête mal formée : un guillemet n'est pas refermé."),
    (r"_where= is not allowed", "Le paramètre _where n'est pas permis."),
    (r"Invalid database", "Base inconnue."),
    (r"Table not found: (.+)", "Tableau introuvable : « {0} »."),
    (r"Database not found: (.+)", "Base introuvable : « {0} »."),
    (r"Row not found", "Ligne introuvable."),
    (r"Incorrect number of bindings supplied", "Il manque un paramètre à la requête (:nom)."),
    (r"You did not supply a value for binding parameter :(\w+)", "Il manque le paramètre « {0} » de la requête."),
    (r"invalid literal for int\(\)", "Un paramètre attend un nombre entier."),
    (r"(Expecting|Extra data|Unterminated|Invalid control).*line \d+ column \d+",
     "Un paramètre attend du JSON valide (_through)."),
    (r"interrupted", "La requête a dépassé le temps permis : ajoutez des filtres ou simplifiez-la."),
]
_COMPILED = [(re.compile(pattern, re.I | re.S), french) for pattern, french in MESSAGES]
# Messages of client mistakes that Datasette raises with status 500.
CLIENT_MISTAKES = ("Cannot sort table by", "Cannot use _sort and _sort_desc", "You can only execute one statement",
                   "invalid literal for int()", "line 1 column")


def french(message: str) -> str | None:
    """The French for a Datasette or SQLite message, None when it has none."""
    text = str(message or "")
    for pattern, translation in _COMPILED:
        found = pattern.search(text)
        if found:
            return translation.format(*(g.strip() for g in found.groups()))
    return None


def french_or_generic(message: str) -> str:
    return french(message) or "La demande n'a pas pu être traitée."


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["en_francais"] = french_or_generic


def _status(exception: Exception) -> int | None:
    """400 for a visitor's mistake Datasette would answer 500; None to leave it to Datasette."""
    if isinstance(exception, (Base400, Forbidden)):
        return None
    if isinstance(exception, DatasetteError):
        if exception.status == 403:
            return None  # the French 403 page of glaneur_acces.py
        if exception.status == 500 and any(m in exception.message for m in CLIENT_MISTAKES):
            return 400
        return exception.status if french(exception.message) else None
    if isinstance(exception, (QueryInterrupted, json.JSONDecodeError, sqlite3.Warning, sqlite3.ProgrammingError)):
        return 400
    if isinstance(exception, ValueError) and french(str(exception)):
        return 400
    return None


@hookimpl(tryfirst=True)
def handle_exception(datasette, request, exception):
    status = _status(exception)
    if status is None:
        return None
    original = exception.message if isinstance(exception, DatasetteError) else str(exception)

    async def inner():
        message = french_or_generic(original)
        if request.path.endswith(".json"):
            return Response.json({"ok": False, "error": message, "detail": original, "status": status}, status=status)
        if request.path.endswith((".csv", ".atom", ".ics", ".tsv")):
            return Response.text(f"{message}\n(détail technique : {original})", status=status)
        html = await datasette.render_template(
            "error.html", {"status": status, "error": message, "detail": Markup.escape(original), "title": None},
            request=request)
        return Response.html(html, status=status)

    return inner


CSRF_REFUSED = ("Ce formulaire n'a pas pu être accepté : son jeton de sécurité manque ou ne correspond pas "
                "(page ouverte depuis trop longtemps, ou envoyée depuis un autre site). Rechargez la page, "
                "puis renvoyez le formulaire.")


@hookimpl
def asgi_wrapper(datasette):
    """asgi-csrf refuses a form without its token in English, outside Datasette's pages: in French here."""
    import asgi_csrf

    english = {m.encode("utf-8") for m in asgi_csrf.error_messages.values()} | {b"CSRF validation failed"}

    def wrap(app):
        async def french_csrf(scope, receive, send):
            if scope.get("type") != "http" or scope.get("method") != "POST":
                await app(scope, receive, send)
                return
            held: list[dict] = []

            async def watch(message):
                if message["type"] == "http.response.start" and message["status"] == 403:
                    held.append(message)
                    return
                if held and message["type"] == "http.response.body":
                    start = held.pop()
                    if message.get("body", b"") in english and not message.get("more_body"):
                        html = await _csrf_page(datasette)
                        await send({**start, "headers": [[b"content-type", b"text/html; charset=utf-8"]]})
                        await send({"type": "http.response.body", "body": html.encode("utf-8")})
                        return
                    await send(start)
                await send(message)

            await app(scope, receive, watch)
        return french_csrf
    return wrap


async def _csrf_page(datasette) -> str:
    try:
        return await datasette.render_template(
            "error.html", {"status": 403, "title": "Formulaire refusé", "error": None, "reserve": CSRF_REFUSED,
                           "formulaire_refuse": True})
    except Exception:  # noqa: BLE001 - the refusal must still be said, even without the page around it
        return f'<!DOCTYPE html><html lang="fr"><title>Formulaire refusé</title><p>{CSRF_REFUSED}</p></html>'
