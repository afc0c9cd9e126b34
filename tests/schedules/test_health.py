"""Source monitors: zero items, drop under the recent median, failures in a row, silence vs rhythm."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

from schedules.health import HealthSettings, check_all, sparkline
from tests.support import glaneur

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _day(n: int) -> str:
    return f"2026-11-{n:02d}T03:00:00+00:00"


def _by_id(path, **settings):
    return {h.source_id: h for h in check_all(sqlite3.connect(path), NOW, HealthSettings(**settings))}


def _healthy(b, source_id: str) -> None:
    b.source(source_id)
    for day in range(1, 11):
        b.run(source_id, _day(day), items=10)
    for i, published in enumerate(("2026-10-20", "2026-10-27", "2026-11-03", "2026-11-10", "2026-11-17")):
        b.document(f"{source_id}-{i}", source_id, f"2026-11-{10 + i}T03:00:00+00:00", published)


def test_healthy_source_is_ok(main_db):
    path, b = main_db
    _healthy(b, "sain")
    health = _by_id(path)["sain"]
    assert health.flag == "ok" and not health.problems
    assert health.trend == [10] * 10 and health.recent_median == 10
    assert health.rhythm_days == 7 and health.days_since_new == 6
    assert health.coverage_date == 1.0 and health.coverage_summary == 1.0


def test_zero_items_and_drop_under_half_the_median(main_db):
    path, b = main_db
    for source_id, last in (("vide", 0), ("baisse", 4), ("limite", 5)):
        _healthy(b, source_id)
        b.run(source_id, _day(11), items=last)
    health = _by_id(path)
    assert health["vide"].problems[0] == "aucun élément à la dernière collecte"
    assert health["baisse"].problems == [
        "baisse de plus de moitié : 4 élément(s) contre une médiane de 10 sur les 10 collectes précédentes"]
    assert health["limite"].flag == "ok"  # exactly half is not « more than half »
    assert health["baisse"].trend[-1] == 4 and len(health["baisse"].trend) == 10


def test_failures_in_a_row_threshold_is_configurable(main_db):
    path, b = main_db
    _healthy(b, "panne")
    for day in (11, 12):
        b.run("panne", _day(day), items=0, errors=["HTTP 503"])
    assert "2 échecs consécutifs" not in _by_id(path)["panne"].problems
    assert "2 échecs consécutifs" in _by_id(path, max_failures=2)["panne"].problems
    b.run("panne", _day(13), items=0, errors=["HTTP 503"])
    health = _by_id(path)["panne"]
    assert "3 échecs consécutifs" in health.problems
    assert health.last_error == _day(13) and health.last_error_message == "HTTP 503"
    assert health.last_success == _day(10)


def test_silence_longer_than_the_usual_rhythm(main_db):
    path, b = main_db
    b.source("muette", cadence="daily")
    for day in range(1, 6):
        b.run("muette", _day(day), items=3)
    for i, published in enumerate(("2026-08-01", "2026-08-08", "2026-08-15")):
        b.document(f"m-{i}", "muette", "2026-08-16T03:00:00+00:00", published, summary="")
    health = _by_id(path)["muette"]
    assert health.rhythm_days == 7 and health.days_since_new == 96
    assert health.problems == ["aucune nouveauté depuis 96 jours (rythme habituel : un élément tous les 7 jours)"]
    assert health.coverage_summary == 0.0


def test_interrupted_runs_are_not_failures_and_never_crawled_sources_are_labelled(main_db):
    path, b = main_db
    _healthy(b, "coupee")
    b.run("coupee", _day(11), items=0, status="interrompu")
    b.source("nouvelle")
    b.source("arretee", enabled=False)
    health = _by_id(path)
    assert health["coupee"].flag == "ok" and health["coupee"].last_status == "ok"
    assert health["nouvelle"].flag == "jamais collectée"
    assert health["arretee"].flag == "désactivée"


def test_cli_table_and_exit_code(main_db):
    """The CLI checks against the real clock: dates are relative to now."""
    path, b = main_db
    now = datetime.now(UTC)
    b.source("sain")
    for back in range(10, 0, -1):
        b.run("sain", (now - timedelta(days=back)).isoformat(), items=10)
    for back in (15, 8, 1):
        b.document(f"d{back}", "sain", (now - timedelta(days=back)).isoformat(),
                   (now - timedelta(days=back)).date().isoformat())
    ok = glaneur("health", "--db", str(path))
    assert ok.returncode == 0 and "Aucune source à vérifier." in ok.stdout and "dernière réussite" in ok.stdout
    b.run("sain", now.isoformat(), items=0)
    failing = glaneur("health", "--db", str(path), check=False)
    assert failing.returncode == 1
    assert "1 source(s) à vérifier" in failing.stdout
    assert "[sain] aucun élément à la dernière collecte" in failing.stdout
    as_json = json.loads(glaneur("health", "--db", str(path), "--format", "json", check=False).stdout)
    assert as_json[0]["flag"] == "à vérifier" and as_json[0]["sparkline"].endswith("▁")


def test_sparkline():
    assert sparkline([0, 5, 10]) == "▁▅█"
    assert sparkline([]) == ""
