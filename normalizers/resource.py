"""Assemble a resource's fields from a document and its source."""

from __future__ import annotations

from datetime import date
from typing import Any

from normalizers.dates import parse_date
from normalizers.text import make_summary, squash
from normalizers.types import classify_type

RESOURCE_KEYS = (
    "title", "url", "type", "themes", "audiences", "regions", "departements", "scope", "published",
    "deadline", "event_start", "event_end", "location", "organisations", "summary",
)


def normalize(doc: dict[str, Any], source: dict[str, Any] | None = None, today: date | None = None) -> dict:
    """Fields of one resource; every key of RESOURCE_KEYS is present."""
    source = source or {}
    fields = doc.get("fields") or {}
    title = squash(doc.get("title") or "")[:500]
    text = doc.get("text") or ""
    published = parse_date(doc.get("published"))
    ref = date.fromisoformat(published) if published else today
    organisations = list(fields.get("organisations") or [])
    if source.get("organisation") and source["organisation"] not in organisations:
        organisations.insert(0, source["organisation"])
    regions = list(source.get("regions") or [])
    departements = list(source.get("departements") or [])
    return {
        "title": title,
        "url": doc.get("url"),
        "type": classify_type(title, text, fields.get("type_hint"), source.get("default_type")),
        "themes": [],
        "audiences": [],
        "regions": regions,
        "departements": departements,
        "scope": "local" if departements else ("regional" if regions else "national"),
        "published": published,
        "deadline": parse_date(fields.get("deadline"), ref),
        "event_start": parse_date(fields.get("event_start"), ref),
        "event_end": parse_date(fields.get("event_end"), ref),
        "location": fields.get("location"),
        "organisations": organisations,
        "summary": make_summary(doc.get("summary") or "", text),
    }
