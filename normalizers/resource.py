"""Assemble a resource's fields from a document and its source.

Explicit fields of the source (API deadline, event dates, perimeter, partners…) always win over
what is inferred from the text; inference only fills the gaps.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from normalizers.dates import find_deadline, find_event_dates, find_published, parse_date, parse_span
from normalizers.location import find_location
from normalizers.organisations import organisations
from normalizers.territories import place_departements, resolve, territories
from normalizers.text import as_list, make_summary, squash
from normalizers.themes import classify_audiences, classify_themes
from normalizers.types import classify_type

RESOURCE_KEYS = (
    "title", "url", "type", "themes", "audiences", "regions", "departements", "scope", "published",
    "deadline", "event_start", "event_end", "location", "organisations", "summary",
)
DATED_TYPES = ("evenement", "formation")
# What normalize() reads: of a document, and of its source's registry row.
DOCUMENT_INPUTS = ("url", "title", "summary", "text", "published", "fields")
SOURCE_INPUTS = ("organisation", "default_type", "regions", "departements")
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


def _published(doc: dict[str, Any], fields: dict[str, Any], text: str) -> str | None:
    return (parse_date(doc.get("published")) or parse_date(fields.get("page_date"))
            or find_published(text))


def _event_dates(kind: str, title: str, text: str, fields: dict[str, Any], ref: date | None
                 ) -> tuple[str | None, str | None]:
    start = parse_date(fields.get("event_start"), ref)
    end = parse_date(fields.get("event_end"), ref)
    if not start and fields.get("page_event_date"):
        start, end_span = parse_span(str(fields["page_event_date"]), ref)
        end = end or end_span
    if not start and kind in DATED_TYPES:
        start, end = find_event_dates(title, text, ref)
    if start and not end:
        end = start
    if start and end and end < start:
        end = start
    return start, end


def _deadline(kind: str, text: str, fields: dict[str, Any], ref: date | None) -> str | None:
    for name in ("deadline", "page_deadline"):
        if fields.get(name):
            value = parse_date(fields[name], ref)
            if value:
                return value
    return find_deadline(text, ref) if kind == "appel_a_projets" else None


def normalize(doc: dict[str, Any], source: dict[str, Any] | None = None, today: date | None = None) -> dict:
    """Fields of one resource; every key of RESOURCE_KEYS is present."""
    source = source if isinstance(source, dict) else {}
    fields = clean_fields(doc.get("fields"))
    title = squash(str(doc.get("title") or ""))[:500]
    text = str(doc.get("text") or "")[:TEXT_LIMIT]
    published = _published(doc, fields, text)
    ref = date.fromisoformat(published) if published else (today or date.today())
    kind = classify_type(title, text, fields.get("type_hint"), source.get("default_type"), fields.get("categories"))
    regions, departements, scope = territories(title, text, fields, source)
    event_start, event_end = _event_dates(kind, title, text, fields, ref)
    location = None
    if kind in DATED_TYPES or fields.get("location") or fields.get("page_location"):
        location = find_location(title, text, fields)
        extra = [d for d in place_departements(location) if d not in departements]
        if extra:  # the venue of an event is one of its territories
            regions, departements, scope = resolve(regions, departements + extra)
    return {
        "title": title,
        "url": doc.get("url"),
        "type": kind,
        "themes": classify_themes(title, text, fields),
        "audiences": classify_audiences(title, text, fields),
        "regions": regions,
        "departements": departements,
        "scope": scope,
        "published": published,
        "deadline": _deadline(kind, text, fields, ref),
        "event_start": event_start,
        "event_end": event_end,
        "location": location,
        "organisations": organisations(title, text, fields, source),
        "summary": make_summary(str(doc.get("summary") or ""), text, title=title),
    }
