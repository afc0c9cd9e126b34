"""Dates to ISO `YYYY-MM-DD`, French first, with dateparser."""

from __future__ import annotations

from datetime import date, datetime

import dateparser

_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
MIN_YEAR, MAX_YEAR = 1990, 2060


def plausible(value: date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR


def parse_date(value, relative_to: date | None = None) -> str | None:
    """An ISO date from a date, an ISO string or French text; None when unsure."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat() if plausible(value) else None
    text = str(value).strip()[:200]
    try:
        return parse_date(date.fromisoformat(text[:10]))
    except ValueError:
        pass
    settings = dict(_SETTINGS)
    if relative_to:
        settings["RELATIVE_BASE"] = datetime.combine(relative_to, datetime.min.time())
    try:
        parsed = dateparser.parse(text, languages=["fr", "en"], settings=settings)
    except Exception:  # dateparser raises on some malformed inputs
        return None
    return parse_date(parsed.date()) if parsed else None
