"""Dates as a French reader expects them, and the durations the CLI accepts (« 7d », « 2w »)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

PARIS = ZoneInfo("Europe/Paris")
_DURATION = re.compile(r"^\s*(\d+)\s*([hdjws])?\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "j": "days", "w": "weeks", "s": "weeks"}


def parse_duration(text: str) -> timedelta:
    """« 7d » / « 7j » (jours), « 2w » / « 2s » (semaines), « 24h »; a bare number means days."""
    match = _DURATION.match(text or "")
    if not match:
        raise ValueError(f"Durée illisible : « {text} » (exemples : 7d, 2w, 24h).")
    unit = _UNITS[(match.group(2) or "d").lower()]
    return timedelta(**{unit: int(match.group(1))})


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_now() -> str:
    return utc_now().replace(microsecond=0).isoformat()


def fr_date(value: date | str | None, fmt: str = "d MMMM y") -> str:
    """« 23 novembre 2026 »; empty for a missing date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    text = format_date(value, fmt, locale="fr_FR")
    # French writes the first day of a month as an ordinal: « 1er décembre ».
    return "1er" + text[1:] if value.day == 1 and fmt.startswith("d ") else text


def fr_datetime(value: datetime | None) -> str:
    """« lundi 23 novembre 2026 à 07:00 » in Paris time."""
    if value is None:
        return "—"
    return format_datetime(value.astimezone(PARIS), "EEEE d MMMM y 'à' HH:mm", locale="fr_FR")


def parse_iso(value: str | None) -> datetime | None:
    """A stored timestamp (with or without offset, assumed UTC) or None."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
