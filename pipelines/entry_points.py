"""Unchanged entry points confirm their documents without re-reading them.

Every document remembers the entry point it came from (`documents.origin`: the feed, listing
page or API page whose parsing led to it) and when the site last sent or confirmed its payload
(`documents.checked_at`); every entry point remembers the run that last parsed it
(`entry_points`). When an entry point answers 304 Not Modified, its content is byte for byte
what that run parsed. If that run was complete (status « ok »), the code and registry entry that
parsed it are the same, and every document it produced was checked by the site less than
GLANEUR_PAGE_MAX_AGE_HOURS ago, then parsing it again would yield the same documents: they are
confirmed (seen in this run) in one statement, and the pages behind them are not requested.
Pagination links are still followed, since later pages may have changed on their own.
Past the freshness window the entry point is parsed as usual and its pages revalidated.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from scrapy import Request
from scrapy.http import Response

from glaneur import __version__
from glaneur.items import Document
from pipelines.extract import EXTRACT_VERSION
from pipelines.store import in_batch, shared_db
from pipelines.vocabulary import mapping_signature
from spiders.base import now_iso


def is_entry_point(response: Response) -> bool:
    return not response.meta.get("glaneur_detail")


def entry_url(response: Response) -> str:
    """The URL the entry point was requested at (before any redirect)."""
    return (response.meta.get("redirect_urls") or [response.url])[0]


def origin_of(response: Response) -> str:
    return response.meta.get("glaneur_origin") or entry_url(response)


def crossed_wire(response: Response) -> bool:
    """The site itself answered (200, or 304 for a cached copy), not the cache alone."""
    return bool(response.meta.get("glaneur_wire"))


def follows(output) -> bool:
    """A request to another entry point (next page of a listing or an API), not to a detail page."""
    return isinstance(output, Request) and not output.meta.get("glaneur_detail")


def revalidated(response: Response) -> bool:
    """A cached copy the site has just confirmed with 304 Not Modified."""
    return "cached" in response.flags and crossed_wire(response)


class EntryPoints:
    """Spider middleware next to the spider: lineage of what it yields, and the 304 shortcut."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.max_age_hours = crawler.settings.getfloat("GLANEUR_PAGE_MAX_AGE_HOURS", 20.0)
        self.db_path = crawler.settings.get("GLANEUR_DB_PATH")
        self.cache_enabled = crawler.settings.getbool("HTTPCACHE_ENABLED")
        self._state: dict | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # --- what the previous run left -------------------------------------------------------------
    def signature(self, spider) -> str:
        mapping = mapping_signature(spider.source.id, self.crawler.settings.get("GLANEUR_MAPPINGS_DIR"))
        basis = json.dumps([__version__, EXTRACT_VERSION, asdict(spider.source), mapping], sort_keys=True, default=str)
        return hashlib.sha256(basis.encode()).hexdigest()[:20]

    def state(self, spider) -> dict:
        """Loaded once per run, at the first response (the run row exists by then)."""
        if self._state is None:
            db = shared_db(self.db_path)
            run_id = getattr(spider, "run_id", None)
            signature = self.signature(spider)
            previous = db.conn.execute(
                "select id, started, status from crawl_runs where source_id = ? and id < ? order by id desc limit 1",
                [spider.source.id, run_id or 1 << 62],
            ).fetchone()
            manifests = {}
            if previous and previous[2] == "ok":
                manifests = {
                    url: bool(leaf) for url, leaf in db.conn.execute(
                        "select url, leaf from entry_points where source_id = ? and run_id = ? and signature = ?",
                        [spider.source.id, previous[0], signature],
                    )
                }
            self._state = {"run_id": run_id, "previous": previous, "manifests": manifests, "signature": signature}
        return self._state

    def confirm(self, spider, url: str) -> tuple[bool, bool]:
        """(confirmed?, leaf?) for a revalidated entry point; confirms its documents if so."""
        state = self.state(spider)
        if not self.cache_enabled or self.max_age_hours <= 0 or url not in state["manifests"]:
            return False, False
        db = shared_db(self.db_path)
        since = state["previous"][1]
        fresh_after = (datetime.now(UTC) - timedelta(hours=self.max_age_hours)).replace(microsecond=0).isoformat()
        stale = db.conn.execute(
            "select count(*) from documents where source_id = ? and origin = ? and last_seen >= ? "
            "and (checked_at is null or checked_at < ?)",
            [spider.source.id, url, since, fresh_after],
        ).fetchone()[0]
        if stale:
            return False, False
        confirmed = in_batch(db).conn.execute(
            "update documents set last_seen = ? where source_id = ? and origin = ? and last_seen >= ?",
            [now_iso(), spider.source.id, url, since],
        ).rowcount
        self.crawler.stats.inc_value("glaneur/items_confirmed", confirmed)
        self.record(spider, url, leaf=state["manifests"][url])
        return True, state["manifests"][url]

    def record(self, spider, url: str, leaf: bool) -> None:
        state = self.state(spider)
        in_batch(shared_db(self.db_path)).conn.execute(
            "insert or replace into entry_points (source_id, url, signature, run_id, leaf) values (?, ?, ?, ?, ?)",
            [spider.source.id, url, state["signature"], state["run_id"], int(leaf)],
        )

    # --- the spider's output --------------------------------------------------------------------
    def tracks(self, spider) -> bool:
        """Source spiders storing into a database (not the link checker, for one)."""
        return bool(self.db_path) and getattr(spider, "source", None) is not None

    def mode(self, response: Response, spider) -> str:
        """parse (as usual), follow (pagination only: the rest is confirmed) or skip (all confirmed)."""
        if is_entry_point(response) and revalidated(response) and self.tracks(spider):
            done, leaf = self.confirm(spider, entry_url(response))
            if done:
                return "skip" if leaf else "follow"
        return "parse"

    def passed(self, mode: str, response: Response, output):
        """What goes on of one output: stamped with its lineage, or None when confirmed."""
        if mode == "follow":
            return output if follows(output) else None
        if isinstance(output, Request):
            if output.meta.get("glaneur_detail"):
                output.meta["glaneur_origin"] = origin_of(response)
        elif isinstance(output, Document):
            output.origin = origin_of(response)
            output.checked_at = now_iso() if crossed_wire(response) else None
        return output

    def finished(self, mode: str, response: Response, spider, leaf: bool) -> None:
        if mode == "parse" and is_entry_point(response) and self.tracks(spider):
            self.record(spider, entry_url(response), leaf)

    def process_spider_output(self, response, result, spider=None):
        spider = spider or self.crawler.spider
        mode = self.mode(response, spider)
        if mode == "skip":
            getattr(result, "close", lambda: None)()  # a generator callback then never runs
            return
        leaf = True
        for output in result:
            leaf = leaf and not follows(output)
            if (kept := self.passed(mode, response, output)) is not None:
                yield kept
        self.finished(mode, response, spider, leaf)

    async def process_spider_output_async(self, response, result, spider=None):
        spider = spider or self.crawler.spider
        mode = self.mode(response, spider)
        if mode == "skip":
            await result.aclose()
            return
        leaf = True
        async for output in result:
            leaf = leaf and not follows(output)
            if (kept := self.passed(mode, response, output)) is not None:
                yield kept
        self.finished(mode, response, spider, leaf)
