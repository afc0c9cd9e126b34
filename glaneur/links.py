"""Only http(s) links are ever stored or rendered: no `javascript:`, `data:` or `file:` URL can
become a clickable link in the portal, its feeds or the digest."""

from __future__ import annotations

from urllib.parse import urlsplit


def http_url(value: object) -> str | None:
    """The URL itself when it is an http(s) address, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") and "//" in url else None
