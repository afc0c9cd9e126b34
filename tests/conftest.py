"""Shared fixtures: one real offline crawl per test session, and a real Datasette server."""

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
