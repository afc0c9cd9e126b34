"""The foreground scheduler (APScheduler 3, job store in SQLite) behind `glaneur schedule`.

Triggers are fixed cron times derived from each source's cadence, so a restart never shifts the
schedule and the next run time kept in `planificateur.db` stays meaningful: runs missed while
the scheduler was down are coalesced into one, if they are within the misfire grace time.
"""

from __future__ import annotations

import faulthandler
import logging
import signal
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.cron import CronTrigger

from glaneur.registry import Source
from schedules import jobs
from schedules.frenchtime import PARIS, fr_datetime, iso_now, utc_now
from schedules.store import scheduler_db_path

log = logging.getLogger("glaneur.planificateur")

DEFAULT_GRACE = 3600  # seconds a missed run may still start late
CADENCE_LABELS = {"hourly": "toutes les heures", "daily": "chaque nuit", "weekly": "chaque dimanche",
                  "monthly": "le 1er du mois"}


@dataclass
class JobSpec:
    id: str
    name: str
    func: str
    args: tuple
    trigger: CronTrigger
    executor: str = "default"


def cadence_trigger(source_id: str, cadence: str) -> CronTrigger:
    """A fixed time per source, spread over the night so sources do not all start at once."""
    spread = zlib.crc32(source_id.encode("utf-8"))
    minute, hour = spread % 60, 1 + (spread // 60) % 5  # 01:00–05:59, Paris time
    if cadence == "hourly":
        return CronTrigger(minute=minute, timezone=PARIS)
    if cadence == "weekly":
        return CronTrigger(day_of_week="sun", hour=hour, minute=minute, timezone=PARIS)
    if cadence == "monthly":
        return CronTrigger(day=1, hour=hour, minute=minute, timezone=PARIS)
    return CronTrigger(hour=hour, minute=minute, timezone=PARIS)


def desired_jobs(sources: list[Source], db_path: Path, offline: bool = False,
                 registry: Path | None = None) -> list[JobSpec]:
    """One crawl per enabled source, the rebuild, the weekly digest and the daily one."""
    db = str(db_path)
    specs = [
        JobSpec(f"crawl:{s.id}", f"Collecte de « {s.id} » ({CADENCE_LABELS[s.cadence]})",
                "schedules.jobs:crawl_source", (s.id, db, offline, str(registry) if registry else None),
                cadence_trigger(s.id, s.cadence))
        for s in sources if s.enabled
    ]
    specs.append(JobSpec("rebuild", "Reconstruction (normalisation, dédoublonnage, publication) après collecte",
                         "schedules.jobs:rebuild", (db,), CronTrigger(minute="*/15", timezone=PARIS)))
    specs.append(JobSpec("digest:hebdo", "Lettre hebdomadaire (lundi 7 h)", "schedules.jobs:send_digest",
                         (db, "hebdo"), CronTrigger(day_of_week="mon", hour=7, minute=0, timezone=PARIS),
                         "digest"))
    specs.append(JobSpec("digest:quotidien", "Lettre quotidienne des abonnés « quotidien » (7 h)",
                         "schedules.jobs:send_digest", (db, "quotidien"),
                         CronTrigger(hour=7, minute=0, timezone=PARIS), "digest"))
    return specs


class Scheduler(BackgroundScheduler):
    """APScheduler 3 looks for due jobs once more when a paused scheduler shuts down; it then
    fails to submit them (executors are gone) yet moves their next run time on, so an overdue
    crawl would be lost by `--list` or by a stop. Only a running scheduler processes jobs here."""

    def _process_jobs(self):
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()


def build_scheduler(db_path: Path, grace: int = DEFAULT_GRACE) -> Scheduler:
    """Persistent store, one worker for crawls and rebuilds (they write the same SQLite file)."""
    url = f"sqlite:///{scheduler_db_path(db_path)}"
    scheduler_db_path(db_path).parent.mkdir(parents=True, exist_ok=True)
    return Scheduler(
        jobstores={"default": SQLAlchemyJobStore(url=url)},
        executors={"default": ThreadPoolExecutor(1), "digest": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace},
        timezone=PARIS,
    )


def sync_jobs(scheduler: Scheduler, specs: list[JobSpec], grace: int = DEFAULT_GRACE) -> dict[str, str]:
    """Make the stored jobs match the registry without losing their stored next run time.

    Returns what happened to each job id (« ajoutée », « modifiée », « inchangée », « supprimée »).
    """
    done: dict[str, str] = {}
    wanted = {spec.id for spec in specs}
    for spec in specs:
        options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": grace}
        job = scheduler.get_job(spec.id)
        if job is None:
            scheduler.add_job(spec.func, spec.trigger, args=spec.args, id=spec.id, name=spec.name,
                              executor=spec.executor, replace_existing=True, **options)
            done[spec.id] = "ajoutée"
            continue
        changed = (job.args != spec.args or job.name != spec.name or job.executor != spec.executor
                   or job.misfire_grace_time != grace or job.coalesce is not True or job.max_instances != 1)
        if changed:
            job.modify(args=spec.args, name=spec.name, executor=spec.executor, **options)
        if str(job.trigger) != str(spec.trigger):
            scheduler.reschedule_job(spec.id, trigger=spec.trigger)
            changed = True
        done[spec.id] = "modifiée" if changed else "inchangée"
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            job.remove()
            done[job.id] = "supprimée"
    return done


def next_runs(specs: list[JobSpec], now: datetime, stored: dict[str, datetime | None] | None = None
              ) -> list[tuple[JobSpec, datetime | None]]:
    """Each job's next run: the stored one when the store knows the job, else the trigger's after `now`."""
    stored = stored or {}
    result = []
    for spec in specs:
        when = stored[spec.id] if spec.id in stored else spec.trigger.get_next_fire_time(None, now)
        result.append((spec, when))
    return sorted(result, key=lambda pair: (pair[1] is None, pair[1] or now))


def stored_next_runs(db_path: Path) -> dict[str, datetime | None]:
    """Next run times kept in `planificateur.db` (empty when the scheduler never ran)."""
    path = scheduler_db_path(db_path)
    if not path.exists():
        return {}
    scheduler = build_scheduler(db_path)
    scheduler.start(paused=True)
    try:
        return {job.id: job.next_run_time for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)


def format_next_runs(runs: list[tuple[JobSpec, datetime | None]], now: datetime) -> str:
    """The French listing of `glaneur schedule --list`."""
    lines = [f"{'tâche':<28} {'prochaine exécution':<40} description"]
    for spec, when in runs:
        text = fr_datetime(when) if when else "suspendue"
        if when and when < now:
            text += " (en retard)"
        lines.append(f"{spec.id:<28} {text:<40} {spec.name}")
    lines.append(f"{len(runs)} tâche(s) planifiée(s) ; heures de Paris.")
    return "\n".join(lines)


def run_forever(db_path: Path, sources: list[Source], offline: bool = False, registry: Path | None = None,
                grace: int = DEFAULT_GRACE, shutdown_grace: float = 60.0,
                stop: threading.Event | None = None, handle_signals: bool = True) -> None:
    """Run until SIGTERM/SIGINT (or `stop`): running crawls get `shutdown_grace` seconds to finish."""
    stop = stop or threading.Event()
    if handle_signals:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        # `kill -USR1 PID` prints every thread's stack on stderr: what a stuck scheduler is doing.
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    jobs.stopping.clear()
    stale = jobs.mark_stale_runs(str(db_path), (utc_now() - timedelta(hours=12)).isoformat())
    if stale:
        log.warning("%d collecte(s) restée(s) « en cours » marquée(s) « interrompu ».", stale)
    scheduler = build_scheduler(db_path, grace)
    scheduler.start(paused=True)
    changes = sync_jobs(scheduler, desired_jobs(sources, db_path, offline, registry), grace)
    for job_id, change in changes.items():
        if change != "inchangée":
            log.info("Tâche %s %s.", job_id, change)
    scheduler.resume()
    log.info("Planificateur démarré à %s : %d tâche(s), base %s.", iso_now(), len(scheduler.get_jobs()), db_path)
    # Woken every second rather than blocked for good: Python runs signal handlers on the main
    # thread only, so a SIGTERM the kernel handed to another thread is still seen within a second.
    while not stop.wait(1.0):
        pass
    log.info("Arrêt demandé : plus aucune tâche ne démarre ; les collectes en cours ont %g s pour finir.",
             shutdown_grace)
    scheduler.pause()
    stopped = jobs.stop_children(shutdown_grace)
    scheduler.shutdown(wait=True)
    log.info("Planificateur arrêté%s.", f" ({len(stopped)} tâche(s) interrompue(s))" if stopped else "")
