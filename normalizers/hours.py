"""The hours of an event: « de 14 h à 16 h 30 » after its date, or the time of a source's datetime.

Only the portal's agenda needs them (an iCalendar event with hours instead of a whole day, « de
14 h à 16 h » on its page); a resource without them keeps its dates alone. Times of a source's
datetime with an offset are read in Paris time, where the portal shows them.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
_CLOCK = r"(\d{1,2})\s?(?:h|:)\s?(\d{2})?(?:\s?min)?"
# Read on folded text right after the date: « de 14h à 16h30 », « 9h30 - 12h », « , 10 h 00 min »,
# « à partir de 18h », « 14:00 – 17:00 ».
_AFTER_DATE = re.compile(
    r"^\W{0,3}(?:de\s|des\s|a\s|a partir de\s|entre\s|,\s*|-\s*)?" + _CLOCK
    + r"(?:\s*(?:a|-|–|—|et|jusqu'a)\s*" + _CLOCK + r")?(?!\s?(?:%|€|euros|ans|km|personnes))")


def _clock(hour: str | None, minute: str | None) -> str | None:
    if hour is None:
        return None
    h, m = int(hour), int(minute or 0)
    if h > 23 or m > 59:
        return None
    return f"{h:02d}:{m:02d}"


def hours_after(folded: str) -> tuple[str | None, str | None]:
    """Start and end time written right after a date, as « HH:MM » (None when not written)."""
    match = _AFTER_DATE.match(folded)
    if not match:
        return None, None
    start = _clock(match.group(1), match.group(2))
    end = _clock(match.group(3), match.group(4)) if start else None
    if end and end <= start:
        end = None
    return start, end


def source_time(value: object) -> str | None:
    """The time of a source's datetime (« 2026-11-20 14:00:00 », « 2026-11-20T13:00:00Z »); midnight
    is how sources write a day without hours."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value or "").strip()
        if len(text) < 16 or not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", text):
            return None
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(PARIS)
    if (moment.hour, moment.minute) in ((0, 0), (23, 59)):
        return None
    return f"{moment.hour:02d}:{moment.minute:02d}"
