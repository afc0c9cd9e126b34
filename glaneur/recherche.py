"""The /recherche page's search, shared by the portal plugin and `glaneur eval --recherche`.

The plugin (datasette/plugins/glaneur_recherche.py) runs `search` on Datasette's connection
(`db.execute_fn`), the evaluation on a plain sqlite3 connection: what is measured is what a
visitor gets.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from glaneur.search_index import BM25_WEIGHTS, fts_query

PAGE_SIZE = 20
SORTS = {
    # Each order ends on the key: pages are cut by offset, and rows tied across a cut must not move.
    "pertinence": ("Pertinence", "f.rank_score, r.published desc, r.id"),
    "date": ("Plus récentes", "r.published desc nulls last, f.rank_score, r.id"),
    "echeance": ("Date limite la plus proche", "r.deadline is null, r.deadline, f.rank_score, r.id"),
}


@dataclass
class SearchPage:
    q: str
    sort: str = "pertinence"
    page: int = 1
    results: list[dict] = field(default_factory=list)
    total: int = 0
    sheets: list[dict] = field(default_factory=list)


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the search needs on a connection (the plugin does it on Datasette's)."""
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("glaneur_fts_query", 1, fts_query, deterministic=True)


def _rows(conn: sqlite3.Connection, sql: str, params: dict) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("select 1 from sqlite_master where name = ?", (name,)).fetchone() is not None


def search(conn: sqlite3.Connection, q: str, today: str, sort: str = "pertinence", page: int = 1,
           page_size: int = PAGE_SIZE) -> SearchPage:
    """One page of results for what a visitor typed (functions of `register_functions` installed)."""
    q = (q or "").strip()
    sort = sort if sort in SORTS else "pertinence"
    result = SearchPage(q=q, sort=sort, page=page)
    if not q:
        return result
    w = ", ".join(str(x) for x in BM25_WEIGHTS)
    params = {"q": q, "today": today, "limit": page_size, "offset": (page - 1) * page_size}
    only_open = "and r.deadline >= :today" if sort == "echeance" else ""
    result.results = _rows(conn, f"""
        with f as (select rowid, bm25(resources_fts, {w}) as rank_score from resources_fts
                   where resources_fts match glaneur_fts_query(:q))
        select r.id, r.title, r.type, r.summary, r.published, r.deadline, r.event_start,
               r.statut_echeance, r.organisations
        from f join resources r on r.rowid = f.rowid
        where 1 {only_open}
        order by {SORTS[sort][1]} limit :limit offset :offset""", params)
    result.total = conn.execute(
        "select count(*) from resources_fts f join resources r on r.rowid = f.rowid "
        f"where resources_fts match glaneur_fts_query(:q) {only_open}", params).fetchone()[0]
    if page == 1 and _has_table(conn, "fiches_fts"):
        result.sheets = _rows(conn, (
            "select s.slug, s.title, s.summary from fiches_fts f join fiches s on s.rowid = f.rowid "
            f"where fiches_fts match glaneur_fts_query(:q) order by bm25(fiches_fts, {w}) limit 5"), {"q": q})
    return result
