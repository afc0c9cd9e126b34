"""« État des sources » page data, the Atom feed of published digests, and unsubscribe links.

The public database is served read-only; subscribers and archived digests live in the private
`abonnes.db` beside it (GLANEUR_ABONNES_DB overrides), which only these routes read or write.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from feedgen.feed import FeedGenerator

from datasette import Response, hookimpl
from schedules.frenchtime import fr_date, parse_iso
from schedules.health import check_all
from schedules.store import open_subscribers_db, subscribers_db_path
from schedules.subscribers import SubscriberError, get_subscriber, read_token, remove_subscriber

PAGE = "pages/etat-des-sources.html"
FEED_SIZE = 30


def _main_db(datasette):
    try:
        return datasette.get_database("glaneur")
    except KeyError:
        return next(db for db in datasette.databases.values() if db.path)


def _private_path(datasette) -> Path:
    return subscribers_db_path(Path(_main_db(datasette).path).resolve())


def spark_points(values: list[int], width: int = 100, height: int = 24) -> str:
    """SVG polyline points for the items trend (oldest left, a flat line when all equal)."""
    if not values:
        return ""
    top = max(values) or 1
    step = width / max(1, len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - 2 - v / top * (height - 4):.1f}" for i, v in enumerate(values))


def _health_rows(conn: sqlite3.Connection) -> list[dict]:
    rows = []
    for health in check_all(conn):
        row = health.as_dict()
        row.update(
            last_success_fr=fr_date(health.last_success) or "jamais",
            last_error_fr=fr_date(health.last_error),
            spark_points=spark_points(health.trend),
            rhythm_fr=f"{round(health.rhythm_days)} j" if health.rhythm_days else "inconnu",
            suggestion_day=fr_date((health.suggestion or {}).get("checked_at")),
        )
        rows.append(row)
    order = {"à vérifier": 0, "jamais collectée": 1, "ok": 2, "désactivée": 3}
    return sorted(rows, key=lambda r: (order.get(r["flag"], 9), r["source_id"]))


@hookimpl
def extra_template_vars(template, datasette):
    if template != PAGE:
        return {}

    async def inner():
        sources = await _main_db(datasette).execute_fn(_health_rows)
        return {
            "sources_health": sources,
            "flagged_count": sum(1 for s in sources if s["flag"] == "à vérifier"),
            "health_checked": datetime.now(UTC).isoformat(timespec="seconds"),
        }

    return inner


def _public_digests(path: Path, limit: int = FEED_SIZE) -> list[dict]:
    if not path.exists():
        return []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(
            "select id, sent_at, period, subject, html, text from digests where subscriber = 'public' "
            "order by sent_at desc, id desc limit ?", [limit])]
    except sqlite3.OperationalError:  # the file exists but nothing was ever published
        return []
    finally:
        conn.close()


async def digest_feed(datasette, request):
    """Atom feed of the public digests; feedgen escapes every text it writes."""
    digests = await asyncio.to_thread(_public_digests, _private_path(datasette))
    fg = FeedGenerator()
    home = datasette.absolute_url(request, datasette.urls.path("/etat-des-sources"))
    fg.id(datasette.absolute_url(request, datasette.urls.path("/lettre.atom")))
    fg.title("Glaneur — la lettre de la semaine")
    fg.subtitle("Les nouveautés de la lutte contre la précarité alimentaire, chaque lundi.")
    fg.link(href=datasette.absolute_url(request, datasette.urls.path("/lettre.atom")), rel="self")
    fg.link(href=home, rel="alternate")
    fg.language("fr")
    fg.author({"name": "Glaneur"})
    newest = None
    for digest in reversed(digests):
        when = parse_iso(digest["sent_at"])
        url = datasette.absolute_url(request, datasette.urls.path(f"/lettre/{digest['id']}"))
        entry = fg.add_entry()
        entry.id(url)
        entry.title(digest["subject"] or digest["period"])
        entry.link(href=url)
        entry.published(when)
        entry.updated(when)
        entry.summary(digest["text"][:500])
        entry.content(digest["html"], type="html")
        newest = max(newest or when, when)
    fg.updated(newest or datetime(2000, 1, 1, tzinfo=UTC))
    return Response(fg.atom_str(pretty=True), content_type="application/atom+xml; charset=utf-8")


async def digest_page(datasette, request):
    """An archived public digest, exactly as it was sent."""
    wanted = int(request.url_vars["id"])
    digests = await asyncio.to_thread(_public_digests, _private_path(datasette), 10_000)
    found = next((d for d in digests if d["id"] == wanted), None)
    if found is None:
        return Response.html("<p>Lettre introuvable.</p>", status=404)
    return Response.html(found["html"])


UNSUBSCRIBE = """{% extends "base.html" %}
{% block title %}Désabonnement{% endblock %}
{% block content %}
<h1>Désabonnement de la lettre</h1>
{% if done %}<p>L'adresse <strong>{{ email }}</strong> ne recevra plus la lettre. Ses préférences ont été effacées.</p>
{% elif error %}<p>{{ error }}</p>
{% else %}<p>Ne plus recevoir la lettre à l'adresse <strong>{{ email }}</strong> ?</p>
<form method="post" action="{{ urls.path('/desabonnement') }}">
<input type="hidden" name="csrftoken" value="{{ csrftoken() }}">
<input type="hidden" name="jeton" value="{{ jeton }}">
<button type="submit">Me désabonner</button>
</form>{% endif %}
{% endblock %}"""


def _unsubscribe(path: Path, token: str, apply: bool) -> dict:
    """GET only reads (a link scanner's visit writes nothing, not even a new file); POST removes."""
    if not path.exists():
        return {"error": "Lien de désabonnement invalide."}
    if apply:
        db = open_subscribers_db(path)
    else:
        db = sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    try:
        try:
            email = read_token(db, token)
        except (SubscriberError, sqlite3.OperationalError):  # read-only: no key was ever made here
            return {"error": "Lien de désabonnement invalide."}
        try:
            get_subscriber(db, email)
        except SubscriberError:
            return {"email": email, "error": "Cette adresse n'est pas (ou plus) abonnée."}
        if apply:
            remove_subscriber(db, email)
        return {"email": email, "done": apply}
    finally:
        db.close()


async def unsubscribe(datasette, request):
    """GET asks for confirmation (link scanners must not unsubscribe); POST (one-click) removes."""
    if request.method == "POST":
        form = await request.post_vars()
        token = form.get("jeton") or request.args.get("jeton") or ""
    else:
        token = request.args.get("jeton") or ""
    result = await asyncio.to_thread(_unsubscribe, _private_path(datasette), token, request.method == "POST")
    template = datasette.jinja_env.from_string(UNSUBSCRIBE)
    html = await datasette.render_template(template, dict(result, jeton=token), request=request)
    return Response.html(html, status=400 if result.get("error") and not result.get("email") else 200)


@hookimpl
def register_routes():
    return [
        (r"^/lettre\.atom$", digest_feed),
        (r"^/lettre/(?P<id>\d+)$", digest_page),
        (r"^/desabonnement$", unsubscribe),
    ]
