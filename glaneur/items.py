"""The one item every spider yields: a fetched document, before normalization."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Document:
    """One fetched item of one source: a page, a feed entry, an API record or a PDF.

    `fields` carries what the source states explicitly (API deadline, event dates, categories,
    place...); normalizers prefer it to what they infer from text.
    """

    source_id: str
    url: str
    kind: str  # page | entry | record | pdf
    title: str = ""
    summary: str = ""
    text: str = ""
    published: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    parent_url: str | None = None
    raw: bytes = b""
    raw_format: str = "html"  # html | xml | json | pdf | text
    content_type: str = ""
    pages: int | None = None
    fetched_at: str = ""
    content_hash: str = ""  # hash of the fetched payload, set by the extract stage
    unchanged: bool = False  # same payload as the stored document: extraction skipped
    origin: str | None = None  # the entry point (feed, listing, API page) this document came from
    checked_at: str | None = None  # when the site last sent or confirmed (304) this payload
    # (cache key, day it depends on, normalize() result as JSON), computed during the crawl
    normalized: tuple[str, str | None, str] | None = None
    stored_raw: bytes | None = None  # `raw` compressed as stored, when a worker already did it
