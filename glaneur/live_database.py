"""The running portal follows each publication, without a restart and without a failed request.

Datasette 0.65 opens published files with `immutable=1` and keeps one connection per thread and
per database *name*: after `os.replace` it went on reading the replaced file, held open as
« (deleted) », until restarted. Here each served file is a `PublishedDatabase` bound to the file
it was opened on; at most once a second, a request looks at the path, and when another file is
there it swaps in a new `PublishedDatabase` (new connections). The old one is closed when the
last request that started before the swap has finished.

Every query of the portal goes through these objects, so two more guarantees live here:
- a sorted table page gets its primary key as tie-break on the first page too (Datasette 0.65
  adds it only from the second page on, where its `_next` keyset expects it: rows tied across
  the first page boundary were never shown);
- the queries Datasette writes for the resources table run on cheaper plans with the same
  results (glaneur/sql_rewrites.py: indexed array filters, counts from the full-text index);
- an authorizer refuses `ATTACH`, `DETACH` and `pragma database_list` (the server's file
  paths) to every statement, whoever wrote it.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable

from datasette.database import Database, Results

from glaneur import sql_rewrites

CHECK_EVERY = 1.0  # seconds between two looks at the served paths
_COUNTER = itertools.count(1)
_THREAD = threading.local()
_DENIED = {sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH}
# The first page of a sorted table, as datasette/views/table.py writes it.
_TABLE_PAGE = re.compile(r"^select .+? from (?P<table>\[[^\]]+\]|\w+) ", re.S)
_SINGLE_SORT = re.compile(r" order by (?:\[[^\]]+\]|\w+)(?: desc)? limit \d+(?: offset \d+)?$")
_REFRESHERS: list[Callable[[object, str, Database], Awaitable[None]]] = []


def file_identity(path: str) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _authorize(action: int, arg1, arg2, db_name, trigger) -> int:
    if action in _DENIED or (action == sqlite3.SQLITE_PRAGMA and arg1 == "database_list"):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


class PublishedDatabase(Database):
    """An immutable database bound to the file it was opened on."""

    def __init__(self, ds, path: str):
        super().__init__(ds, path=path, is_mutable=False)
        self.identity = file_identity(path)
        self._key = f"published_{next(_COUNTER)}"
        self._tie_breaks: dict[str, str | None] = {}
        self._fingerprint: str | None = None
        self._fast: dict[str, object] | None = None  # what the rewrites may rely on in this file
        # Set by the facet plugin once its in-memory index of this file is built: answers the
        # selections made of facet filters (`selection(where, params)`, `date_order`).
        self.selector = None
        self._counts: dict[tuple, int] = {}  # count query → its result (this file never changes)

    def connect(self, write: bool = False) -> sqlite3.Connection:
        conn = super().connect(write)
        conn.set_authorizer(_authorize)
        return conn

    async def execute_fn(self, fn):
        if self.ds.executor is None:
            return await super().execute_fn(fn)

        def in_thread():
            conn = getattr(_THREAD, self._key, None)
            if conn is None:
                conn = self.connect()
                self.ds._prepare_connection(conn, self.name)
                setattr(_THREAD, self._key, conn)
            return fn(conn)

        return await asyncio.get_running_loop().run_in_executor(self.ds.executor, in_thread)

    async def attached_databases(self):
        return []  # nothing is ever attached, and `pragma database_list` is refused

    async def execute(self, sql, params=None, **kwargs):
        if sql_rewrites.enabled() and sql_rewrites.is_selection_count(sql):
            return Results([(await self.count(sql, params),)], False, [("count(*)",)])
        sql = await self.rewrite(await self._with_tie_break(sql), params)
        return await super().execute(sql, params, **kwargs)

    async def fingerprint(self) -> str:
        """What names this build: its `empreinte` (glaneur/publish.py), else the file's identity."""
        if self._fingerprint is None:
            def read(conn) -> str | None:
                try:
                    row = conn.execute("select value from portal_settings where key = 'empreinte'").fetchone()
                except sqlite3.Error:
                    return None
                return row[0] if row else None
            self._fingerprint = await self.execute_fn(read) or "fichier:" + ":".join(map(str, self.identity or ()))
        return self._fingerprint

    async def fast_features(self) -> dict[str, object]:
        """Tables and index of this file the rewrites use (read once: the file is immutable)."""
        if self._fast is None:
            def read(conn) -> dict[str, object]:
                names = {r[0] for r in conn.execute("select name from sqlite_master")}
                rows = conn.execute("select count(*) from resources").fetchone()[0] if "resources" in names else 0
                return {"values": sql_rewrites.VALUES_TABLE in names, "fts": "resources_fts" in names,
                        "date_index": sql_rewrites.PUBLISHED_INDEX in names, "rows": rows}
            self._fast = await self.execute_fn(read)
        return self._fast

    async def rewrite(self, sql: str, params=None) -> str:
        """Datasette's queries on resources, on the cheaper plans of glaneur/sql_rewrites.py."""
        if "resources" not in sql or not sql_rewrites.enabled():
            return sql
        fast = await self.fast_features()
        if fast["values"]:
            sql = sql_rewrites.rewrite_array_filters(sql)
        if fast["fts"]:
            sql = sql_rewrites.rewrite_search_count(sql)
        selector = self.selector
        if selector is not None and selector.date_order is not None:
            page = sql_rewrites.page_in_date_order(sql, self._tie_breaks.get("resources") or "[id]")
            mask = await selector.selection_with_search(self, page[0], params or {}) if page else None
            if mask is not None:
                order = selector.date_order
                return sql_rewrites.with_rowids(sql, order[mask[order]][:page[1]])
        count_sql = sql_rewrites.sorted_page_count(sql) if fast["date_index"] and fast["rows"] else None
        if count_sql is not None and sql_rewrites.only_filters(count_sql):  # kept: asked once
            try:
                rows = await self.count(count_sql, params)
            except Exception:  # noqa: BLE001 – a count that times out leaves Datasette's plan
                rows = 0
            if rows >= sql_rewrites.DENSE * fast["rows"]:
                sql = sql_rewrites.along_date_index(sql)
        return sql

    async def count(self, sql: str, params=None) -> int:
        """A `select count(*)` of this immutable file, computed once (Datasette asks it again on
        each page of a selection, and the first page asks it twice: see `rewrite`)."""
        sql = await self.rewrite(sql, params)
        try:
            key = (sql, tuple(sorted((params or {}).items()))) if sql_rewrites.only_filters(sql) else None
            hash(key)
        except (TypeError, AttributeError):
            key = None
        if key is not None and key in self._counts:
            return self._counts[key]
        where = sql_rewrites.count_where(sql) if self.selector is not None and key is not None else None
        mask = await self.selector.selection_with_search(self, where, params or {}) if where else None
        if self.selector is not None and key is not None and sql == sql_rewrites.FTS_COUNT:
            mask = await self.selector.search_rows(self, (params or {}).get("search"))  # read for the page
        if mask is not None:
            return int(mask.sum())  # the facet filters, counted in the facet index
        value = (await super().execute(sql, params)).rows[0][0]
        if key is not None:
            if len(self._counts) > 10_000:
                self._counts.clear()
            self._counts[key] = value
        return value

    async def _with_tie_break(self, sql: str) -> str:
        table = _TABLE_PAGE.match(sql)
        if not table or not _SINGLE_SORT.search(sql):
            return sql
        name = table.group("table").strip("[]")
        if name not in self._tie_breaks:
            self._tie_breaks[name] = await self.execute_fn(lambda conn: _primary_key(conn, name))
        key = self._tie_breaks[name]
        if not key:
            return sql
        head, limit = sql.rsplit(" limit ", 1)
        return f"{head}, {key} limit {limit}"


def _primary_key(conn: sqlite3.Connection, table: str) -> str | None:
    """The order Datasette's `_next` keyset uses after the sort column (None for a view)."""
    kind = conn.execute("select type from sqlite_master where name = ?", [table]).fetchone()
    if not kind or kind[0] != "table":
        return None
    pks = sorted((r[5], r[1]) for r in conn.execute(f"pragma table_info([{table}])") if r[5])
    return ", ".join(f"[{name}]" for _, name in pks) if pks else "rowid"


def on_swap(refresher: Callable[[object, str, Database], Awaitable[None]]) -> None:
    """Run `refresher(datasette, name, new_db)` after each swap (plugins' caches of a build)."""
    _REFRESHERS.append(refresher)


class Follower:
    """Swaps databases whose file changed, and closes the old ones once nobody reads them."""

    def __init__(self, datasette):
        self.datasette = datasette
        self.checked = 0.0
        self.lock = asyncio.Lock()
        self.generation = 0
        self.running: dict[int, int] = {}  # generation → requests in flight
        self.retired: list[tuple[int, PublishedDatabase]] = []  # (last generation using it, db)
        self._builds: tuple[dict, str] | None = None

    def adopt(self) -> None:
        """Replace Datasette's own objects for the served files by `PublishedDatabase`s."""
        databases = dict(self.datasette.databases)
        for name, db in databases.items():
            if db.path and not db.is_mutable and not isinstance(db, PublishedDatabase):
                databases[name] = self._named(PublishedDatabase(self.datasette, db.path), db)
                self.retired.append((-1, db))
        self.datasette.databases = databases

    @staticmethod
    def _named(new: PublishedDatabase, old: Database) -> PublishedDatabase:
        new.name, new.route = old.name, old.route
        return new

    async def follow(self) -> None:
        now = time.monotonic()
        if now - self.checked < CHECK_EVERY:
            return
        async with self.lock:
            if now - self.checked < CHECK_EVERY:
                return
            self.checked = now
            changed = [(name, db) for name, db in self.datasette.databases.items()
                       if isinstance(db, PublishedDatabase) and file_identity(db.path) not in (None, db.identity)]
            if not changed:
                return
            databases = dict(self.datasette.databases)
            for name, old in changed:
                new = self._named(PublishedDatabase(self.datasette, old.path), old)
                databases[name] = new
                self.retired.append((self.generation, old))
            self.datasette.databases = databases
            self.generation += 1
            for name, _ in changed:
                for refresher in _REFRESHERS:
                    await refresher(self.datasette, name, databases[name])

    async def builds(self) -> str:
        """The fingerprints of every served build, as one string (the pages' cache key and ETag)."""
        databases = self.datasette.databases
        if self._builds is None or self._builds[0] is not databases:
            names = sorted(((name, db) for name, db in databases.items() if isinstance(db, PublishedDatabase)),
                           key=lambda item: item[0])
            value = "|".join([f"{name}={await db.fingerprint()}" for name, db in names])
            self._builds = (databases, value)
        return self._builds[1]

    def started(self) -> int:
        self.running[self.generation] = self.running.get(self.generation, 0) + 1
        return self.generation

    def finished(self, generation: int) -> None:
        self.running[generation] -= 1
        if not self.running[generation]:
            del self.running[generation]
        oldest = min(self.running, default=self.generation)
        keep = []
        for last_used, db in self.retired:
            if last_used < oldest:
                db.close()
            else:
                keep.append((last_used, db))
        self.retired = keep
