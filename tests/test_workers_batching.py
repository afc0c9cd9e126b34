"""Calls batched to the worker pool: one job for calls made together, each caller its own outcome."""

from __future__ import annotations

import asyncio
import math

import pytest

from pipelines import workers


@pytest.fixture
def pool(started_workers):
    """The started pool, with the jobs submitted to it counted."""
    jobs = []
    submit = started_workers.submit

    def counted(*args, **kwargs):
        jobs.append(args)
        return submit(*args, **kwargs)

    started_workers.submit = counted
    yield started_workers, jobs
    started_workers.submit = submit


def test_calls_made_together_travel_as_one_job_and_keep_their_own_outcome(pool):
    pool, jobs = pool

    async def calls():
        return await asyncio.gather(*(workers.run_batched(pool, math.sqrt, x) for x in (4.0, -1.0, 9.0)),
                                    return_exceptions=True)

    first, failed, last = asyncio.run(calls())
    assert (first, last) == (2.0, 3.0)
    assert isinstance(failed, ValueError)  # raised on the worker, for this call only
    assert len(jobs) == 1


def test_a_full_batch_leaves_without_waiting(pool):
    pool, jobs = pool

    async def calls():
        return await asyncio.gather(*(workers.run_batched(pool, math.sqrt, float(n * n))
                                      for n in range(workers.BATCH_SIZE + 1)))

    assert asyncio.run(calls()) == [float(n) for n in range(workers.BATCH_SIZE + 1)]
    assert [len(job[2]) for job in jobs] == [workers.BATCH_SIZE, 1]


def test_an_exception_that_cannot_be_pickled_comes_back_as_text():
    class Local(Exception):  # defined in a function: pickle cannot find it by name
        pass

    def boom():
        raise Local("illisible")

    [(ok, error)] = workers.run_each(boom, [()])
    assert not ok and isinstance(error, RuntimeError) and "Local: illisible" in str(error)


def test_a_build_step_runs_on_the_warm_pool_in_chunks_and_keeps_the_order(pool):
    from glaneur.search_index import _analyzed_rows

    pool, jobs = pool
    rows = [(n, f"Épicerie n°{n}", "Les Restos du cœur", f"Appel à projets {n}", "appel_a_projets",
             '["approvisionnement"]', "[]", '["76"]', '["34"]', '["CCAS"]') for n in range(600)]
    labels = {"type": {"appel_a_projets": "Appel à projets"}, "departements": {"34": "Hérault (34)"}}
    assert workers.map_on_warm_pool(_analyzed_rows, rows, labels) == _analyzed_rows(rows, labels)
    assert len(jobs) > 1  # chunks, on the workers
    jobs.clear()
    assert workers.map_on_warm_pool(_analyzed_rows, rows[:10], labels) == _analyzed_rows(rows[:10], labels)
    assert not jobs  # too few to be worth sending


def test_no_warm_pool_no_workers_started(monkeypatch):
    monkeypatch.setattr(workers, "_pool", None)
    assert workers.map_on_warm_pool(sorted, [3, 1, 2]) == [1, 2, 3]
    assert workers.running_pool() is None
