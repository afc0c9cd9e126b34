"""The collector's batch thresholds hold for a crawl or a build only, even one that fails."""

from __future__ import annotations

import gc

import pytest

from glaneur.gc_tuning import BATCH_THRESHOLDS, fewer_collections


def test_batch_thresholds_inside_the_block_previous_ones_after_even_on_error():
    before = gc.get_threshold()
    assert before != BATCH_THRESHOLDS
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold() == BATCH_THRESHOLDS
        raise RuntimeError("collecte interrompue")
    assert gc.get_threshold() == before


def test_workers_collect_with_the_batch_thresholds(started_workers):
    assert started_workers.submit(gc.get_threshold).result(timeout=60) == BATCH_THRESHOLDS
