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
from glaneur.search_index import BM25_WEIGHTS, fts_query

PAGE_SIZE = 20
SORTS = {
    # Each order ends on the key: pages are cut by offset, and rows tied across a cut must not move.
    "pertinence": ("Pertinence", "f.rank_score, r.published desc, r.id"),
    "date": ("Plus récentes", "r.published desc nulls last, f.rank_score, r.id"),
    "echeance": ("Date limite la plus proche", "r.deadline is null, r.deadline, f.rank_score, r.id"),
}


@hookimpl(trylast=True)
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("glaneur_fts_query", 1, fts_query, deterministic=True)


async def _search(datasette, request):
    q = (request.args.get("q") or "").strip()
    sort = request.args.get("tri") if request.args.get("tri") in SORTS else "pertinence"
    try:
        page = max(1, int(request.args.get("page") or 1))
    except ValueError:
        page = 1
    db = datasette.get_database("glaneur")
    today = (await db.execute("select value from portal_settings where key = 'today'")).first()[0]
    results, total, sheets = [], 0, []
    if q:
        w = ", ".join(str(x) for x in BM25_WEIGHTS)
        params = {"q": q, "today": today, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
        only_open = "and r.deadline >= :today" if sort == "echeance" else ""
        sql = f"""
            with f as (select rowid, bm25(resources_fts, {w}) as rank_score from resources_fts
                       where resources_fts match glaneur_fts_query(:q))
            select r.id, r.title, r.type, r.summary, r.published, r.deadline, r.event_start,
                   r.statut_echeance, r.organisations
            from f join resources r on r.rowid = f.rowid
            where 1 {only_open}
            order by {SORTS[sort][1]} limit :limit offset :offset"""
        results = [dict(r) for r in (await db.execute(sql, params)).rows]
        total = (await db.execute(
            "select count(*) from resources_fts f join resources r on r.rowid = f.rowid "
            f"where resources_fts match glaneur_fts_query(:q) {only_open}", params)).first()[0]
        if page == 1 and await db.table_exists("fiches_fts"):
            sheets = [dict(r) for r in (await db.execute(
                "select s.slug, s.title, s.summary from fiches_fts f join fiches s on s.rowid = f.rowid "
                f"where fiches_fts match glaneur_fts_query(:q) order by bm25(fiches_fts, {w}) limit 5",
                {"q": q})).rows]

    def page_url(**changes) -> str:
        args = {"q": q, "tri": sort, "page": page, **changes}
        return datasette.urls.path("/recherche") + "?" + urlencode({k: v for k, v in args.items() if v})

    pages = max(1, -(-total // PAGE_SIZE))
    return Response.html(await datasette.render_template("recherche.html", {
        "q": q, "sort": sort, "sorts": {k: v[0] for k, v in SORTS.items()}, "results": results,
        "total": total, "sheets": sheets, "page": page, "pages": pages, "today": today,
        "sort_url": lambda key: page_url(tri=key, page=None),
        "prev_url": page_url(page=page - 1) if page > 1 else None,
        "next_url": page_url(page=page + 1) if page < pages else None,
        "table_url": datasette.urls.table("glaneur", "resources") + "?" + urlencode({"_search": q}),
    }, request=request))


@hookimpl
def register_routes():
    return [(r"^/recherche$", _search)]
