"""Fast facets for the resources table: one in-memory index, one filtered query per page.

Datasette 0.65 runs each facet as its own SQL query over the filtered rows, and its array
facet de-duplicates whole rows: at 100k resources the resources page took 10 s. The portal
database is served immutable (`-i`), so this facet type (`glaneur`) loads, once, for every
faceted column, the (rowid, value code) pairs into numpy arrays; a page then runs a single
`select rowid … where <the page's filters>` and counts every facet with `numpy.bincount`.
On a mutable database (or another table) it falls back to plain SQL per facet.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import NamedTuple

import numpy as np
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from datasette import hookimpl
from glaneur import sql_rewrites
from glaneur.links import first_page

ARRAY_COLUMNS = {"themes", "audiences", "regions", "departements", "organisations"}
INDEXED_TABLE = "resources"
SEARCH_CLAUSE = sql_rewrites.SEARCH_CLAUSE
SEARCH_ROWIDS = "select rowid from resources_fts where resources_fts match escape_fts(:search)"
SEARCHES_KEPT = 16  # a mask per search: 100 kB at 100k resources, 1 MB at a million
# One filter of a where clause the index answers (see FacetIndex.selection).
_FACET_TERM = re.compile(
    rf"(?:(?:resources\.)?rowid in \(select ressource from {sql_rewrites.VALUES_TABLE} where colonne = '(?P<acol>\w+)' "
    r"and valeur = :(?P<ap>\w+)\)|\"(?P<scol>\w+)\" = :(?P<sp>\w+)|(?P<one>1))\s*")
_SELECT_LIST = re.compile(r"^\s*select\s.*?\sfrom\s+(\[?resources\]?|\"resources\")\s", re.S | re.I)


def read_rowids(conn, sql: str, params: dict) -> np.ndarray:
    """The rowids a `select rowid …` query returns, as one string parsed by numpy (3 times faster
    than a tuple per row)."""
    joined = conn.execute(sql.replace("select rowid ", "select group_concat(rowid) ", 1), params).fetchone()[0]
    return np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.zeros(0, dtype=np.int64)


class ColumnIndex(NamedTuple):  # not a dataclass: plugins-dir modules are not in sys.modules
    rowids: np.ndarray  # one entry per (row, value)
    codes: np.ndarray  # index into values
    values: list


class FacetIndex:
    """Per-column value codes of every row of an immutable table, built once."""

    def __init__(self, max_rowid: int, columns: dict[str, ColumnIndex]):
        self.max_rowid = max_rowid
        self.columns = columns
        self._codes: dict[str, dict] = {}
        self.date_order: np.ndarray | None = None  # rowids in page order, when built (build_grouped)
        self._searches: dict[str, np.ndarray] = {}  # search → its rows, the last SEARCHES_KEPT searches

    @classmethod
    def build(cls, conn, columns: list[str]) -> FacetIndex:
        cursor = conn.execute(f"select rowid, {', '.join(escape_sqlite(c) for c in columns)} from resources")
        pairs: dict[str, tuple[list, list, dict]] = {c: ([], [], {}) for c in columns}
        max_rowid = 0
        for row in cursor:
            rowid = row[0]
            max_rowid = max(max_rowid, rowid)
            for column, raw in zip(columns, row[1:], strict=True):
                if raw is None:
                    continue
                rowids, codes, seen = pairs[column]
                items = set(json.loads(raw or "[]")) if column in ARRAY_COLUMNS else (raw,)
                for item in items:
                    code = seen.setdefault(item, len(seen))
                    rowids.append(rowid)
                    codes.append(code)
        built = {
            c: ColumnIndex(np.array(r, dtype=np.int64), np.array(k, dtype=np.int64), list(seen))
            for c, (r, k, seen) in pairs.items()
        }
        return cls(max_rowid, built)

    @classmethod
    def build_grouped(cls, conn, columns: list[str]) -> FacetIndex:
        """The same index from SQL groups, without a Python step per row (a minute at 1M rows):
        each value's rowids come as one string that numpy parses; list values from
        `resources_valeurs` (the same json_each values, each once per row)."""
        max_rowid = conn.execute("select coalesce(max(rowid), 0) from resources").fetchone()[0]
        built = {}
        for column in columns:
            if column in ARRAY_COLUMNS:
                groups = conn.execute(f"select valeur, group_concat(ressource) from {sql_rewrites.VALUES_TABLE} "
                                      "where colonne = ? group by valeur", [column])
            else:
                col = escape_sqlite(column)
                groups = conn.execute(f"select {col}, group_concat(rowid) from resources "
                                      f"where {col} is not null group by {col}")
            values, rowids, codes = [], [], []
            for code, (value, joined) in enumerate(groups):
                found = np.fromstring(joined, dtype=np.int64, sep=",")
                values.append(value)
                rowids.append(found)
                codes.append(np.full(len(found), code, dtype=np.int64))
            built[column] = ColumnIndex(np.concatenate(rowids) if rowids else np.zeros(0, dtype=np.int64),
                                        np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64), values)
        index = cls(max_rowid, built)
        # Every rowid in the order of the table's pages (`published desc, id`, as SQLite sorts them).
        # (Read row by row: the order of group_concat is not guaranteed.)
        ordered = conn.execute("select rowid from resources order by published desc, id")
        index.date_order = np.fromiter((r[0] for r in ordered), dtype=np.int64)
        return index

    def selection(self, where: str, params: dict) -> np.ndarray | None:
        """The rows of a where clause made only of facet filters, from the index: `"col" = :p`
        on a column holding text only (SQLite compares text to text exactly, as Python does) and
        the list filters of glaneur/sql_rewrites.py (values without affinity, compared as stored).
        None when the clause holds anything else: SQL answers it."""
        body = where.strip()
        if body in ("", "where 1"):
            return None
        if not body.startswith("where "):
            return None
        body, pos, terms = body[len("where "):], 0, []
        while True:
            term = _FACET_TERM.match(body, pos)
            if term is None:
                return None
            terms.append(term)
            pos = term.end()
            if pos == len(body):
                break
            if not body.startswith("and ", pos):
                return None
            pos += len("and ")
        mask = np.ones(self.max_rowid + 1, dtype=bool)
        for term in terms:
            if term.group("one"):
                continue
            column = term.group("acol") or term.group("scol")
            value = params.get(term.group("ap") or term.group("sp"))
            if column not in self.columns or not isinstance(value, str):
                return None
            if term.group("scol") and (column in ARRAY_COLUMNS or not self.text_only(column)):
                return None
            if term.group("acol") and column not in ARRAY_COLUMNS:
                return None
            index = self.columns[column]
            code = self.codes(column).get(value)
            part = np.zeros(self.max_rowid + 1, dtype=bool)
            if code is not None:
                part[index.rowids[index.codes == code]] = True
            mask &= part
        return mask

    def rows_mask(self, rowids: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.max_rowid + 1, dtype=bool)
        mask[rowids[rowids <= self.max_rowid]] = True
        return mask

    async def search_rows(self, db, search) -> np.ndarray | None:
        """The rows a table search (`?_search=`) finds, read from the full-text index once for its
        page, its count and its facets, and kept for the next searches of this file."""
        if not isinstance(search, str):
            return None
        if search not in self._searches:
            found = self.rows_mask(await db.execute_fn(lambda conn: read_rowids(conn, SEARCH_ROWIDS,
                                                                               {"search": search})))
            found.flags.writeable = False  # shared by every page of this search: never changed in place
            if len(self._searches) >= SEARCHES_KEPT:
                self._searches.pop(next(iter(self._searches)))
            self._searches[search] = found
        return self._searches[search]

    async def selection_with_search(self, db, where: str, params: dict) -> np.ndarray | None:
        """`selection`, where the clause may also hold the table's search (SEARCH_CLAUSE)."""
        if SEARCH_CLAUSE not in where:
            return self.selection(where, params)
        rest = where.replace(SEARCH_CLAUSE, "1")
        mask = np.ones(self.max_rowid + 1, dtype=bool) if rest.strip() == "where 1" else self.selection(rest, params)
        found = await self.search_rows(db, params.get("search")) if mask is not None else None
        return mask & found if found is not None else None

    def codes(self, column: str) -> dict:
        if column not in self._codes:
            self._codes[column] = {v: i for i, v in enumerate(self.columns[column].values)
                                   if isinstance(v, str)}
        return self._codes[column]

    def text_only(self, column: str) -> bool:
        return all(isinstance(v, str) for v in self.columns[column].values)

    def counts(self, column: str, mask: np.ndarray) -> list[tuple[object, int]]:
        index = self.columns[column]
        selected = index.codes[mask[index.rowids]]
        counted = np.bincount(selected, minlength=len(index.values))
        return [(index.values[i], int(n)) for i, n in enumerate(counted) if n]


_INDEXES: dict[str, tuple[object, FacetIndex]] = {}  # database name → (the Database it was built on, index)
_LOCK = asyncio.Lock()


def _columns(datasette, database: str) -> list[str]:
    facets = (datasette.table_metadata(database, INDEXED_TABLE) or {}).get("facets") or []
    return [next(iter(f.values())) if isinstance(f, dict) else f for f in facets
            if not isinstance(f, dict) or "glaneur" in f]


async def get_index(datasette, database: str) -> FacetIndex | None:
    db = datasette.get_database(database)
    if db.is_mutable or not await db.table_exists(INDEXED_TABLE):
        return None
    async with _LOCK:  # one index per published file: a new build gets its own (live_database.py)
        built_on, index = _INDEXES.get(database, (None, None))
        if built_on is not db:
            columns = [c for c in _columns(datasette, database) if c in await db.table_columns(INDEXED_TABLE)]
            grouped = sql_rewrites.enabled() and getattr(db, "fast_features", None) \
                and (await db.fast_features())["values"]
            build = FacetIndex.build_grouped if grouped else FacetIndex.build
            index = await db.execute_fn(lambda conn: build(conn, columns))
            _INDEXES[database] = (db, index)
            if grouped:
                db.selector = index  # its counts and first pages (glaneur/live_database.py)
    return index


class GlaneurFacet(Facet):
    """Facets on scalar or JSON-array columns (arrays filter with `__arraycontains`)."""

    type = "glaneur"

    async def _mask(self, index: FacetIndex) -> np.ndarray | None:
        """Rows of the page's selection as a boolean array indexed by rowid.

        Datasette's search clause costs one table lookup per match when run as is; the full-text
        rowids are read from the FTS table alone and intersected with the other filters' rows.
        """
        match = _SELECT_LIST.match(self.sql)
        if not match:
            return None
        where = self.sql[match.end():]
        db = self.ds.get_database(self.database)
        if getattr(db, "rewrite", None) and sql_rewrites.enabled() and (await db.fast_features())["values"]:
            where = sql_rewrites.rewrite_array_filters(where)  # indexed, same rows
        queries = []
        mask = np.ones(index.max_rowid + 1, dtype=bool)
        if SEARCH_CLAUSE in where:
            found = await index.search_rows(db, self.params.get("search")) if sql_rewrites.enabled() else None
            if found is None:
                queries.append(SEARCH_ROWIDS)
            else:
                mask = found
            where = where.replace(SEARCH_CLAUSE, "1")
        in_memory = index.selection(where, self.params) if sql_rewrites.enabled() else None
        if in_memory is not None:
            mask = mask & in_memory  # the facet filters, from the index itself: no SQL
        elif where.strip() not in ("", "where 1"):
            queries.append("select rowid from resources " + where)

        def read(conn) -> np.ndarray:
            selected = mask.copy()
            for sql in queries:
                selected &= index.rows_mask(read_rowids(conn, sql, self.params))
            return selected

        return await db.execute_fn(read) if queries else mask

    async def _sql_counts(self, column: str, limit: int) -> list[tuple[object, int]]:
        col = escape_sqlite(column)
        if column in ARRAY_COLUMNS:
            sql = (f"select j.value, count(*) as n from (select {col} from ({self.sql})) r, json_each(r.{col}) j "
                   f"group by j.value order by n desc, j.value limit {limit}")
        else:
            sql = (f"select {col}, count(*) as n from ({self.sql}) where {col} is not null "
                   f"group by {col} order by n desc, {col} limit {limit}")
        rows = await self.ds.execute(self.database, sql, self.params, truncate=False,
                                     custom_time_limit=self.ds.setting("facet_time_limit_ms"))
        return [(r[0], r[1]) for r in rows.rows]

    async def facet_results(self):
        configs = self.get_configs()
        if not configs:
            return [], []
        size = self.get_facet_size()
        index = await get_index(self.ds, self.database) if self.table == INDEXED_TABLE else None
        mask = await self._mask(index) if index else None
        pairs = self.get_querystring_pairs()
        results, timed_out = [], []
        for source_and_config in configs:
            column = source_and_config["config"].get("column") or source_and_config["config"]["simple"]
            try:
                if mask is not None and column in index.columns:
                    counted = sorted(index.counts(column, mask), key=lambda vc: (-vc[1], str(vc[0])))[:size + 1]
                else:
                    counted = await self._sql_counts(column, size + 1)
            except Exception as exc:  # noqa: BLE001 – a timed-out facet must not break the page
                if "interrupted" not in str(exc).lower():
                    raise
                timed_out.append(column)
                continue
            key = f"{column}__arraycontains" if column in ARRAY_COLUMNS else (
                f"{column}__exact" if column.startswith("_") else column)
            values = []
            for value, count in counted[:size]:
                selected = (key, str(value)) in pairs
                toggle = (path_with_removed_args if selected else path_with_added_args)(
                    self.request, {key: str(value)})
                if "_next=" in toggle:  # Datasette urlencodes the query: without _next, first_page keeps it as is
                    toggle = first_page(toggle)
                values.append({"value": value, "label": value, "count": count, "selected": selected,
                               "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle))})
            results.append({
                "name": column, "type": self.type, "hideable": source_and_config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_glaneur": column})),
                "results": values, "truncated": len(counted) > size,
            })
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [GlaneurFacet]


@hookimpl
def startup(datasette):
    async def warm():
        for name in datasette.databases:
            if name == "glaneur":
                await get_index(datasette, name)
    return warm
