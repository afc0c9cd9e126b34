"""French search: stemming, accents, ligatures and synonyms for `?_search=` and the /recherche page.

Datasette builds its search clause as `match escape_fts(:search)`; registering our own
`escape_fts` (after Datasette's, hence trylast) turns what a person typed into the analyzed
FTS query of glaneur.search_index, on every table page, in HTML, JSON, CSV and feeds alike.
The /recherche page adds what the table page cannot: bm25 relevance by default, sorts by
date and by closest deadline, and the practical sheets in the same results.
"""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils.asgi import Response

from datasette import hookimpl
from glaneur.recherche import PAGE_SIZE, SORTS, register_functions, search


@hookimpl(trylast=True)
def prepare_connection(conn):
    register_functions(conn)


async def _search(datasette, request):
    q = (request.args.get("q") or "").strip()
    sort = request.args.get("tri") if request.args.get("tri") in SORTS else "pertinence"
    try:
        page = max(1, int(request.args.get("page") or 1))
    except ValueError:
        page = 1
    db = datasette.get_database("glaneur")
    today = (await db.execute("select value from portal_settings where key = 'today'")).first()[0]
    found = await db.execute_fn(lambda conn: search(conn, q, today, sort=sort, page=page))

    def page_url(**changes) -> str:
        args = {"q": q, "tri": sort, "page": page, **changes}
        return datasette.urls.path("/recherche") + "?" + urlencode({k: v for k, v in args.items() if v})

    pages = max(1, -(-found.total // PAGE_SIZE))
    return Response.html(await datasette.render_template("recherche.html", {
        "q": q, "sort": sort, "sorts": {k: v[0] for k, v in SORTS.items()}, "results": found.results,
        "total": found.total, "sheets": found.sheets, "page": page, "pages": pages, "today": today,
        "sort_url": lambda key: page_url(tri=key, page=None),
        "prev_url": page_url(page=page - 1) if page > 1 else None,
        "next_url": page_url(page=page + 1) if page < pages else None,
        "table_url": datasette.urls.table("glaneur", "resources") + "?" + urlencode({"_search": q}),
    }, request=request))


@hookimpl
def register_routes():
    return [(r"^/recherche$", _search)]
