"""Worker processes for the CPU-bound stages of a crawl: extraction, normalization, big feeds.

The reactor thread fetches, parses and stores; handing the heavy pure functions to other
cores keeps it fetching. The pool starts once enough documents have gone through the crawl
process to pay for the workers' start (imports, COG reference); small crawls stay in-process.

Every job handed to the pool costs the reactor's process about 0.4 ms whatever it carries
(pickling, the pool's two threads taking the GIL, waking the event loop): measured 390 µs per
job of one document, 50 µs per document in jobs of 16. Per-document calls are therefore
batched (`run_batched`): calls made within a few milliseconds of each other travel as one job.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import pickle
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from glaneur.gc_tuning import use_batch_thresholds

# Documents seen by the process before the workers start: below this, spawning them (imports,
# COG reference: 2 to 3 s before a first result) costs more than it saves.
POOL_FROM = int(os.environ.get("GLANEUR_POOL_FROM", "200"))
WORKERS = min(os.cpu_count() or 1, 4)
# A batch leaves when it holds BATCH_SIZE calls or BATCH_WAIT seconds after its first call: the
# wait only delays documents already downloaded, never a download.
BATCH_SIZE = 16
BATCH_WAIT = 0.02

_pool: ProcessPoolExecutor | None = None
_seen = 0


def _init_worker(parent: int) -> None:
    """Initializer of every worker: the collector's batch thresholds (glaneur/gc_tuning.py), and
    an end when the process that started it is gone. A parent killed with SIGKILL (a build
    stopped midway) never tells its workers, which otherwise wait on their queue forever, each
    holding a hundred megabytes."""
    use_batch_thresholds()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="glaneur-parent-watch", daemon=True).start()


def new_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of spawned workers (no forked copy of the reactor) that die with their parent."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                               initializer=_init_worker, initargs=(os.getpid(),))


def count_document() -> None:
    global _seen
    _seen += 1


def worker_pool(start: bool = False) -> ProcessPoolExecutor | None:
    """The process's pool once the crawl is big enough (or `start` says it will be); None
    before, or on one core."""
    global _pool
    if _pool is None and (WORKERS < 2 or (_seen <= POOL_FROM and not start)):
        return None
    if _pool is None:
        _pool = new_pool(WORKERS)
        atexit.register(_pool.shutdown, wait=True, cancel_futures=True)
    return _pool


def running_pool() -> ProcessPoolExecutor | None:
    """The pool if this process already started it (its workers are warm), without starting it."""
    return _pool


async def on_worker(pool: ProcessPoolExecutor, func: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(pool, func, *args)


def run_each(func: Callable[..., Any], calls: list[tuple]) -> list[tuple[bool, Any]]:
    """On a worker: func(*args) for every call of a batch. A call that raises gets its exception
    back, the others their results (an exception that cannot be pickled is sent as its text)."""
    results: list[tuple[bool, Any]] = []
    for args in calls:
        try:
            results.append((True, func(*args)))
        except Exception as exc:  # noqa: BLE001 (handed back to the caller of this one call)
            try:
                pickle.dumps(exc)
            except Exception:  # noqa: BLE001
                exc = RuntimeError(f"{exc.__class__.__name__}: {exc}")
            results.append((False, exc))
    return results


class Batcher:
    """Calls of one function, gathered for BATCH_WAIT seconds (or BATCH_SIZE calls) into one job."""

    def __init__(self, pool: ProcessPoolExecutor, func: Callable[..., Any]):
        self.pool = pool
        self.func = func
        self.pending: list[tuple[tuple, asyncio.Future]] = []
        self.timer: asyncio.TimerHandle | None = None

    async def call(self, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending.append((args, future))
        if len(self.pending) >= BATCH_SIZE:
            self.flush()
        elif self.timer is None:
            self.timer = loop.call_later(BATCH_WAIT, self.flush)
        return await future

    def flush(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        batch, self.pending = self.pending, []
        if batch:
            job = asyncio.wrap_future(self.pool.submit(run_each, self.func, [args for args, _ in batch]))
            job.add_done_callback(lambda done: _settle(batch, done))


def _settle(batch: list[tuple[tuple, asyncio.Future]], job: asyncio.Future) -> None:
    failure = job.exception() if not job.cancelled() else asyncio.CancelledError()
    outcomes = [(False, failure)] * len(batch) if failure else job.result()
    for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
        if future.done():  # the caller was cancelled meanwhile
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)


_batchers: dict[Callable[..., Any], Batcher] = {}


async def run_batched(pool: ProcessPoolExecutor, func: Callable[..., Any], *args: Any) -> Any:
    """func(*args) on a worker, in one job with the other calls of func made meanwhile (like
    on_worker, batched). `func` must be a module-level function (pickled by name)."""
    batcher = _batchers.get(func)
    if batcher is None or batcher.pool is not pool:
        batcher = _batchers[func] = Batcher(pool, func)
    return await batcher.call(*args)


def map_chunks(pool: ProcessPoolExecutor, func: Callable[..., list], items: list, *args: Any) -> list:
    """func(chunk, *args) over `items` cut into about four chunks per core, on `pool`; the
    chunks' results concatenated in order. `func` must be a module-level function."""
    size = max(1, -(-len(items) // ((os.cpu_count() or 1) * 4)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    return [out for part in pool.map(func, chunks, *([arg] * len(chunks) for arg in args)) for out in part]


def map_on_warm_pool(func: Callable[..., list], items: list, *args: Any, least: int = 500) -> list:
    """func(chunk, *args) over `items`: on the workers when a crawl in this process already
    started them (warm: nothing to import) and there are at least `least` items, here otherwise."""
    pool = running_pool()
    if pool is None or len(items) < least:
        return func(items, *args)
    return map_chunks(pool, func, items, *args)

