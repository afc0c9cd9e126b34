"""Retry that backs off: 429 and 503 wait for the server's Retry-After (or an exponential pause)
before the request is retried, and slow the whole domain down for the rest of the crawl."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response

BACKOFF_CODES = {429, 503}


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Replaces Scrapy's RetryMiddleware at the same place in the chain."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base_delay = settings.getfloat("GLANEUR_BACKOFF_BASE", 2.0)
        self.max_delay = settings.getfloat("GLANEUR_BACKOFF_MAX", 300.0)

    async def process_response(self, request: Request, response: Response, spider=None):
        if request.meta.get("dont_retry") or response.status not in BACKOFF_CODES:
            return super().process_response(request, response)
        header = response.headers.get("Retry-After", b"").decode("latin-1")
        attempt = request.meta.get("retry_times", 0)
        delay = retry_after_seconds(header)
        if delay is None:
            delay = self.base_delay * (2**attempt)
        delay = min(delay, self.max_delay)
        self.slow_down_domain(request, delay)
        retry = self._retry(request, f"HTTP {response.status}, nouvel essai dans {delay:.0f} s")
        if retry is None:
            return response
        await asyncio.sleep(delay)
        return retry

    def slow_down_domain(self, request: Request, delay: float) -> None:
        downloader = self.crawler.engine.downloader
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, min(delay, self.max_delay))
