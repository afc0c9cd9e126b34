"""Record one `crawl_runs` row per source and run, whatever happens to the crawl."""

from __future__ import annotations

import json

from scrapy import signals

from pipelines.store import commit, shared_db
from spiders.base import now_iso


def run_status(items: int, errors: int) -> str:
    """ok, partiel (some errors) or echec (nothing collected)."""
    if items == 0:
        return "echec"
    return "partiel" if errors else "ok"


class CrawlRunRecorder:
    def __init__(self, crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("GLANEUR_DB_PATH")
        self.mode = "hors-ligne" if crawler.settings.getbool("GLANEUR_OFFLINE") else "en-ligne"
        self.run_id: int | None = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def opened(self, spider):
        db = shared_db(self.db_path)
        db["sources"].upsert(spider.source.as_row(), pk="id")
        self.run_id = db["crawl_runs"].insert(
            {"source_id": spider.source.id, "started": now_iso(), "status": "en cours", "mode": self.mode}
        ).last_pk
        spider.run_id = self.run_id
        commit(db)  # other processes (scheduler, health) see the run at once

    def spider_error(self, failure, response, spider):
        spider.fail(f"Erreur d'analyse de {response.url} : {failure.value!r}")

    def item_error(self, item, response, spider, failure):
        """A pipeline crashed on an item: count it as an error of the run, naming the URL."""
        url = getattr(item, "url", None) or getattr(response, "url", "?")
        spider.fail(f"Erreur de traitement de {url} : {failure.value!r}"[:500])

    def closed(self, spider, reason):
        final_checks = getattr(spider, "final_checks", None)
        if final_checks is not None:
            final_checks()
        stats = self.crawler.stats
        # Documents of unchanged entry points are confirmed without going through the pipelines.
        confirmed = stats.get_value("glaneur/items_confirmed", 0)
        items = stats.get_value("item_scraped_count", 0) + confirmed
        errors = list(spider.errors)
        if reason not in ("finished",):
            errors.append(f"Collecte interrompue : {reason}")
        summary = {
            "ended": now_iso(),
            "status": run_status(items, len(errors)),
            "pages": stats.get_value("response_received_count", 0),
            "items": items,
            "items_new": stats.get_value("glaneur/items_new", 0),
            "items_updated": stats.get_value("glaneur/items_updated", 0),
            "items_unchanged": stats.get_value("glaneur/items_unchanged", 0) + confirmed,
            "errors_count": len(errors),
            "errors": json.dumps(errors, ensure_ascii=False),
        }
        db = shared_db(self.db_path)
        db["crawl_runs"].update(self.run_id, summary)
        commit(db)
        spider.run_summary = summary
