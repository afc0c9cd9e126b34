"""Self-healing: look for a feed or an API on the site of a broken listing or sitemap source.

`glaneur health --decouvrir` runs discovery (glaneur/discovery.py: robots.txt obeyed, a dozen
requests at most) on the homepage of each source that health says is broken, and keeps what it
found in `source_suggestions`: `glaneur health` and « État des sources » then propose the
switch with the command that applies it. Nothing is switched without the operator.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlite_utils

from schedules.health import SourceHealth

SWITCH_TO = ("tribe_events", "wordpress", "feed")  # structured connectors that survive a new theme


def switch_command(source_id: str, homepage: str, connector: str) -> str:
    return f"glaneur sources new {source_id} --url {homepage} --connector {connector} --replace"


def discover_repair(health: SourceHealth) -> dict:
    """The row of `source_suggestions` for one broken source (a connector, or why none)."""
    from glaneur.discovery import discover

    found = discover(health.homepage)
    row = {"source_id": health.source_id, "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
           "connector": None, "label": None, "entry_url": None, "command": None, "explanation": None,
           "evidence": json.dumps(found.evidence, ensure_ascii=False)}
    chosen = next((c for c in found.candidates if c.connector in SWITCH_TO), None)
    if chosen is not None:
        row.update(connector=chosen.connector, label=chosen.label, entry_url=chosen.entry_url,
                   command=switch_command(health.source_id, health.homepage, chosen.connector),
                   evidence=json.dumps(chosen.evidence + found.evidence, ensure_ascii=False))
    else:
        others = ", ".join(c.label for c in found.candidates)
        row["explanation"] = found.explanation or (
            f"ni flux ni API sur {health.homepage}" + (f" (seulement : {others})" if others else ""))
    return row


def discover_repairs(db: sqlite_utils.Database, reports: list[SourceHealth]) -> list[dict]:
    """Explore the site of every broken source that has a homepage; store and return the rows."""
    rows = [discover_repair(h) for h in reports if h.broken and h.homepage and h.enabled]
    if rows:
        db["source_suggestions"].upsert_all(rows, pk="source_id")
    return rows
