"""Scrapy's downloader with its per-domain concurrency limit actually enforced.

With the asyncio reactor, Scrapy 2.19 starts each download as an asyncio task and marks the
request « transferring » only when that task first runs, one loop turn later. Meanwhile
`Downloader._process_queue` sees every transfer slot free and starts the whole queue of the
domain at once: measured on loopback with no download delay, 12 requests in flight on one host
where CONCURRENT_REQUESTS_PER_DOMAIN is 2, and a new TCP connection for almost every request
(the connection pool keeps 2 per host and closes the rest). Live crawls were spared only by
their download delay, which starts one request per pass.

Marking the request transferring as it is scheduled restores the limit; the set makes Scrapy's
own `add` in `_download` a no-op, and its `remove` still frees the slot when the download ends.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class PoliteDownloader(Downloader):
    def _process_queue(self, slot: Slot) -> None:
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # the one line Scrapy is missing
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:  # one request per pass when a delay is set, as Scrapy does
                self._process_queue(slot)
                break
