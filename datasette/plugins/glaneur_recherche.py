"""French search: stemming, accents, ligatures and synonyms for `?_search=` and the /recherche page.

Datasette builds its search clause as `match escape_fts(:search)`; registering our own
`escape_fts` (after Datasette's, hence trylast) turns what a person typed into the analyzed
FTS query of glaneur.search_index, on every table page, in HTML, JSON, CSV and feeds alike.
The /recherche page adds what the table page cannot: bm25 relevance (scaled by what is still
useful) by default, sorts by date and by closest deadline, the practical sheets in the same
results, spelling corrections, resources holding some of the words when few hold them all, and
links to the facet a query names (glaneur/recherche.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils.asgi import Response

from datasette import hookimpl
from glaneur.recherche import FACET_COLUMNS, PAGE_SIZE, SORTS, register_functions, search


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
    exact = request.args.get("tel_quel") == "1"
    found = await db.execute_fn(lambda conn: search(conn, q, today, sort=sort, page=page, exact=exact))

    def page_url(**changes) -> str:
        args = {"q": q, "tri": sort, "page": page, "tel_quel": "1" if exact else None, **changes}
        return datasette.urls.path("/recherche") + "?" + urlencode({k: v for k, v in args.items() if v})

    table = datasette.urls.table("glaneur", "resources")
    pages = max(1, -(-found.total // PAGE_SIZE))
    return Response.html(await datasette.render_template("recherche.html", {
        "q": q, "sort": sort, "sorts": {k: v[0] for k, v in SORTS.items()}, "results": found.results,
        "total": found.total, "sheets": found.sheets, "page": page, "pages": pages, "today": today,
        "searched": found.searched, "corrected": found.corrected, "suggestion": found.suggestion,
        "partial": found.partial, "complete": found.complete,
        "exact_url": page_url(tel_quel="1", page=None),
        "suggestion_url": page_url(q=found.suggestion, page=None, tel_quel=None) if found.suggestion else None,
        "facets": [{**f, "url": table + "?" + urlencode({f["param"]: f["code"]})} for f in found.facets],
        "browse": [{**b, "url": table + "?" + urlencode({FACET_COLUMNS[b["colonne"]]: b["code"]})}
                   for b in found.browse],
        "sort_url": lambda key: page_url(tri=key, page=None),
        "prev_url": page_url(page=page - 1) if page > 1 else None,
        "next_url": page_url(page=page + 1) if page < pages else None,
        "table_url": table + "?" + urlencode({"_search": found.searched}),
    }, request=request))


@hookimpl
def register_routes():
    return [(r"^/recherche$", _search)]
