"""The scheduler: fixed triggers computed from a given `now`, a persistent job store that survives
restarts, coalesced missed runs, and a clean stop on SIGTERM. Crawls are real offline subprocesses."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from apscheduler.triggers.cron import CronTrigger

from glaneur.registry import load_registry
from schedules import jobs
from schedules.frenchtime import PARIS
from schedules.runner import build_scheduler, cadence_trigger, desired_jobs, next_runs, sync_jobs
from tests.support import ROOT, glaneur


def write_registry(path: Path, cadences: dict[str, str], disabled: tuple[str, ...] = ()) -> Path:
    """A registry with real sources of the offline mirror, at the cadences a test needs."""
    entries = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    chosen = [dict(e, cadence=cadences[e["id"]], enabled=e["id"] not in disabled)
              for e in entries if e["id"] in cadences]
    path.write_text(yaml.safe_dump({"sources": chosen}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def setup(tmp_path):
    registry = write_registry(tmp_path / "sources.yaml", {"france-pat": "hourly", "hal": "weekly"})
    return tmp_path / "glaneur.db", registry


def _specs(db, registry):
    return desired_jobs(load_registry(registry), db, offline=True, registry=registry)


def test_next_fire_times_from_a_given_now(setup):
    db, registry = setup
    specs = {s.id: s for s in _specs(db, registry)}
    assert set(specs) == {"crawl:france-pat", "crawl:hal", "rebuild", "digest:hebdo", "digest:quotidien"}
    # Friday before the switch to summer time: Monday 07:00 in Paris is 05:00 UTC.
    spring = datetime(2026, 3, 27, 10, 0, tzinfo=UTC)
    assert specs["digest:hebdo"].trigger.get_next_fire_time(None, spring) == datetime(2026, 3, 30, 7, 0, tzinfo=PARIS)
    assert specs["digest:hebdo"].trigger.get_next_fire_time(None, spring).utcoffset() == timedelta(hours=2)
    autumn = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert specs["digest:hebdo"].trigger.get_next_fire_time(None, autumn).astimezone(UTC) == \
        datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    hourly = specs["crawl:france-pat"].trigger.get_next_fire_time(None, autumn)
    assert timedelta(0) < hourly - autumn <= timedelta(hours=1)
    weekly = specs["crawl:hal"].trigger.get_next_fire_time(None, autumn).astimezone(PARIS)
    assert weekly.weekday() == 6 and 1 <= weekly.hour <= 5
    monthly = cadence_trigger("hal", "monthly").get_next_fire_time(None, autumn)
    assert monthly.day == 1 and monthly.month == 12
    # Fixed times: the same source always gets the same slot.
    assert str(cadence_trigger("hal", "daily")) == str(cadence_trigger("hal", "daily"))
    ordered = [spec.id for spec, _ in next_runs(list(specs.values()), autumn)]
    assert ordered[0] == "rebuild" and ordered[-1] == "digest:hebdo"


def test_job_store_survives_restarts_and_follows_the_registry(setup):
    db, registry = setup
    past = datetime.now(PARIS).replace(microsecond=0) - timedelta(hours=5)
    first = build_scheduler(db)
    first.start(paused=True)
    assert set(sync_jobs(first, _specs(db, registry)).values()) == {"ajoutée"}
    job = first.get_job("crawl:france-pat")
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)
    first.modify_job("crawl:france-pat", next_run_time=past)  # as if the machine had been off
    first.shutdown()
    assert (db.parent / "planificateur.db").exists()
    listing = glaneur("schedule", "--list", "--db", str(db), "--registry", str(registry)).stdout
    assert "(en retard)" in next(line for line in listing.splitlines() if line.startswith("crawl:france-pat"))

    reopened = build_scheduler(db)
    reopened.start(paused=True)
    assert sync_jobs(reopened, _specs(db, registry))["crawl:france-pat"] == "inchangée"
    assert reopened.get_job("crawl:france-pat").next_run_time == past  # neither --list nor a restart lost it
    reopened.shutdown()

    write_registry(registry, {"france-pat": "hourly", "hal": "monthly"}, disabled=("france-pat",))
    second = build_scheduler(db, grace=600)
    second.start(paused=True)
    try:
        changes = sync_jobs(second, _specs(db, registry), grace=600)
        assert changes["crawl:france-pat"] == "supprimée"
        assert changes["crawl:hal"] == "modifiée" and changes["digest:hebdo"] == "modifiée"  # new grace
        assert str(second.get_job("crawl:hal").trigger) == str(cadence_trigger("hal", "monthly"))
        assert second.get_job("digest:hebdo").misfire_grace_time == 600
        assert set(sync_jobs(second, _specs(db, registry), grace=600).values()) == {"inchangée"}
    finally:
        second.shutdown()

    write_registry(registry, {"france-pat": "hourly", "hal": "monthly"})
    third = build_scheduler(db, grace=600)
    third.start(paused=True)
    try:
        sync_jobs(third, _specs(db, registry), grace=600)
        assert third.get_job("crawl:france-pat").next_run_time > past  # re-added: a fresh slot
    finally:
        third.shutdown()


def _run_until(scheduler, job_id: str, mask: int, timeout: float = 120) -> list:
    """Resume the scheduler and wait for the job's first event (the crawl subprocess, not the clock)."""
    events, seen = [], threading.Event()

    def listen(event):
        if event.job_id == job_id:
            events.append(event)
            seen.set()

    scheduler.add_listener(listen, mask)
    scheduler.resume()
    assert seen.wait(timeout), f"aucun événement pour {job_id}"
    scheduler.shutdown(wait=True)
    return events


def _runs(db: Path, source_id: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select status, items from crawl_runs where source_id = ?", [source_id]).fetchall()
    finally:
        conn.close()


def test_missed_runs_are_coalesced_into_one_real_crawl(setup):
    db, registry = setup
    scheduler = build_scheduler(db, grace=4 * 3600)
    scheduler.start(paused=True)
    sync_jobs(scheduler, _specs(db, registry), grace=4 * 3600)
    now = datetime.now(PARIS)
    scheduler.modify_job("crawl:france-pat", next_run_time=now - timedelta(hours=3, minutes=1))  # 3 missed hours
    events = _run_until(scheduler, "crawl:france-pat", EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    assert [e.code for e in events] == [EVENT_JOB_EXECUTED] and events[0].retval == 0
    assert _runs(db, "france-pat") == [("ok", 3)]  # one run for three missed slots
    after = build_scheduler(db)
    after.start(paused=True)
    try:
        assert after.get_job("crawl:france-pat").next_run_time > now
    finally:
        after.shutdown()


def test_runs_missed_beyond_the_grace_time_are_skipped(setup):
    db, registry = setup
    scheduler = build_scheduler(db, grace=60)
    scheduler.start(paused=True)
    sync_jobs(scheduler, _specs(db, registry), grace=60)
    now = datetime.now(PARIS)
    # france-pat's hourly slot is minute 50: a run within a minute after it found that slot
    # inside the grace time (coalesced runs keep the latest) and executed. Its slot is put half
    # an hour away, so the latest missed run is always ~30 minutes old, beyond the 60 s grace.
    scheduler.reschedule_job("crawl:france-pat", trigger=CronTrigger(minute=(now.minute + 30) % 60, timezone=PARIS))
    scheduler.modify_job("crawl:france-pat", next_run_time=now - timedelta(hours=2))
    events = _run_until(scheduler, "crawl:france-pat", EVENT_JOB_EXECUTED | EVENT_JOB_MISSED)
    assert [e.code for e in events] == [EVENT_JOB_MISSED]
    assert not db.exists() or _runs(db, "france-pat") == []


def _start_due_scheduler(db: Path, registry: Path, shutdown_grace: str) -> subprocess.Popen:
    """`glaneur schedule` in the foreground with the crawl of france-pat already due."""
    scheduler = build_scheduler(db)
    scheduler.start(paused=True)
    sync_jobs(scheduler, _specs(db, registry))
    scheduler.modify_job("crawl:france-pat", next_run_time=datetime.now(PARIS) - timedelta(minutes=5))
    scheduler.shutdown()
    process = subprocess.Popen(
        [sys.executable, "-m", "glaneur.cli", "schedule", "--offline", "--db", str(db), "--registry",
         str(registry), "--arret", shutdown_grace],
        cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=os.environ.copy(),
    )
    watchdog = threading.Timer(120, process.kill)  # never hang the suite if the crawl does not start
    watchdog.start()
    try:
        for line in process.stderr:
            if "Collecte de « france-pat » lancée" in line:
                return process
    finally:
        watchdog.cancel()
    process.kill()
    raise AssertionError("la collecte n'a pas démarré")


def _stop_and_read(process: subprocess.Popen, timeout: float) -> str:
    """SIGTERM the scheduler and return the rest of its log once it has exited.

    Bounded: past `timeout` the scheduler is asked for its threads' stacks (SIGUSR1), killed,
    and the test fails with what it printed, instead of the suite hanging on the pipe."""
    process.send_signal(signal.SIGTERM)
    chunks: list[str] = []
    reader = threading.Thread(target=lambda: chunks.extend(process.stderr), daemon=True)
    reader.start()
    reader.join(timeout)
    if reader.is_alive():
        if process.poll() is None:
            process.send_signal(signal.SIGUSR1)
            reader.join(2)
            process.kill()
        raise AssertionError(f"le planificateur ne s'est pas arrêté en {timeout:g} s :\n" + "".join(chunks)[-6000:])
    return "".join(chunks)


def test_sigterm_interrupts_a_running_crawl_when_there_is_no_grace(setup):
    db, registry = setup
    process = _start_due_scheduler(db, registry, "0")
    rest = _stop_and_read(process, timeout=90)
    assert process.wait(timeout=5) == 0
    assert "Planificateur arrêté (1 tâche(s) interrompue(s))" in rest
    assert [status for status, _ in _runs(db, "france-pat")] == ["interrompu"]


def test_sigterm_lets_a_running_crawl_finish(setup):
    db, registry = setup
    process = _start_due_scheduler(db, registry, "120")
    rest = _stop_and_read(process, timeout=180)
    assert process.wait(timeout=5) == 0
    assert "Collecte de « france-pat » terminée" in rest and "Planificateur arrêté." in rest
    assert _runs(db, "france-pat") == [("ok", 3)]


def test_rebuild_runs_only_after_new_crawls(tmp_path):
    db = tmp_path / "glaneur.db"
    assert not jobs.rebuild_needed(str(db))
    glaneur("crawl", "--offline", "--source", "france-pat", "--no-build", "--db", str(db))
    assert jobs.rebuild_needed(str(db))
    assert jobs.rebuild(str(db)) == 0
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from resources").fetchone()[0] == 3
    conn.close()
    assert not jobs.rebuild_needed(str(db))


def test_schedule_list_cli(setup):
    db, registry = setup
    out = glaneur("schedule", "--list", "--db", str(db), "--registry", str(registry)).stdout
    assert "crawl:france-pat" in out and "Collecte de « france-pat » (toutes les heures)" in out
    hebdo = next(line for line in out.splitlines() if line.startswith("digest:hebdo"))
    assert "lundi" in hebdo and "à 07:00" in hebdo
    assert "5 tâche(s) planifiée(s) ; heures de Paris." in out
