"""Worker processes for the CPU-bound stages of a crawl: extraction, normalization, big feeds.

The reactor thread fetches, parses and stores; handing the heavy pure functions to other
cores keeps it fetching. The pool starts once enough documents have gone through the crawl
process to pay for the workers' start (imports, COG reference); small crawls stay in-process.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

# Documents seen by the process before the workers start: below this, spawning them (imports,
# COG reference: 2 to 3 s before a first result) costs more than it saves.
POOL_FROM = int(os.environ.get("GLANEUR_POOL_FROM", "200"))

_pool: ProcessPoolExecutor | None = None
_seen = 0


def _exit_with_parent(parent: int) -> None:
    """Initializer of every worker: end when the process that started it is gone. A parent killed
    with SIGKILL (a build stopped midway) never tells its workers, which otherwise wait on their
    queue forever, each holding a hundred megabytes."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="glaneur-parent-watch", daemon=True).start()


def new_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of spawned workers (no forked copy of the reactor) that die with their parent."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                               initializer=_exit_with_parent, initargs=(os.getpid(),))


def count_document() -> None:
    global _seen
    _seen += 1


def worker_pool(start: bool = False) -> ProcessPoolExecutor | None:
    """The process's pool once the crawl is big enough (or `start` says it will be); None
    before, or on one core."""
    global _pool
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or (_pool is None and _seen <= POOL_FROM and not start):
        return None
    if _pool is None:
        _pool = new_pool(workers)
        atexit.register(_pool.shutdown, wait=True, cancel_futures=True)
    return _pool


def running_pool() -> ProcessPoolExecutor | None:
    """The pool if this process already started it (its workers are warm), without starting it."""
    return _pool


async def on_worker(pool: ProcessPoolExecutor, func: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(pool, func, *args)


async def run_cpu(func: Callable[..., Any], *args: Any) -> Any:
    """func(*args) on a worker when the pool runs, else here."""
    pool = worker_pool()
    return func(*args) if pool is None else await on_worker(pool, func, *args)
