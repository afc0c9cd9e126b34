"""The title of a page given as plain text."""

from __future__ import annotations


def page_title(text: str, url: str = "") -> str:
    """The first non-empty line."""
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), "")
