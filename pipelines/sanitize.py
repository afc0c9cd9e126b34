"""Sanitize what sources send before it is stored: no markup, no script, no hostile link.

Stored titles, summaries and texts are plain text (nh3 removes tags and the content of script
and style elements); templates escape them again on output. Links must be http(s).
"""

from __future__ import annotations

import html
import re
from typing import Any

import nh3

from glaneur.items import Document
from glaneur.links import http_url
from normalizers.text import squash

MAX_TITLE_CHARS = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: str) -> str:
    """Text without any markup: tags dropped, script/style content removed, entities decoded.

    Decoding entities can reveal markup that was escaped (« &lt;script&gt; », or what lxml
    leaves of a broken tag), so cleaning repeats until the text no longer changes.
    """
    if not value:
        return ""
    text = html.unescape(nh3.clean(value, tags=set()) if "<" in value else value)
    for _ in range(3):
        if "<" not in text:
            break
        cleaned = html.unescape(nh3.clean(text, tags=set()))
        if cleaned == text:
            break
        text = cleaned
    return _CONTROL.sub("", text)


def safe_url(url: str | None) -> bool:
    return http_url(url) is not None


def sanitize_fields(value: Any) -> Any:
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, list):
        return [sanitize_fields(v) for v in value]
    if isinstance(value, dict):
        return {k: sanitize_fields(v) for k, v in value.items()}
    return value


def title_or_fallback(title: str, summary: str, text: str) -> str:
    """A title is required downstream: an untitled entry takes the start of its own text."""
    title = squash(title)
    if not title:
        basis = squash(summary) or squash(text)
        title = basis[:120].rsplit(" ", 1)[0] + "…" if len(basis) > 120 else basis
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rstrip() + "…"
    return title or "(sans titre)"


def sanitize_document(doc: Document) -> Document:
    doc.summary = plain_text(doc.summary)
    doc.text = plain_text(doc.text)
    doc.title = title_or_fallback(plain_text(doc.title), doc.summary, doc.text)
    doc.fields = sanitize_fields(doc.fields)
    return doc
