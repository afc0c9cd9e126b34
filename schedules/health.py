"""Source health, in the spirit of Spidermon monitors, computed from `crawl_runs` and `documents`.

A source is « à vérifier » when its last run yielded nothing, when it fell below half of its
recent median, when it failed several runs in a row, or when nothing new has appeared for much
longer than its usual publishing rhythm. A listing or a sitemap that had items and yields none,
or whose selectors stop matching, is said to be broken with the run's own reason, and what
`glaneur health --decouvrir` found on its site (a feed or an API, and the command to switch) is
shown with it. Works on a plain sqlite3 connection so the CLI and the (read-only) portal share it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median

from glaneur.registry import CADENCES
from schedules.frenchtime import fr_date, parse_iso, utc_now

FINISHED = ("ok", "partiel", "echec")
FLAG_OK = "ok"
FLAG_CHECK = "à vérifier"
FLAG_NEVER = "jamais collectée"
FLAG_DISABLED = "désactivée"
SPARK = "▁▂▃▄▅▆▇█"
# Connectors that read markup, and so break when a site changes its theme.
MARKUP_KINDS = ("listing", "sitemap")
# Messages of spiders/listing.py that say the markup no longer matches the registry's selectors.
SELECTOR_MESSAGES = ("Le sélecteur ", "Aucune URL du plan de site", "Plan de site illisible")


@dataclass
class HealthSettings:
    """Monitor thresholds; GLANEUR_SANTE_ECHECS overrides the failures-in-a-row default."""

    max_failures: int = field(default_factory=lambda: int(os.environ.get("GLANEUR_SANTE_ECHECS", "3")))
    drop_ratio: float = 0.5
    window: int = 10
    stale_factor: float = 3.0
    rhythm_sample: int = 20


@dataclass
class SourceHealth:
    source_id: str
    name: str
    enabled: bool
    cadence: str
    trend: list[int] = field(default_factory=list)  # items of the last finished runs, oldest first
    last_status: str | None = None
    last_run: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    last_error_message: str = ""
    recent_median: float | None = None
    failures_in_a_row: int = 0
    coverage_date: float | None = None
    coverage_summary: float | None = None
    last_new: str | None = None
    days_since_new: int | None = None
    rhythm_days: float | None = None
    problems: list[str] = field(default_factory=list)
    kind: str = ""
    homepage: str = ""
    broken: list[str] = field(default_factory=list)  # why a listing or sitemap no longer reads its site
    suggestion: dict | None = None  # what discovery found on the site (source_suggestions)

    @property
    def flag(self) -> str:
        if not self.enabled:
            return FLAG_DISABLED
        if self.last_run is None:
            return FLAG_NEVER
        return FLAG_CHECK if self.problems else FLAG_OK

    @property
    def failing(self) -> bool:
        return self.flag == FLAG_CHECK

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items()}
        data.update(flag=self.flag, sparkline=sparkline(self.trend))
        return data


def sparkline(values: list[int]) -> str:
    """Unicode blocks scaled to the largest value (« ▁▄█ »)."""
    if not values:
        return ""
    top = max(values) or 1
    return "".join(SPARK[round(v / top * (len(SPARK) - 1))] for v in values)


def _sources(conn: sqlite3.Connection) -> list[tuple]:
    rows = conn.execute("select id, name, enabled, cadence, kind, homepage from sources order by id").fetchall()
    known = {r[0] for r in rows}
    extra = conn.execute("select distinct source_id from crawl_runs order by source_id").fetchall()
    result = [(r[0], r[1] or r[0], bool(r[2]) if r[2] is not None else True, r[3] or "daily", r[4] or "",
               r[5] or "") for r in rows]
    result += [(r[0], r[0], True, "daily", "", "") for r in extra if r[0] not in known]
    return result


def _rhythm(published: list[str], sample: int) -> float | None:
    """Median days between consecutive distinct publication dates (the most recent ones)."""
    days = sorted({date.fromisoformat(p[:10]) for p in published if p and len(p) >= 10})[-sample:]
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    return float(median(gaps)) if len(gaps) >= 2 else None


def check_source(conn: sqlite3.Connection, source: tuple, now: datetime,
                 settings: HealthSettings) -> SourceHealth:
    """Run every monitor on one source."""
    source_id, name, enabled, cadence, *rest = source
    health = SourceHealth(source_id, name, enabled, cadence)
    health.kind, health.homepage = (rest + ["", ""])[:2]
    runs = conn.execute(
        "select started, ended, status, items, errors from crawl_runs where source_id = ? "
        "order by started desc, id desc limit 200", [source_id],
    ).fetchall()
    finished = [r for r in runs if r[2] in FINISHED]
    if runs:
        health.last_run = runs[0][0]
    if finished:
        health.last_status = finished[0][2]
        health.trend = [r[3] or 0 for r in finished[: settings.window]][::-1]
    success = next((r for r in finished if r[2] in ("ok", "partiel")), None)
    health.last_success = success[1] or success[0] if success else None
    error = next((r for r in runs if r[2] == "echec" or json.loads(r[4] or "[]")), None)
    if error:
        health.last_error = error[1] or error[0]
        messages = json.loads(error[4] or "[]")
        health.last_error_message = messages[0] if messages else "collecte en échec"
    for run in finished:
        if run[2] != "echec":
            break
        health.failures_in_a_row += 1

    _coverage(conn, health, runs[0][0] if runs else None)
    docs = conn.execute(
        "select max(first_seen) from documents where source_id = ?", [source_id]
    ).fetchone()
    health.last_new = docs[0]
    last_new = parse_iso(docs[0])
    if last_new:
        health.days_since_new = max(0, (now - last_new).days)
    published = [r[0] for r in conn.execute(
        "select published from documents where source_id = ? and published is not null and published != ''",
        [source_id],
    )]
    health.rhythm_days = _rhythm(published, settings.rhythm_sample)

    if enabled and finished:
        _monitor(health, finished, settings)
        if health.kind in MARKUP_KINDS:
            _markup(health, finished)
    if health.broken:
        health.suggestion = suggestion_for(conn, source_id)
    return health


def _markup(health: SourceHealth, finished: list) -> None:
    """A listing or sitemap that had items and yields none, or whose selectors match nothing."""
    last_items = finished[0][3] or 0
    messages = json.loads(finished[0][4] or "[]")
    selectors = [m for m in messages if m.startswith(SELECTOR_MESSAGES)]
    had = max((r[3] or 0 for r in finished[1:]), default=0)
    what = "la liste" if health.kind == "listing" else "le plan de site"
    if last_items == 0 and had:
        reason = "; ".join(selectors or messages[:2]) or \
            "aucune erreur signalée : la page ne mène plus à aucun élément"
        health.broken.append(f"{what} donnait jusqu'à {had} élément(s) et n'en donne plus : {reason}")
    elif selectors:
        health.broken.append(f"sélecteur qui ne trouve plus rien : {'; '.join(selectors)}")
    health.problems.extend(health.broken)


def suggestion_for(conn: sqlite3.Connection, source_id: str) -> dict | None:
    """The last discovery on the source's site (`glaneur health --decouvrir`), if any."""
    try:
        row = conn.execute("select checked_at, connector, label, entry_url, evidence, command, explanation "
                           "from source_suggestions where source_id = ?", [source_id]).fetchone()
    except sqlite3.OperationalError:  # a database from before the table existed
        return None
    if row is None:
        return None
    keys = ("checked_at", "connector", "label", "entry_url", "evidence", "command", "explanation")
    found = dict(zip(keys, row, strict=True))
    found["evidence"] = json.loads(found["evidence"] or "[]")
    return found


def suggestion_text(suggestion: dict) -> str:
    """One French line: the switch to make and its command, or why there is none."""
    day = (suggestion.get("checked_at") or "")[:10]
    if suggestion.get("connector"):
        return (f"proposition (site exploré le {day}) : passer au connecteur {suggestion['label']} "
                f"({suggestion['entry_url']}) avec « {suggestion['command']} »")
    return f"site exploré le {day} : {suggestion.get('explanation') or 'ni flux ni API trouvés'}"


def _coverage(conn: sqlite3.Connection, health: SourceHealth, last_started: str | None) -> None:
    """Share of the documents seen in the last run (else all of the source's) with a date / summary."""
    base = "from documents where source_id = ? and coalesce(kind, '') != 'pdf'"
    params: list = [health.source_id]
    counted = conn.execute(f"select count(*) {base} and last_seen >= ?", [*params, last_started or ""]).fetchone()
    if last_started and counted[0]:
        base += " and last_seen >= ?"
        params.append(last_started)
    row = conn.execute(
        f"select count(*), sum(coalesce(published, '') != ''), sum(coalesce(summary, '') != '') {base}", params
    ).fetchone()
    if row[0]:
        health.coverage_date = row[1] / row[0]
        health.coverage_summary = row[2] / row[0]


def _monitor(health: SourceHealth, finished: list, settings: HealthSettings) -> None:
    last_items = finished[0][3] or 0
    previous = [r[3] or 0 for r in finished[1: settings.window + 1]]
    if previous:
        health.recent_median = float(median(previous))
    if last_items == 0:
        health.problems.append("aucun élément à la dernière collecte")
    elif health.recent_median and last_items < settings.drop_ratio * health.recent_median:
        health.problems.append(
            f"baisse de plus de moitié : {last_items} élément(s) contre une médiane de "
            f"{health.recent_median:g} sur les {len(previous)} collectes précédentes"
        )
    if health.failures_in_a_row >= settings.max_failures:
        health.problems.append(f"{health.failures_in_a_row} échecs consécutifs")
    if health.rhythm_days and health.days_since_new is not None:
        limit = max(settings.stale_factor * health.rhythm_days, CADENCES.get(health.cadence, 24) / 24)
        if health.days_since_new > limit:
            health.problems.append(
                f"aucune nouveauté depuis {health.days_since_new} jours "
                f"(rythme habituel : un élément tous les {health.rhythm_days:g} jours)"
            )


def check_all(conn: sqlite3.Connection, now: datetime | None = None,
              settings: HealthSettings | None = None) -> list[SourceHealth]:
    """Health of every known source (registry rows and sources seen in crawl_runs)."""
    now = now or utc_now()
    settings = settings or HealthSettings()
    return [check_source(conn, source, now, settings) for source in _sources(conn)]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def format_table(reports: list[SourceHealth]) -> str:
    """The French table printed by `glaneur health`."""
    header = (f"{'source':<28} {'état':<17} {'dernière réussite':<18} {'dernier échec':<18} "
              f"{'tendance':<10} {'sans nouveauté':>14} {'rythme':>8} {'dates':>6} {'résumés':>8}")
    lines = [header, "-" * len(header)]
    for h in reports:
        since = "—" if h.days_since_new is None else f"{h.days_since_new} j"
        rhythm = "—" if h.rhythm_days is None else f"{round(h.rhythm_days)} j"
        lines.append(
            f"{h.source_id[:28]:<28} {h.flag:<17} {fr_date(h.last_success, 'dd/MM/y') or '—':<18} "
            f"{fr_date(h.last_error, 'dd/MM/y') or '—':<18} {sparkline(h.trend):<10} {since:>14} "
            f"{rhythm:>8} {_pct(h.coverage_date):>6} {_pct(h.coverage_summary):>8}"
        )
    flagged = [h for h in reports if h.failing]
    lines.append("")
    if flagged:
        lines.append(f"{len(flagged)} source(s) à vérifier :")
        for h in flagged:
            lines.extend(f"  [{h.source_id}] {problem}" for problem in h.problems)
            if h.suggestion:
                lines.append(f"  [{h.source_id}] {suggestion_text(h.suggestion)}")
            elif h.broken:
                lines.append(f"  [{h.source_id}] cherchez un flux ou une API sur son site : glaneur health --decouvrir")
    else:
        lines.append("Aucune source à vérifier.")
    return "\n".join(lines)
