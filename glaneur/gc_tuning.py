"""Fewer cyclic garbage collections while a crawl or a build runs.

CPython collects its youngest generation every 700 net allocations of container objects and the
older ones every tenth time; a full collection walks every live object. A crawl allocates
millions (requests, responses, Deferreds, items) while holding thousands alive (the queued
requests, parsed feeds), so on the 5,000-page bench the crawl's process spent about 10 of its
35 seconds in the collector (2,900 young, 260 middle and 17 full collections). Collecting the
youngest generation every 50,000 allocations brings that under 1 s, for a peak memory of
251-261 MB instead of 248-249 MB: cyclic garbage only waits a little longer (docs/benchmarks.md).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BATCH_THRESHOLDS = (50_000, 20, 20)


def use_batch_thresholds() -> tuple[int, int, int]:
    """Switch this process to the batch thresholds; returns the previous ones."""
    previous = gc.get_threshold()
    gc.set_threshold(*BATCH_THRESHOLDS)
    return previous


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Batch thresholds for the duration of the block (a crawl, a build), then the previous ones."""
    previous = use_batch_thresholds()
    try:
        yield
    finally:
        gc.set_threshold(*previous)
