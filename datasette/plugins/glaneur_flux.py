"""Atom and iCalendar for any selection of resources: search, facets, filters or canned query.

datasette-atom and datasette-ics only render SQL queries that alias special columns; these
renderers read the resources columns themselves, so `resources.atom?_search=…&type=formation`
and `appels_ouverts.ics` work from the very rows Datasette filtered (its permissions included).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event
from lxml import etree

from datasette import hookimpl
from glaneur.links import http_url
from glaneur.selection import whole_selection

PORTAL = "Portail de la lutte contre la précarité alimentaire"
ATOM_NS = "http://www.w3.org/2005/Atom"
AGENDA_ROWS = 2000  # rows of a selection an agenda holds at most


def _when(value) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        try:
            parsed = datetime.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _title(datasette, request, table, query_name) -> str:
    meta = {}
    if table:
        meta = datasette.table_metadata("glaneur", table) or {}
    elif query_name:
        meta = (datasette.metadata("queries", database="glaneur", fallback=False) or {}).get(query_name) or {}
    title = f"{PORTAL} – {meta.get('title') or table or query_name}"
    search = request.args.get("_search")
    return f"{title} – « {search} »" if search else title


def _row_url(datasette, request, row) -> str:
    return datasette.absolute_url(request, datasette.urls.row("glaneur", "resources", row["id"]))


def render_atom(datasette, request, rows, table, query_name):
    fg = FeedGenerator()
    page = datasette.absolute_url(request, request.full_path.replace(".atom", "", 1))
    fg.id(page)
    fg.title(_title(datasette, request, table, query_name))
    fg.link(href=page, rel="alternate")
    fg.link(href=datasette.absolute_url(request, request.full_path), rel="self")
    fg.language("fr")
    fg.author({"name": PORTAL})
    newest = None
    for row in rows:
        row = dict(row)
        fe = fg.add_entry(order="append")
        url = _row_url(datasette, request, row)
        fe.id(url)
        fe.title(row["title"] or "(sans titre)")
        fe.link(href=url)
        if http_url(row.get("url")):
            fe.link(href=http_url(row["url"]), rel="related")
        if row.get("summary"):
            fe.summary(row["summary"])
        when = _when(row.get("published")) or _when(row.get("updated")) or datetime(2000, 1, 1, tzinfo=UTC)
        fe.published(when)
        fe.updated(when)
        newest = max(newest or when, when)
    fg.updated(newest or datetime.now(UTC))
    return Response(_with_link_relations(fg.atom_str(pretty=True)), content_type="application/atom+xml; charset=utf-8")


def _with_link_relations(atom: bytes) -> bytes:
    """feedgen 1.0 drops the `rel` of entry links, so both read as `alternate` (RFC 4287 allows
    one per type and language): the portal page stays the alternate, the source is `related`."""
    root = etree.fromstring(atom)
    for entry in root.iterfind(f"{{{ATOM_NS}}}entry"):
        for link in entry.findall(f"{{{ATOM_NS}}}link")[1:]:
            link.set("rel", "related")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


PARIS = ZoneInfo("Europe/Paris")


def _clock(value) -> time | None:
    try:
        return time.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _event_span(start: date, end: date, start_time, end_time) -> tuple[date | datetime, date | datetime | None]:
    """Whole days (DTEND the day after, RFC 5545), or Paris hours written in UTC when the page or
    the source gives them: a webinar from 14 h to 16 h is not a day-long event. With a start hour
    and no end hour, a one-day event has no DTEND (it ends when it starts, RFC 5545 3.6.1)."""
    begins = _clock(start_time)
    if begins is None:
        return start, end + timedelta(days=1)
    first = datetime.combine(start, begins, PARIS).astimezone(UTC)
    finishes = _clock(end_time)
    if finishes is None:
        return first, (None if end == start else datetime.combine(end, time(23, 59), PARIS).astimezone(UTC))
    return first, datetime.combine(end, finishes, PARIS).astimezone(UTC)


def render_ics(datasette, request, rows, table, query_name):
    cal = Calendar()
    cal.add("prodid", "-//Glaneur//Portail précarité alimentaire//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _title(datasette, request, table, query_name))
    stamp = datetime.now(UTC)
    for row in rows:
        row = dict(row)
        url = _row_url(datasette, request, row)
        start, end = _day(row.get("event_start")), _day(row.get("event_end"))
        if start:
            ev = Event()
            ev.add("uid", f"{row['id']}-evenement@glaneur")
            ev.add("summary", row["title"])
            begins, ends = _event_span(start, end or start, row.get("event_start_time"), row.get("event_end_time"))
            ev.add("dtstart", begins)
            if ends is not None:
                ev.add("dtend", ends)
            ev.add("dtstamp", stamp)
            ev.add("url", url)
            if row.get("location"):
                ev.add("location", row["location"])
            # URL is the portal's page; the description gives the summary and the source's own page
            description = "\n\n".join(part for part in (
                row.get("summary") or "", f"Source : {http_url(row.get('url'))}" if http_url(row.get("url")) else "")
                if part)
            if description:
                ev.add("description", description)
            cal.add_component(ev)
        deadline = _day(row.get("deadline"))
        if deadline:
            ev = Event()
            ev.add("uid", f"{row['id']}-date-limite@glaneur")
            ev.add("summary", f"Date limite : {row['title']}")
            ev.add("dtstart", deadline)
            ev.add("dtend", deadline + timedelta(days=1))
            ev.add("dtstamp", stamp)
            ev.add("url", url)
            cal.add_component(ev)
    return Response(cal.to_ical().decode("utf-8"), content_type="text/calendar; charset=utf-8")


async def _whole_selection_ics(datasette, request, rows, table, query_name, sql, data, database):
    """An agenda holds the whole selection, not the page it was asked from (26 of 36 events were)."""
    rows = await whole_selection(datasette, rows, sql, data, database, table, AGENDA_ROWS)
    return render_ics(datasette, request, rows, table, query_name)


def _is_resources(columns) -> bool:
    return {"id", "title"} <= set(columns or [])


def _can_atom(columns) -> bool:
    return _is_resources(columns) and "published" in columns


def _can_ics(columns) -> bool:
    return _is_resources(columns) and ("event_start" in columns or "deadline" in columns)


def _refused(kind: str, needed: str) -> Response:
    """Datasette calls a renderer for any table that asks; one without the columns gets a 400."""
    return Response.text(
        f"Pas de {kind} pour ce tableau : il faut des ressources (colonnes id, title et {needed}). "
        "Les flux se prennent sur la table des ressources, une recherche, une sélection ou une requête.",
        status=400)


@hookimpl
def register_output_renderer(datasette):
    return [
        {
            "extension": "atom",
            "render": lambda datasette, request, rows, table, query_name, columns: render_atom(
                datasette, request, rows, table, query_name) if _can_atom(columns)
            else _refused("flux Atom", "published"),
            "can_render": _can_atom,
        },
        {
            "extension": "ics",
            "render": lambda datasette, request, rows, table, query_name, columns, sql, data, database: (
                _whole_selection_ics(datasette, request, rows, table, query_name, sql, data, database)
                if _can_ics(columns) else _refused("agenda iCalendar", "event_start ou deadline")),
            "can_render": _can_ics,
        },
    ]
