"""The view of one document that matching needs, built from the document and its normalized fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dedup.folding import fold
from dedup.keys import canonical_url
from dedup.titles import TitleInfo, analyse_title


@dataclass(frozen=True, slots=True)
class DocRecord:
    id: str
    source_id: str
    kind: str
    url_key: str
    parent_key: str
    content_hash: str
    long_text: bool  # the content hash covers a real body, not just a title
    title: TitleInfo
    type: str | None
    published: date | None
    deadline: date | None
    event_start: date | None
    organisations: frozenset[str]


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def make_record(doc: dict[str, Any], fields: dict[str, Any], min_text: int = 200) -> DocRecord:
    """`doc` is a row of `documents`; `fields` what normalize() returned for it."""
    return DocRecord(
        id=doc["id"],
        source_id=doc.get("source_id") or "",
        kind=doc.get("kind") or "",
        url_key=canonical_url(doc.get("url") or ""),
        parent_key=canonical_url(doc.get("parent_url") or ""),
        content_hash=doc.get("content_hash") or "",
        long_text=doc.get("kind") == "pdf" or len(doc.get("text") or "") >= min_text,
        title=analyse_title(fields.get("title") or doc.get("title") or ""),
        type=fields.get("type"),
        published=_day(fields.get("published")),
        deadline=_day(fields.get("deadline")),
        event_start=_day(fields.get("event_start")),
        organisations=frozenset(fold(o) for o in fields.get("organisations") or [] if o),
    )
