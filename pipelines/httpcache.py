"""Scrapy's HTTP cache kept in one SQLite file beside the database.

Scrapy ships a DBM storage, but on a Python built without gdbm/ndbm the `dbm` module falls back
to `dbm.dumb`, which opens and appends to files for every response and is not crash-safe. SQLite
is always there: one file, WAL journal, one connection shared by every spider of the process.
Writes are committed by batches (a lost entry only costs a refetch), not one transaction per
response. The interface is Scrapy's cache storage one (open_spider, retrieve_response,
store_response).
"""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path
from time import time

from scrapy.http import Request, Response
from scrapy.utils.project import data_path
from scrapy.utils.response import response_from_dict

FILE_NAME = "cache.sqlite"

_connections: dict[str, list] = {}  # path → [connection, spiders using it, writes not committed]
COMMIT_EVERY = 200


def _open(path: str) -> sqlite3.Connection:
    entry = _connections.get(path)
    if entry is None:
        conn = sqlite3.connect(path, isolation_level=None)  # transactions opened by hand, by batches
        conn.execute("pragma journal_mode = wal")
        conn.execute("pragma synchronous = normal")  # a lost cache entry only costs a refetch
        conn.execute(
            "create table if not exists responses (spider text, key text, time real, data blob, "
            "primary key (spider, key))"
        )
        entry = _connections[path] = [conn, 0, 0]
    entry[1] += 1
    return entry[0]


def _release(path: str) -> None:
    entry = _connections.get(path)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] <= 0:
        if entry[0].in_transaction:
            entry[0].execute("commit")
        entry[0].close()
        del _connections[path]


def _written(path: str) -> None:
    entry = _connections[path]
    entry[2] += 1
    if entry[2] >= COMMIT_EVERY:
        entry[0].execute("commit")
        entry[2] = 0


class SqliteCacheStorage:
    def __init__(self, settings):
        self.path = str(Path(data_path(settings["HTTPCACHE_DIR"], createdir=True)) / FILE_NAME)
        self.expiration_secs = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.conn: sqlite3.Connection | None = None

    def open_spider(self, spider) -> None:
        self.conn = _open(self.path)
        self.spider_name = spider.name
        self._fingerprinter = spider.crawler.request_fingerprinter

    def close_spider(self, spider) -> None:
        _release(self.path)
        self.conn = None

    def retrieve_response(self, spider, request: Request) -> Response | None:
        key = self._fingerprinter.fingerprint(request).hex()
        row = self.conn.execute(
            "select time, data from responses where spider = ? and key = ?", [self.spider_name, key]
        ).fetchone()
        if row is None or 0 < self.expiration_secs < time() - row[0]:
            return None
        request.meta["cache_timestamp"] = row[0]
        return response_from_dict(pickle.loads(row[1]))  # noqa: S301 (our own cache file)

    def store_response(self, spider, request: Request, response: Response) -> None:
        key = self._fingerprinter.fingerprint(request).hex()
        if not self.conn.in_transaction:
            self.conn.execute("begin")
        self.conn.execute(
            "insert or replace into responses (spider, key, time, data) values (?, ?, ?, ?)",
            [self.spider_name, key, time(), pickle.dumps(response.to_dict(), protocol=4)],
        )
        _written(self.path)
