"""`glaneur liens`: link rot. Every source URL of every resource is checked politely (the crawl's
Scrapy settings: robots.txt, throttling, 2 requests per domain) with HEAD, then GET when the
server refuses HEAD. Broken links are recorded with the date they broke; nothing is deleted,
and the last good copy of the text stays in `documents`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import scrapy
import sqlite_utils
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from twisted.python.failure import Failure

from glaneur.db import open_db
from glaneur.links import http_url
from glaneur.publish import database_lock

HEAD_REFUSED = {405, 501}


@dataclass
class LinkResult:
    url: str
    status: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


class LinkCheckSpider(scrapy.Spider):
    name = "liens"
    custom_settings = {"ITEM_PIPELINES": {}, "EXTENSIONS": {}, "HTTPCACHE_ENABLED": False}

    def __init__(self, urls: list[str], results: list[LinkResult], **kwargs):
        super().__init__(**kwargs)
        self.urls = urls
        self.results = results

    async def start(self):
        for url in self.urls:
            yield self.check(url, "HEAD")

    def check(self, url: str, method: str) -> scrapy.Request:
        return scrapy.Request(url, method=method, callback=self.done, errback=self.failed, dont_filter=True,
                              meta={"handle_httpstatus_all": True, "link": url, "method": method})

    def done(self, response: Response):
        link = response.meta["link"]
        if response.meta["method"] == "HEAD" and response.status in HEAD_REFUSED:
            yield self.check(link, "GET")
            return
        self.results.append(LinkResult(link, response.status, None))

    def failed(self, failure: Failure):
        request = failure.request
        if request.meta.get("method") == "HEAD":
            return self.check(request.meta["link"], "GET")
        self.results.append(LinkResult(request.meta["link"], None, str(failure.value)[:300]))
        return None


def urls_to_check(db: sqlite_utils.Database, limit: int | None = None) -> list[str]:
    rows = db.execute("select distinct url from resource_sources order by url").fetchall()
    urls = [url for (url,) in rows if http_url(url)]
    return urls[:limit] if limit else urls


def record(db: sqlite_utils.Database, results: list[LinkResult], checked_at: str) -> None:
    """Upsert one row per URL; `casse_depuis` keeps the first day it was seen broken."""
    table = db["link_checks"]
    previous = {row["url"]: row for row in table.rows}
    rows = []
    for result in sorted(results, key=lambda r: r.url):
        old = previous.get(result.url, {})
        rows.append({
            "url": result.url, "checked_at": checked_at, "status": result.status, "ok": int(result.ok),
            "error": result.error,
            "casse_depuis": None if result.ok else (old.get("casse_depuis") or checked_at[:10]),
            "dernier_succes": checked_at[:10] if result.ok else old.get("dernier_succes"),
        })
    table.upsert_all(rows, pk="url")


def check_links(db_path: Path, settings, limit: int | None = None) -> list[LinkResult]:
    db = open_db(db_path)
    urls = urls_to_check(db, limit)
    db.close()
    results: list[LinkResult] = []
    if urls:
        process = CrawlerProcess(settings)
        process.crawl(LinkCheckSpider, urls=urls, results=results)
        process.start()
    with database_lock(db_path):
        db = open_db(db_path)
        record(db, results, datetime.now(UTC).replace(microsecond=0).isoformat())
        db.close()
    return results
