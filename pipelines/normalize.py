"""Normalize each new or changed document as it arrives, on the extraction workers.

The crawl waits on the network most of the time; normalizing then (type, themes, territories,
dates) instead of in the build that follows uses cores that would sit idle. The result goes to
the build's cache (glaneur/normalize_cache.py) under the same key the build computes, so the
build only normalizes what the crawl did not.
"""

from __future__ import annotations

from glaneur.items import Document
from glaneur.normalize_cache import document_inputs, normalize_keyed
from glaneur.today import reference_today
from pipelines.store import fields_json
from pipelines.workers import on_worker, worker_pool


def stored_inputs(doc: Document) -> dict:
    """The inputs of normalize() as the build will read them back from the database."""
    return document_inputs({**vars(doc), "fields": fields_json(doc)})


class NormalizePipeline:
    """Scrapy stage just before storage: sets item.normalized = (key, day used, fields)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item):
        if item.unchanged:
            return item
        pool = worker_pool()
        if pool is not None:  # a small crawl leaves normalization to the build
            source = self.crawler.spider.source.as_row()
            item.normalized = await on_worker(pool, normalize_keyed, stored_inputs(item), source, reference_today())
        return item
