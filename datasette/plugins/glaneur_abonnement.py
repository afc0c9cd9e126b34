"""Subscribing to the weekly letter from the portal (schedules/subscriptions.py does the work).

Routes: `/abonnement` (GET the form, carrying the selection's filters; POST the request, which
mails a confirmation link), `/abonnement/confirmer` (GET shows, POST confirms), `/preferences`
(GET shows a subscriber's filters and frequency, POST saves them; reached from every letter).
GETs never write: they open `abonnes.db` read-only, or not at all when it does not exist yet.
"""

from __future__ import annotations

import asyncio
import sqlite3
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import sqlite_utils

from datasette import Response, hookimpl
from glaneur.login_guard import client_address
from schedules.digest import theme_labels, type_labels
from schedules.store import open_subscribers_db, subscribers_db_path
from schedules.subscribers import (
    SubscriberError,
    add_subscriber,
    get_subscriber,
    make_token,
    read_token,
    split_values,
    validate_filters,
)
from schedules.subscriptions import (
    ANSWER,
    MailerError,
    Request,
    confirm,
    read_confirmation,
    request_subscription,
    send_confirmation,
)

# Query-string names of a selection on the resources table → the letter's filters.
FROM_SELECTION = {
    "types": ("type", "type__exact", "types"),
    "themes": ("themes__arraycontains", "themes"),
    "regions": ("regions__arraycontains", "regions", "region"),
    "departements": ("departements__arraycontains", "departements"),
}
FREQUENCY_LABELS = {"hebdo": "chaque lundi", "quotidien": "chaque jour où il y a du nouveau"}


def _main_path(datasette) -> Path:
    db = datasette.databases.get("glaneur") or next(d for d in datasette.databases.values() if d.path)
    return Path(db.path)


def _private_path(datasette) -> Path:
    return subscribers_db_path(_main_path(datasette))


def _read_only(path: Path) -> sqlite_utils.Database | None:
    if not path.exists():
        return None
    return sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


@cache
def territory_options() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    from glaneur.portal import _cog_rows

    regions = sorted(((r["code"], r["nom"]) for r in _cog_rows("regions")), key=lambda kv: kv[1])
    deps = sorted(((d["code"], f"{d['nom']} ({d['code']})") for d in _cog_rows("departements")),
                  key=lambda kv: kv[0])
    return regions, deps


def selection_filters(args) -> dict[str, list[str]]:
    """The letter's filters read from a portal selection's query string (MultiParams or dict)."""
    found: dict[str, list[str]] = {}
    for target, names in FROM_SELECTION.items():
        values: list[str] = []
        for name in names:
            raw = args.getlist(name) if hasattr(args, "getlist") else split_values(args.get(name))
            values += [v for v in split_values(raw) if v not in values]
        if values:
            found[target] = values
    return found


def subscribe_link(datasette, args) -> str:
    filters = selection_filters(args)
    query = urlencode([(k, v) for k, values in filters.items() for v in values])
    return datasette.urls.path("/abonnement") + (f"?{query}" if query else "")


def _choices() -> dict:
    regions, deps = territory_options()
    return {"type_choices": type_labels(), "theme_choices": theme_labels(), "region_choices": regions,
            "departement_choices": deps, "frequency_choices": FREQUENCY_LABELS}


async def _page(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    html = await datasette.render_template(template, {**_choices(), **context}, request=request)
    return Response.html(html, status=status)


def _form_filters(form) -> dict[str, list[str]]:
    return {k: split_values(form.getlist(k) if hasattr(form, "getlist") else form.get(k))
            for k in ("types", "themes", "regions", "departements")}


async def subscribe(request, datasette):
    if request.method != "POST":
        return await _page(datasette, request, "abonnement.html", {"chosen": selection_filters(request.args)})
    form = await request.post_vars()
    chosen = _form_filters(form)
    context = {"chosen": chosen, "email": form.get("email", ""), "frequence": form.get("frequence", "hebdo")}
    if form.get("site_web"):  # the honeypot: people never see it, robots fill it
        return await _page(datasette, request, "abonnement.html", {**context, "sent": ANSWER})
    if not form.get("consentement"):
        return await _page(datasette, request, "abonnement.html", {
            **context, "error": "Cochez la case d'accord pour que nous puissions vous écrire.",
            "error_field": "consentement"}, 400)
    try:
        filters = validate_filters(chosen["regions"], chosen["types"], chosen["themes"], chosen["departements"])
        req = Request(form.get("email", ""), filters, form.get("frequence", "hebdo"))
    except SubscriberError as exc:
        # RGAA 11.10: the field in error is marked and points to the message
        field = "email" if "adresse" in str(exc) else ""
        return await _page(datasette, request, "abonnement.html",
                           {**context, "error": str(exc), "error_field": field}, 400)

    def record_and_send() -> str | None:
        db = open_subscribers_db(_private_path(datasette))
        try:
            token = request_subscription(db, req, client_address(request))
            if token:
                send_confirmation(db, req, token)
            return None
        except SubscriberError as exc:
            return str(exc)
        finally:
            db.close()

    try:
        error = await asyncio.to_thread(record_and_send)
    except MailerError:
        return await _page(datasette, request, "abonnement.html", {
            **context, "error": "Le courriel de confirmation n'a pas pu partir. Réessayez dans quelques minutes."},
            503)
    if error:
        return await _page(datasette, request, "abonnement.html",
                           {**context, "error": error, "error_field": "email" if "adresse" in error else ""}, 400)
    return await _page(datasette, request, "abonnement.html", {**context, "sent": ANSWER})


async def confirm_page(request, datasette):
    if request.method == "POST":
        form = await request.post_vars()
        token = form.get("jeton", "")

        def apply():
            db = open_subscribers_db(_private_path(datasette))
            try:
                subscriber = confirm(db, token)
                return {"done": True, "email": subscriber.email, "describe": subscriber.filters.describe(),
                        "preferences": f"/preferences?{urlencode({'jeton': make_token(db, subscriber.email)})}"}
            except SubscriberError as exc:
                return {"error": str(exc)}
            finally:
                db.close()
        result = await asyncio.to_thread(apply)
    else:
        token = request.args.get("jeton", "")

        def check():
            db = _read_only(_private_path(datasette))
            if db is None:
                return {"error": "Lien de confirmation invalide."}
            try:
                payload = read_confirmation(db, token)
                return {"email": payload["email"]}
            except (SubscriberError, sqlite3.OperationalError) as exc:
                return {"error": str(exc) if isinstance(exc, SubscriberError) else "Lien de confirmation invalide."}
            finally:
                db.close()
        result = await asyncio.to_thread(check)
    return await _page(datasette, request, "abonnement_confirmation.html", {**result, "jeton": token},
                       400 if result.get("error") else 200)


async def preferences(request, datasette):
    form = await request.post_vars() if request.method == "POST" else {}
    token = form.get("jeton") or request.args.get("jeton") or ""

    def work() -> dict:
        path = _private_path(datasette)
        db = open_subscribers_db(path) if request.method == "POST" and path.exists() else _read_only(path)
        if db is None:
            return {"error": "Lien de préférences invalide."}
        try:
            email = read_token(db, token)
            subscriber = get_subscriber(db, email)
            if request.method == "POST":
                chosen = _form_filters(form)
                filters = validate_filters(chosen["regions"], chosen["types"], chosen["themes"],
                                           chosen["departements"])
                subscriber = add_subscriber(db, email, filters, form.get("frequence", subscriber.frequence))
                saved = True
            else:
                saved = False
            f = subscriber.filters
            return {"email": email, "frequence": subscriber.frequence, "saved": saved,
                    "chosen": {"types": f.types, "themes": f.themes, "regions": f.regions,
                               "departements": f.departements}}
        except (SubscriberError, sqlite3.OperationalError) as exc:
            message = str(exc) if isinstance(exc, SubscriberError) else "Lien de préférences invalide."
            if message.startswith("Aucun abonné"):
                message = "Cette adresse n'est pas (ou plus) abonnée."
            return {"error": message}
        finally:
            db.close()

    result = await asyncio.to_thread(work)
    return await _page(datasette, request, "preferences.html", {**result, "jeton": token},
                       400 if result.get("error") else 200)


@hookimpl
def register_routes():
    return [
        (r"^/abonnement$", subscribe),
        (r"^/abonnement/confirmer$", confirm_page),
        (r"^/preferences$", preferences),
    ]


@hookimpl
def extra_template_vars(request, datasette):
    if request is None:
        return {}
    return {"subscribe_url": subscribe_link(datasette, request.args)}
