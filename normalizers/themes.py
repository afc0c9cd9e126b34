"""Themes and audiences: zero or more slugs each, from keywords (keywords.yaml) and source fields."""

from __future__ import annotations

from typing import Any

from normalizers.keywords import labels, vocabulary
from normalizers.text import as_list


def classify_themes(title: str, text: str, fields: dict[str, Any] | None = None) -> list[str]:
    """Links of the chain and cross-cutting subjects the resource deals with."""
    fields = fields or {}
    return labels(vocabulary("themes"), title, text, as_list(fields.get("categories")))


def classify_audiences(title: str, text: str, fields: dict[str, Any] | None = None) -> list[str]:
    """Who the resource is for; the source's own audience field is trusted first."""
    fields = fields or {}
    return labels(vocabulary("audiences"), title, text, as_list(fields.get("audiences")))
