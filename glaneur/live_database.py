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

from datasette.database import Database

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
        sql = await self._with_tie_break(sql)
        return await super().execute(sql, params, **kwargs)

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
