"""Same results, cheaper plans: the queries Datasette 0.65 writes for the resources table, rewritten.

Measured at 100k resources (docs/benchmarks.md), three of Datasette's queries cost most of a page:
- an `__arraycontains` filter, `:p0 in (select value from json_each(resources.themes))`, parses the
  JSON of every row (140 ms for the count alone). The build writes each array value once in
  `resources_valeurs` (colonne, valeur, ressource = rowid), indexed: the filter becomes an
  indexed lookup. The values are those of the same `json_each`, stored without affinity, so the
  comparison with the parameter is the very one SQLite made before;
- the count of a search, `rowid in (select rowid from resources_fts …)`, looks every match up in
  `resources` (114 ms for 75,000 matches); the index holds exactly the rows of `resources` (it is
  rebuilt from them at every build), so the index alone counts them (5 ms);
- the first page of a broad selection sorted by date sorts every row of it (140 ms for a search
  matching 75,000 rows): when the selection holds more than `DENSE` of the rows (its count, which
  the page needs anyway, is kept), walking the date index and stopping at the page's last row is
  cheaper (20 ms). `indexed by` only chooses the plan: the order, and so the rows, are unchanged.
"""

from __future__ import annotations

import os
import re

VALUES_TABLE = "resources_valeurs"
ARRAY_COLUMNS = ("themes", "audiences", "regions", "departements", "organisations")
PUBLISHED_INDEX = "idx_resources_published"
SEARCH_CLAUSE = "rowid in (select rowid from resources_fts where resources_fts match escape_fts(:search))"
# The first page of a selection is walked along the date index above this share of the rows.
DENSE = 0.02

_ARRAY_FILTER = re.compile(
    r':(?P<param>p\d+) in \(select value from json_each\((?:"resources"|\[resources\]|resources)\.'
    r'(?:"(?P<c1>\w+)"|\[(?P<c2>\w+)\]|(?P<c3>\w+))\)\)')
_SEARCH_COUNT = f"select count(*) from resources where {SEARCH_CLAUSE}"
_SELECTION_COUNT = re.compile(r'^select count\(\*\) from (?:resources|\[resources\]|"resources")(?: |$)')
# A first page sorted by date (the `_next` pages compare `published` in their where clause).
_SORTED_PAGE = re.compile(
    r"^(?P<head>select .+? from resources) (?P<where>where (?:(?!published|indexed by).)+?) "
    r"order by published desc(?P<tail>, .+)? limit (?P<limit>\d+)$", re.S)
_KNOWN_CALLS = re.compile(
    rf"(?:resources\.)?rowid in \(select ressource from {VALUES_TABLE} where colonne = '\w+' and valeur = :\w+\)"
    r"|rowid in \(select rowid from resources_fts where resources_fts match escape_fts\(:search\)\)"
    r"|resources_fts match escape_fts\(:search\)")
_COUNT_WHERE = re.compile(r"^select count\(\*\) from resources (?P<where>where .+)$", re.S)


def enabled() -> bool:
    """`GLANEUR_SQL_REWRITES=0` runs Datasette's own queries (to compare results and timings)."""
    return os.environ.get("GLANEUR_SQL_REWRITES", "1") != "0"


def rewrite_array_filters(sql: str) -> str:
    """`:p0 in (select value from json_each(resources.col))` → an indexed lookup in resources_valeurs."""
    def lookup(match: re.Match) -> str:
        column = match.group("c1") or match.group("c2") or match.group("c3")
        if column not in ARRAY_COLUMNS:
            return match.group(0)
        return (f"resources.rowid in (select ressource from {VALUES_TABLE} "
                f"where colonne = '{column}' and valeur = :{match.group('param')})")
    return _ARRAY_FILTER.sub(lookup, sql)


FTS_COUNT = "select count(*) from resources_fts where resources_fts match escape_fts(:search)"


def rewrite_search_count(sql: str) -> str:
    """The count of a search with no other filter, from the full-text index alone."""
    return FTS_COUNT if sql.strip() == _SEARCH_COUNT else sql


def is_selection_count(sql: str) -> bool:
    """Datasette's count of a selection of resources (`select count(*) from resources where …`)."""
    return _SELECTION_COUNT.match(sql.strip()) is not None


def sorted_page_count(sql: str) -> str | None:
    """For the first page of a selection sorted by date, the query counting the selection."""
    match = _SORTED_PAGE.match(sql.strip())
    return f"select count(*) from resources {match.group('where')}" if match else None


def page_in_date_order(sql: str, key: str) -> tuple[str, int] | None:
    """(where clause, limit) of a first page ordered by `published desc, <key>`: the order the
    facet index holds (`FacetIndex.date_order`), so the page's rowids can come from it."""
    match = _SORTED_PAGE.match(sql.strip())
    if not match or match.group("tail") != f", {key}":
        return None
    return match.group("where"), int(match.group("limit"))


def with_rowids(sql: str, rowids) -> str:
    """The same page, its rows named: `rowid in (…)` replaces the where clause (same order by)."""
    match = _SORTED_PAGE.match(sql.strip())
    listed = ", ".join(str(int(r)) for r in rowids) or "null"
    body = sql.strip()
    return f"{match.group('head')} where rowid in ({listed}) {body[match.end('where') + 1:]}"


def only_filters(sql: str) -> bool:
    """Whether sql calls nothing but the filters above (no `date('now')`, `random()`…): its
    result then depends on the file alone and may be kept for the life of the publication."""
    rest = _KNOWN_CALLS.sub("", sql.strip().removeprefix("select count(*)"))
    return "(" not in rest


def count_where(sql: str) -> str | None:
    match = _COUNT_WHERE.match(sql.strip())
    return match.group("where") if match else None


def along_date_index(sql: str) -> str:
    """The same page, planned along the date index: for a selection holding many rows, the
    page's rows are among the first index entries, where sorting every row of it costs them all."""
    match = _SORTED_PAGE.match(sql.strip())
    if not match:
        return sql
    head = match.group("head")
    return f"{head} indexed by {PUBLISHED_INDEX}{sql.strip()[len(head):]}"


def _insert_values(conn, rowids: list[int] | None = None) -> None:
    """The (column, value, rowid) rows of every resource, or of `rowids` only."""
    present = {row[1] for row in conn.execute("pragma table_info(resources)")}
    only = f" and r.rowid in ({','.join('?' * len(rowids))})" if rowids is not None else ""
    for column in ARRAY_COLUMNS:
        if column in present:
            conn.execute(f"insert into {VALUES_TABLE} (colonne, valeur, ressource) "
                         f"select distinct '{column}', j.value, r.rowid from resources r, json_each(r.[{column}]) j "
                         f"where json_valid(r.[{column}]){only}", rowids or [])


def refresh_values_rows(conn, rowids: list[int]) -> None:
    """The `resources_valeurs` rows of some resources again, after an editor's correction changed
    their lists (glaneur/corrections.py publishes a corrected copy without a build)."""
    if not rowids or not conn.execute("select 1 from sqlite_master where name = ?", [VALUES_TABLE]).fetchone():
        return
    conn.execute(f"delete from {VALUES_TABLE} where ressource in ({','.join('?' * len(rowids))})", rowids)
    _insert_values(conn, rowids)


def build_values_table(conn) -> None:
    """`resources_valeurs`: one row per (array column, value, resource rowid), for the filters above."""
    conn.execute(f"drop table if exists {VALUES_TABLE}")
    # No declared type on valeur: values keep json_each's types (a JSON number stays a number).
    conn.execute(f"create table {VALUES_TABLE} (colonne text, valeur, ressource integer)")
    _insert_values(conn)
    conn.execute(f"create index idx_{VALUES_TABLE} on {VALUES_TABLE} (colonne, valeur, ressource)")
