"""The weekly digest: what is new, which calls close soon, which events and trainings are coming.

Selection works on the main database (read only); rendering uses Jinja2 templates kept in
`schedules/templates` (HTML e-mail with inline CSS and table layout, plain text, Markdown).
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape

from glaneur.links import http_url
from glaneur.paths import TAXONOMY_FILE
from glaneur.portal import hours_fr
from schedules.frenchtime import PARIS, fr_date, parse_iso

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("html", "md", "txt")
CALL_DAYS = 30
EVENT_DAYS = 60
SUMMARY_CHARS = 280


@cache
def taxonomy() -> dict[str, Any]:
    return yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))


def type_labels() -> dict[str, str]:
    """Type slug → French label, in the taxonomy's order."""
    return {slug: spec["label"] for slug, spec in taxonomy()["types"].items()}


def theme_labels() -> dict[str, str]:
    return {slug: spec["label"] for slug, spec in taxonomy()["themes"].items()}


@cache
def _department_regions() -> dict[str, str]:
    from glaneur.portal import _cog_rows

    regions = {r["id"]: r["code"] for r in _cog_rows("regions")}
    return {d["code"]: regions.get(d["region_id"], "") for d in _cog_rows("departements")}


def region_of(departement: str) -> str:
    """INSEE code of a département's région ('' when unknown)."""
    return _department_regions().get(departement, "")


def department_codes() -> set[str]:
    return set(_department_regions())


def portal_url() -> str:
    return os.environ.get("GLANEUR_PORTAL_URL", "http://127.0.0.1:8001").rstrip("/")


@dataclass
class Filters:
    """What a reader wants; empty lists mean « everything »."""

    regions: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    departements: list[str] = field(default_factory=list)

    def matches(self, row: dict[str, Any]) -> bool:
        if self.types and row["type"] not in self.types:
            return False
        if self.themes and not set(self.themes) & set(row["themes"]):
            return False
        if not (self.regions or self.departements) or not (row["regions"] or row.get("departements")):
            return True  # national resources concern every territory
        if set(self.regions) & set(row["regions"]) or set(self.departements) & set(row.get("departements") or []):
            return True
        # A regional resource (no département named) concerns the départements of its région.
        wanted = {region_of(d) for d in self.departements}
        return not row.get("departements") and bool(wanted & set(row["regions"]))

    def describe(self) -> str:
        """« Région(s) 76 · Types : Formation » for the digest's header; empty when unfiltered."""
        parts = []
        if self.regions:
            parts.append("Région(s) " + ", ".join(self.regions) + " et ressources nationales")
        if self.types:
            parts.append("Types : " + ", ".join(type_labels().get(t, t) for t in self.types))
        if self.departements:
            parts.append("Département(s) " + ", ".join(self.departements))
        if self.themes:
            parts.append("Thèmes : " + ", ".join(theme_labels().get(t, t) for t in self.themes))
        return " · ".join(parts)


@dataclass
class Digest:
    as_of: date
    start: date
    new_by_type: list[tuple[str, list[dict]]]
    calls: list[dict]
    events: list[dict]
    filters: Filters
    portal: str
    unsubscribe_url: str | None = None
    preferences_url: str | None = None
    recipient: str | None = None
    featured: list[dict] = field(default_factory=list)  # « À la une », the editors' order (for every reader)

    @property
    def items(self) -> list[dict]:
        return [r for _, rows in self.new_by_type for r in rows] + self.calls + self.events

    @property
    def resource_ids(self) -> list[str]:
        return [r["id"] for r in self.items]

    @property
    def new_count(self) -> int:
        return sum(len(rows) for _, rows in self.new_by_type)

    @property
    def empty(self) -> bool:
        return not self.items

    @property
    def period(self) -> str:
        """« du 13 au 20 novembre 2026 »."""
        if self.start.year != self.as_of.year:
            first = fr_date(self.start)
        elif self.start.month != self.as_of.month:
            first = fr_date(self.start, "d MMMM")
        else:
            first = fr_date(self.start, "d")
        return f"du {first} au {fr_date(self.as_of)}"

    @property
    def period_key(self) -> str:
        return f"{self.start.isoformat()}/{self.as_of.isoformat()}"

    @property
    def subject(self) -> str:
        if self.empty:
            return f"Glaneur — rien de nouveau {self.period}"
        counts = []
        if self.new_count:
            counts.append(f"{self.new_count} nouveauté{'s' if self.new_count > 1 else ''}")
        if self.calls:
            counts.append(f"{len(self.calls)} appel{'s' if len(self.calls) > 1 else ''} à projets")
        if self.events:
            counts.append(f"{len(self.events)} rendez-vous")
        return f"Glaneur — {', '.join(counts)} ({self.period})"


def _row(row: sqlite3.Row, portal: str, labels: dict[str, str]) -> dict[str, Any]:
    item = dict(row)
    for key in ("themes", "regions", "departements", "organisations"):
        item[key] = json.loads(item.get(key) or "[]")
    summary = (item.get("summary") or "").strip()
    if len(summary) > SUMMARY_CHARS:
        summary = summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
    item.update(
        summary=summary,
        type_label=labels.get(item["type"], item["type"]),
        portal_url=f"{portal}/glaneur/resources/{item['id']}",
        source_url=http_url(item.get("url")) or "",
        deadline_fr=fr_date(item.get("deadline")),
        event_start_fr=fr_date(item.get("event_start")),
        event_end_fr=fr_date(item.get("event_end")) if (item.get("event_end") or "")[:10] != (
            item.get("event_start") or "")[:10] else "",
        published_fr=fr_date(item.get("published")),
    )
    if item["event_start_fr"]:
        when = (f"Du {item['event_start_fr']} au {item['event_end_fr']}" if item["event_end_fr"]
                else f"Le {item['event_start_fr']}")
        if item.get("event_start_time"):
            when += " " + hours_fr(item["event_start_time"], item.get("event_end_time"))
        item["when_fr"] = when + (f" · {item['location']}" if item.get("location") else "")
    else:
        item["when_fr"] = ""
    return item


SELECT = """
select r.id, r.title, r.type, r.url, r.summary, r.published, r.deadline, r.event_start, r.event_end,
       r.event_start_time, r.event_end_time,
       r.location, r.themes, r.regions, r.departements, r.organisations,
       (select min(d.first_seen) from resource_sources rs join documents d on d.id = rs.document_id
         where rs.resource_id = r.id) as first_seen
from resources r
"""


def build_digest(conn: sqlite3.Connection, as_of: date, since: timedelta, filters: Filters | None = None,
                 exclude: set[str] | None = None, new_since: datetime | None = None) -> Digest:
    """Select the digest's resources.

    New resources are those whose first document was first seen in the window ending at the end
    of `as_of` (Paris time); `new_since` (a subscriber's last message) replaces the window's start,
    so nothing is lost when a week was skipped.
    Resources in `exclude` (already sent to that subscriber) never come back.
    """
    filters = filters or Filters()
    exclude = exclude or set()
    portal = portal_url()
    labels = type_labels()
    start = as_of - since
    end_dt = datetime.combine(as_of + timedelta(days=1), time(), PARIS)
    start_dt = datetime.combine(start, time(), PARIS)
    if new_since:
        start_dt = new_since.astimezone(PARIS)
        start = start_dt.date()
    conn.row_factory = sqlite3.Row
    every = [_row(r, portal, labels) for r in conn.execute(SELECT)]
    rows = [r for r in every if r["id"] not in exclude and filters.matches(r)]
    featured = _featured(conn, {r["id"]: r for r in every})

    def day(value: str | None) -> date | None:
        try:
            return date.fromisoformat((value or "")[:10])
        except ValueError:
            return None

    def is_new(row: dict) -> bool:
        seen = row["first_seen"]
        return bool(seen) and start_dt <= parse_iso(seen).astimezone(PARIS) < end_dt

    calls, events, chosen = [], [], set()
    for row in sorted(rows, key=lambda r: r["deadline"] or ""):
        deadline = day(row["deadline"])
        if row["type"] == "appel_a_projets" and deadline and as_of <= deadline <= as_of + timedelta(CALL_DAYS):
            calls.append(dict(row, is_new=is_new(row)))
            chosen.add(row["id"])
    for row in sorted(rows, key=lambda r: r["event_start"] or ""):
        begins = day(row["event_start"])
        if row["type"] in ("evenement", "formation") and begins and \
                as_of <= begins <= as_of + timedelta(EVENT_DAYS):
            events.append(dict(row, is_new=is_new(row)))
            chosen.add(row["id"])
    fresh = [r for r in rows if r["id"] not in chosen and is_new(r)]
    fresh.sort(key=lambda r: (r["published"] or "", r["title"] or ""), reverse=True)
    new_by_type = [(label, [r for r in fresh if r["type"] == slug]) for slug, label in labels.items()]
    new_by_type = [(label, items) for label, items in new_by_type if items]
    return Digest(as_of, start, new_by_type, calls, events, filters, portal, featured=featured)


def _featured(conn: sqlite3.Connection, by_id: dict[str, dict]) -> list[dict]:
    """The resources « À la une » of the last build (glaneur/features.py), whatever the filters:
    the editors chose them for every reader."""
    if not conn.execute("select 1 from sqlite_master where name = 'a_la_une'").fetchone():
        return []
    ids = [r[0] for r in conn.execute("select resource_id from a_la_une order by rang")]
    return [by_id[i] for i in ids if i in by_id]


@cache
def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]) if autoescape else False,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["md"] = lambda text: "".join("\\" + c if c in "\\`*_[]<>#" else c for c in str(text or ""))
    return env


def render(digest: Digest, fmt: str = "html") -> str:
    """The digest as an HTML e-mail, plain text or Markdown."""
    if fmt not in FORMATS:
        raise ValueError(f"Format inconnu : {fmt} (attendu : {', '.join(FORMATS)}).")
    template = _environment(fmt == "html").get_template(f"digest.{fmt}")
    return template.render(d=digest, atom_url=f"{digest.portal}/lettre.atom",
                           health_url=f"{digest.portal}/etat-des-sources")
