"""Fixtures of the dedup tests (helpers in builddb.py)."""

from __future__ import annotations

import pytest

from tests.dedup.builddb import DemoDB


@pytest.fixture
def demo(tmp_path) -> DemoDB:
    """An empty real SQLite database with the demo sources."""
    return DemoDB(tmp_path / "glaneur.db")
