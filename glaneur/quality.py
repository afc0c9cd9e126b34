"""Field coverage of one source's documents, as the portal will see them (after normalization).

Used by `glaneur sources check`: an operator learns at once whether a new or repaired
connector yields usable resources, and which field is missing where.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from glaneur.registry import Source
from glaneur.today import reference_today
from normalizers import normalize
from normalizers.types import TYPES

REQUIRED = ("title", "url", "type")
THRESHOLD = 0.9
LABELS = {
    "title": "titre", "url": "URL", "type": "type", "published": "date de publication",
    "summary": "résumé", "territory": "territoire", "themes": "thèmes", "dates": "échéance ou dates",
}


def _valid(resource: dict) -> dict[str, bool]:
    """Which fields of a normalized resource are usable."""
    title = (resource.get("title") or "").strip()
    url = resource.get("url") or ""
    return {
        "title": len(title) >= 4,
        "url": url.startswith(("http://", "https://")),
        "type": resource.get("type") in TYPES,
        "published": bool(resource.get("published")),
        "summary": len((resource.get("summary") or "").strip()) >= 20,
        "territory": bool(resource.get("regions") or resource.get("departements")),
        "themes": bool(resource.get("themes")),
        "dates": bool(resource.get("deadline") or resource.get("event_start")),
    }


@dataclass
class SourceQuality:
    source_id: str
    items: int = 0
    valid: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    first: list[dict] = field(default_factory=list)

    def share(self, name: str) -> float:
        return self.valid[name] / self.items if self.items else 0.0

    @property
    def problems(self) -> list[str]:
        if not self.items:
            return ["aucun élément collecté"]
        return [
            f"{LABELS[n]} valide dans {self.share(n):.0%} des éléments (< {THRESHOLD:.0%})"
            for n in REQUIRED if self.share(n) < THRESHOLD
        ]

    @property
    def ok(self) -> bool:
        return not self.problems

    def format(self, errors: list[str], show: int = 3) -> str:
        lines = [f"== {self.source_id} : {self.items} élément(s) — {'OK' if self.ok else 'À CORRIGER'}"]
        if self.items:
            lines.append("  Couverture des champs :")
            lines.extend(f"    {LABELS[n]:<20} {self.share(n):>5.0%}  ({self.valid[n]}/{self.items})" for n in LABELS)
            lines.append(f"  Premiers éléments ({min(show, len(self.first))}) :")
            for res in self.first[:show]:
                when = res.get("event_start") or res.get("deadline") or res.get("published") or "sans date"
                lines.append(f"    - [{res['type']}] {res['title'][:90]} ({when})")
                lines.append(f"      {res['url']}")
        for problem in self.problems:
            lines.append(f"  PROBLÈME : {problem}")
        if errors:
            lines.append(f"  Erreurs de collecte ({len(errors)}) :")
            lines.extend(f"    - {e}" for e in errors)
        return "\n".join(lines)


def source_quality(db_path: Path, source: Source) -> SourceQuality:
    """Normalize every document of the source in the database and count usable fields."""
    db = sqlite_utils.Database(db_path)
    quality = SourceQuality(source.id)
    row = source.as_row()
    today = reference_today()
    for doc in db.query(
        "select id, source_id, url, kind, title, summary, text, published, fields, parent_url, first_seen "
        "from documents where source_id = ? order by published desc, url", [source.id]
    ):
        doc["fields"] = json.loads(doc["fields"] or "{}")
        resource = normalize(doc, row, today=today)
        quality.items += 1
        for name, ok in _valid(resource).items():
            quality.valid[name] += ok
        quality.first.append(resource)
    db.close()
    return quality
