"""Only http(s) links are ever stored or rendered: no `javascript:`, `data:` or `file:` URL can
become a clickable link in the portal, its feeds or the digest."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from w3lib.url import add_or_replace_parameter


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


def first_page(url: str) -> str:
    """The same selection from its first row: a facet link or an export of « this selection »
    drops `_next`, which otherwise skipped the rows of the pages before."""
    base, _, query = str(url or "").partition("?")
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "_next"]
    return f"{base}?{urlencode(kept)}" if kept else base


def as_download(url: str) -> str:
    """The same export as a file to save (`_dl=1`), not text shown in the browser."""
    return add_or_replace_parameter(str(url or ""), "_dl", "1")
