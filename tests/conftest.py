"""Shared fixtures: one real offline crawl per test session, a real Datasette server, and the
worker processes of a crawl."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import glaneur, serve_portal


@pytest.fixture(scope="session")
def offline_db(tmp_path_factory) -> Path:
    """The whole offline mirror crawled and built once; tests must not modify it."""
    db = tmp_path_factory.mktemp("offline") / "glaneur.db"
    glaneur("crawl", "--offline", "--db", str(db))
    return db


@pytest.fixture(scope="session")
def portal(offline_db) -> Iterator[str]:
    """A real `glaneur serve` (Datasette) on 127.0.0.1, serving the offline database."""
    with serve_portal(offline_db) as base:
        yield base


@pytest.fixture
def started_workers():
    """The process's worker pool, started as a big crawl starts it, and gone afterwards."""
    from pipelines import workers

    pool = workers.worker_pool(start=True)
    if pool is None:
        pytest.skip("une seule unité de calcul : pas de processus auxiliaires")
    yield pool
    pool.shutdown()
    workers._pool = None  # later tests start from a process without workers, as a crawl does


def pytest_collection_modifyitems(config, items):
    """Checks marked `slow` (minutes at bench scale) run only when `-m` names them."""
    if "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="vérification longue : lancer avec -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)

