"""« Today » of every dated decision (open calls, upcoming events, digests, quality checks).

GLANEUR_TODAY sets it (the offline demo uses the date its mirror was recorded); otherwise the
real date. One definition, so that a crawl, its build and the digest agree on the day.
"""

from __future__ import annotations

import os
from datetime import date


def reference_today() -> date:
    value = os.environ.get("GLANEUR_TODAY")
    return date.fromisoformat(value) if value else date.today()
