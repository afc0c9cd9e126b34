"""What the scheduler runs. Crawls and rebuilds are subprocesses: Scrapy's Twisted reactor cannot
restart inside one long-lived process, and a child can be stopped cleanly on shutdown.

Job functions take only strings and booleans so APScheduler can store them in SQLite.
"""

from __future__ import annotations

import json
import logging
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import sqlite_utils

from glaneur.db import open_db
from glaneur.today import reference_today as today
from schedules.frenchtime import iso_now
from schedules.store import open_subscribers_db, scheduler_db_path, subscribers_db_path

log = logging.getLogger("glaneur.planificateur")

INTERRUPTED = "interrompu"
_running: dict[str, subprocess.Popen] = {}
_terminated: set[str] = set()
_lock = threading.Lock()
stopping = threading.Event()


def crawl_command(source_id: str, db_path: str, offline: bool, registry: str | None = None) -> list[str]:
    """`python -m glaneur.cli crawl --source ID --db PATH --no-build [--offline]` (rebuilds are separate)."""
    command = [sys.executable, "-m", "glaneur.cli", "crawl", "--source", source_id, "--db", db_path, "--no-build"]
    if registry:
        command += ["--registry", registry]
    if offline:
        command.append("--offline")
    return command


def run_child(key: str, command: list[str], started: str | None = None) -> tuple[int, bool]:
    """Run one child process; returns its exit code and whether shutdown interrupted it.

    `started` is logged once the child exists: a stop requested after that line lets it finish
    (or interrupts it), one requested before finds no child and starts none.
    """
    with _lock:
        if stopping.is_set():
            return -1, True
        # A session of its own: Ctrl+C in a terminal reaches the scheduler, which decides.
        process = subprocess.Popen(command, start_new_session=True)
        _running[key] = process
        if started:
            log.info(started)
    try:
        code = process.wait()
    finally:
        with _lock:
            _running.pop(key, None)
            interrupted = key in _terminated
            _terminated.discard(key)
    return code, interrupted


def stop_children(grace: float) -> list[str]:
    """Stop accepting work, let running children finish for `grace` seconds, then terminate them.

    Scrapy answers SIGTERM by closing the spider, which records its run; the job then marks
    that run « interrompu ». Returns the keys of the children that had to be stopped.
    """
    stopping.set()
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        with _lock:
            if not _running:
                return []
        time.sleep(0.1)
    with _lock:
        stopped = list(_running)
        for key, process in _running.items():
            _terminated.add(key)
            log.warning("Arrêt demandé : « %s » est interrompu.", key)
            process.send_signal(signal.SIGTERM)
        processes = list(_running.values())
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    return stopped


def mark_interrupted(db_path: str, source_id: str, since: str, reason: str) -> int:
    """Mark the source's runs started since `since` as « interrompu » (one is created if none began)."""
    db = open_db(db_path)
    try:
        rows = [r["id"] for r in db["crawl_runs"].rows_where("source_id = ? and started >= ?", [source_id, since])]
        ended = iso_now()
        for run_id in rows:
            run = db["crawl_runs"].get(run_id)
            errors = json.loads(run.get("errors") or "[]") + [reason]
            db["crawl_runs"].update(run_id, {
                "status": INTERRUPTED, "ended": run.get("ended") or ended,
                "errors": json.dumps(errors, ensure_ascii=False), "errors_count": len(errors),
            })
        if not rows:
            db["crawl_runs"].insert({
                "source_id": source_id, "started": since, "ended": ended, "status": INTERRUPTED,
                "pages": 0, "items": 0, "items_new": 0, "items_updated": 0, "items_unchanged": 0,
                "errors_count": 1, "errors": json.dumps([reason], ensure_ascii=False),
            })
        return max(1, len(rows))
    finally:
        db.close()


def mark_stale_runs(db_path: str, older_than: str) -> int:
    """Runs still « en cours » that began before `older_than` died with a previous scheduler."""
    db = open_db(db_path)
    try:
        with db.conn:
            cursor = db.execute(
                "update crawl_runs set status = ?, ended = coalesce(ended, ?) where status = 'en cours' "
                "and started < ?", [INTERRUPTED, iso_now(), older_than],
            )
        return cursor.rowcount
    finally:
        db.close()


def crawl_source(source_id: str, db_path: str, offline: bool = False, registry: str | None = None) -> int:
    """Crawl one source in a child process (the scheduled job of each source)."""
    started = iso_now()
    code, interrupted = run_child(f"crawl:{source_id}", crawl_command(source_id, db_path, offline, registry),
                                  started=f"Collecte de « {source_id} » lancée.")
    if interrupted:
        mark_interrupted(db_path, source_id, started, "Collecte interrompue par l'arrêt du planificateur")
        log.warning("Collecte de « %s » interrompue.", source_id)
    else:
        log.info("Collecte de « %s » terminée (code %s).", source_id, code)
    return code


def _state(db_path: str) -> sqlite_utils.Database:
    db = sqlite_utils.Database(scheduler_db_path(db_path))
    if not db["glaneur_etat"].exists():
        db["glaneur_etat"].create({"key": str, "value": str}, pk="key")
    return db


def rebuild_needed(db_path: str) -> bool:
    """True when a crawl has ended since the last rebuild run by the scheduler."""
    state = _state(db_path)
    row = state.execute("select value from glaneur_etat where key = 'derniere_reconstruction'").fetchone()
    main = open_db(db_path)
    try:
        latest = main.execute(
            "select max(ended) from crawl_runs where status in ('ok', 'partiel')"
        ).fetchone()[0]
    finally:
        main.close()
    return bool(latest) and (row is None or latest > row[0])


def rebuild(db_path: str) -> int:
    """Normalize, deduplicate and publish (`glaneur build`) when crawls brought something new."""
    if not rebuild_needed(db_path):
        log.info("Reconstruction inutile : aucune collecte depuis la dernière.")
        return 0
    stamp = iso_now()
    code, interrupted = run_child("rebuild", [sys.executable, "-m", "glaneur.cli", "build", "--db", db_path],
                                  started="Reconstruction de la base lancée.")
    if code == 0 and not interrupted:
        _state(db_path)["glaneur_etat"].upsert({"key": "derniere_reconstruction", "value": stamp}, pk="key")
        log.info("Reconstruction terminée.")
    else:
        log.error("Reconstruction en échec ou interrompue (code %s).", code)
    return code


def send_digest(db_path: str, frequence: str = "hebdo") -> int:
    """Publish the public weekly digest (hebdo only) and send subscribers of this frequency theirs."""
    from schedules.sending import publish_public, send_to_subscribers

    if stopping.is_set():
        return 0
    subscribers = open_subscribers_db(subscribers_db_path(db_path))
    as_of = today()
    if frequence == "hebdo":
        main = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True)
        try:
            digest, digest_id = publish_public(main, subscribers, as_of, timedelta(days=7))
        finally:
            main.close()
        log.info("Lettre publique n°%s publiée (%d ressource(s)).", digest_id, len(digest.resource_ids))
    reports = send_to_subscribers(db_path, subscribers, as_of, frequence)
    for report in reports:
        log.info("Lettre %s pour %s : %s (%d ressource(s)) %s", frequence, report.email, report.status,
                 report.resources, report.message)
    return sum(1 for r in reports if r.status == "envoyé")
