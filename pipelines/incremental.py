"""Incremental crawling: conditional requests through Scrapy's HTTP cache, counted on the wire.

Scrapy's `HttpCacheMiddleware` keeps the last response of each URL (next to the database) and,
with `RevalidatePolicy`, asks the site every time with If-None-Match / If-Modified-Since; a
304 answer costs no body and the cached response is replayed. `WireStats` sits next to the
downloader and counts what really crossed the network (or the offline mirror).
"""

from __future__ import annotations

from time import time

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response


class RevalidatePolicy(RFC2616Policy):
    """RFC 2616 caching with our own freshness rule.

    Entry points (feeds, listings, API pages, sitemaps) are revalidated on every crawl: they are
    where news appears. Detail pages reached from them (articles, event pages, PDFs) are taken
    from the cache without a request while younger than GLANEUR_PAGE_MAX_AGE_HOURS (20 h by
    default, under a daily cadence), then revalidated with If-None-Match / If-Modified-Since.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.page_max_age = settings.getfloat("GLANEUR_PAGE_MAX_AGE_HOURS", 20.0) * 3600

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        if request.meta.get("glaneur_detail") and self.page_max_age > 0:
            if self._compute_current_age(cachedresponse, request, time()) < self.page_max_age:
                return True
        self._set_conditional_validators(request, cachedresponse)
        return False


class WireStats:
    """Downloader middleware (closest to the network): requests, bytes and 304s really exchanged."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if "cached" in response.flags:
            return response  # served by the HTTP cache without asking the site: nothing crossed the wire
        request.meta["glaneur_wire"] = True  # the site answered (pipelines/entry_points.py reads it)
        self.stats.inc_value("glaneur/wire/responses")
        self.stats.inc_value("glaneur/wire/bytes", len(response.body))
        if response.status == 304:
            self.stats.inc_value("glaneur/wire/not_modified")
        if request.headers.get("If-None-Match") or request.headers.get("If-Modified-Since"):
            self.stats.inc_value("glaneur/wire/conditional")
        return response
