"""Practical sheets (fiches pratiques): editorial Markdown pages, each followed by live resources.

The sheets live in datasette/fiches/*.md (front matter: title, theme, summary, position) so
that editors change them without touching code; the list under each one is a query on the
resources of the sheet's theme, so it grows with every crawl.
"""

from __future__ import annotations

import markdown
from datasette.utils.asgi import NotFound, Response

from datasette import hookimpl
from glaneur.portal import FICHES_DIR, read_sheet


def _sheets() -> list[dict]:
    return sorted((read_sheet(p) for p in FICHES_DIR.glob("*.md")), key=lambda s: (s["position"], s["title"]))


async def sheets_index(datasette, request):
    return Response.html(await datasette.render_template(
        "fiches.html", {"sheets": _sheets()}, request=request))


async def sheet_page(datasette, request):
    slug = request.url_vars["slug"]
    path = FICHES_DIR / f"{slug}.md"
    if not path.exists():
        raise NotFound("Fiche introuvable")
    sheet = read_sheet(path)
    html = markdown.markdown(sheet["text"], extensions=["extra", "sane_lists", "toc"])
    db = datasette.get_database("glaneur")
    resources = []
    if sheet["theme"]:
        resources = [dict(r) for r in (await db.execute(
            "select id, title, type, summary, published, deadline, event_start, event_end, event_start_time, "
            "event_end_time, location, "
            "themes, regions, departements, organisations, statut_echeance from resources "
            "where exists (select 1 from json_each(resources.themes) where value = :theme) "
            "order by published desc nulls last limit 12", {"theme": sheet["theme"]})).rows]
    return Response.html(await datasette.render_template("fiche.html", {
        "sheet": sheet, "content": html, "resources": resources, "others": _sheets(),
        "more_url": datasette.urls.table("glaneur", "resources") + f"?themes__arraycontains={sheet['theme']}",
    }, request=request))


@hookimpl
def register_routes():
    return [(r"^/fiches/?$", sheets_index), (r"^/fiches/(?P<slug>[a-z0-9-]+)$", sheet_page)]
