"""Assemble a resource's fields from a document and its source.

Explicit fields of the source (API deadline, event dates, perimeter, partners…) always win over
what is inferred from the text; inference only fills the gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from normalizers.dates import parse_date, parse_span
from normalizers.hours import source_time
from normalizers.location import find_location
from normalizers.organisations import organisations
from normalizers.page_dates import DateDecision, PageDates, decide_deadline, decide_event, read_dates
from normalizers.territories import place_departements, resolve, stated_place, territories
from normalizers.text import as_list, make_summary, squash
from normalizers.themes import classify_audiences, classify_themes
from normalizers.titles import CHROME_REASONS, choose_title, status_title
from normalizers.types import DATED, TypeDecision, decide_type

RESOURCE_KEYS = (
    "title", "url", "type", "themes", "audiences", "regions", "departements", "scope", "published",
    "deadline", "event_start", "event_end", "event_start_time", "event_end_time", "location", "organisations",
    "summary",
)
# What normalize() reads: of a document, and of its source's registry row.
DOCUMENT_INPUTS = ("url", "title", "summary", "text", "published", "fields")
SOURCE_INPUTS = ("organisation", "default_type", "regions", "departements", "aggregator")
TEXT_LIMIT = 200_000  # characters read from a document: longer ones are dumps, not pages


LIST_FIELDS = ("organisations", "categories", "audiences")


def clean_fields(fields: Any) -> dict[str, Any]:
    """Source hints with predictable types: lists of strings, else a string, a date or None."""
    if not isinstance(fields, dict):
        return {}
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name in LIST_FIELDS:
            cleaned[name] = as_list(value)
        elif isinstance(value, (list, tuple, set)):
            cleaned[name] = ", ".join(as_list(value)) or None
        elif value is None or isinstance(value, (str, date)):
            cleaned[name] = value
        else:
            cleaned[name] = str(value)
    return cleaned


def _published(doc: dict[str, Any], fields: dict[str, Any]) -> str | None:
    return parse_date(doc.get("published")) or parse_date(fields.get("page_date"))


def _event_dates(kind: str, dates: PageDates, fields: dict[str, Any], ref: date | None) -> DateDecision:
    start = parse_date(fields.get("event_start"), ref)
    end = parse_date(fields.get("event_end"), ref)
    if not start and fields.get("page_event_date"):
        start, end_span = parse_span(str(fields["page_event_date"]), ref)
        end = end or end_span
    if start:
        decision = DateDecision(start, end, "dates données par la source",
                                start_time=source_time(fields.get("event_start")),
                                end_time=source_time(fields.get("event_end")))
    elif kind in DATED:
        decision = decide_event(dates, dates.between, head_fallback=kind == "evenement")
    else:
        return DateDecision(why="ni événement ni formation : pas de dates d'événement")
    if decision.start and not decision.end:
        decision.end = decision.start
    if decision.start and decision.end and decision.end < decision.start:
        decision.end = decision.start
    if not decision.start_time or (decision.start == decision.end and (decision.end_time or "") <= decision.start_time):
        decision.end_time = None  # an end hour alone, or before the start, says nothing sure
    return decision


def _deadline(kind: str, dates: PageDates, fields: dict[str, Any], ref: date | None) -> DateDecision:
    for name in ("deadline", "page_deadline"):
        if fields.get(name):
            value = parse_date(fields[name], ref)
            if value:
                return DateDecision(value, value, "date limite donnée par la source")
    if kind != "appel_a_projets":
        return DateDecision(why="pas un appel : pas de date limite")
    return decide_deadline(dates)


@dataclass
class Analysis:
    """A resource's fields and the decisions behind its type and dates (for --explain)."""

    fields: dict[str, Any]
    type_decision: TypeDecision
    dates: PageDates
    deadline: DateDecision
    event: DateDecision
    published_why: str
    title_skipped: list[tuple[str, str]]
    territory_why: list[str]


@dataclass
class Page:
    """What the decisions read of a document: its title, text, address, source fields and dates."""

    title: str
    title_skipped: list[tuple[str, str]]
    text: str
    url: str
    fields: dict[str, Any]
    stated_published: str | None
    dates: PageDates


def read_page(doc: dict[str, Any]) -> Page:
    """The page a document stands for, its dates read with their roles (no decision yet)."""
    fields = clean_fields(doc.get("fields"))
    text = str(doc.get("text") or "")[:TEXT_LIMIT]
    url = str(doc.get("url") or "")
    title = squash(str(doc.get("title") or ""))[:500]
    chosen, skipped = choose_title(text, url)
    if not title:
        title = chosen
    elif title != chosen:
        skipped = [("", "titre donné par la source")]
    stated = _published(doc, fields)
    dates = read_dates(title, text, url, date.fromisoformat(stated) if stated else None)
    return Page(title, skipped, text, url, fields, stated, dates)


def analyse(doc: dict[str, Any], source: dict[str, Any] | None = None, today: date | None = None) -> Analysis:
    """Fields of one resource, with the evidence that decided them."""
    source = source if isinstance(source, dict) else {}
    page = read_page(doc)
    title, text, url, fields, dates = page.title, page.text, page.url, page.fields, page.dates
    title = status_title(title, fields.get("event_status"))
    skipped = page.title_skipped
    stated = page.stated_published
    published = stated or (dates.published.isoformat() if dates.published else None)
    # Explicit source fields without a year are read against the page's date, else the day.
    ref = date.fromisoformat(published) if published else (today or date.today())
    decision = decide_type(title, text, url, fields.get("type_hint"), source.get("default_type"),
                           fields.get("categories"), dates)
    kind = decision.slug
    territory_why: list[str] = []
    chrome = {line for line, why in skipped if line and why in CHROME_REASONS}
    regions, departements, scope = territories(title, text, fields, source, url, territory_why, chrome,
                                              kind)
    event = _event_dates(kind, dates, fields, ref)
    deadline = _deadline(kind, dates, fields, ref)
    location = None
    if kind in DATED or fields.get("location") or fields.get("page_location"):
        location = find_location(title, text, fields)
        place_regions, place_deps = stated_place(fields)  # the source's own codes beat the name
        if not (place_regions or place_deps):
            place_deps = place_departements(location, tuple(departements))
        extra = [d for d in place_deps if d not in departements]
        extra_regions = [r for r in place_regions if r not in regions]
        if extra or extra_regions:  # the venue of an event is one of its territories
            regions, departements, scope = resolve(regions + extra_regions, departements + extra)
    resource = {
        "title": title,
        "url": doc.get("url"),
        "type": kind,
        "themes": classify_themes(title, text, fields),
        "audiences": classify_audiences(title, text, fields),
        "regions": regions,
        "departements": departements,
        "scope": scope,
        "published": published,
        "deadline": deadline.start,
        "event_start": event.start,
        "event_end": event.end,
        "event_start_time": event.start_time if event.start else None,
        "event_end_time": event.end_time if event.start else None,
        "location": location,
        "organisations": organisations(title, text, fields, source),
        "summary": make_summary(str(doc.get("summary") or ""), text, title=title),
    }
    why = "date donnée par la source" if stated else dates.published_why
    return Analysis(resource, decision, dates, deadline, event, why, skipped, territory_why)


def normalize(doc: dict[str, Any], source: dict[str, Any] | None = None, today: date | None = None) -> dict:
    """Fields of one resource; every key of RESOURCE_KEYS is present."""
    return analyse(doc, source, today).fields
