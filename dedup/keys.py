"""Match keys: canonical URLs (courlan + w3lib) so that relays of one page collapse."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url
from w3lib.url import url_query_cleaner

TRACKING = re.compile(r"^(utm_[a-z_]+|xtor|fbclid|gclid|mc_cid|mc_eid|at_[a-z_]+|pk_[a-z_]+|amp)$", re.I)


def canonical_url(url: str) -> str:
    """One spelling per page: https, no `www.`, no tracking parameters, no trailing slash, no AMP."""
    if not url:
        return ""
    try:
        url = normalize_url(url.strip(), strict=False, trailing_slash=False)
    except (ValueError, AttributeError):
        url = url.strip()
    parts = urlsplit(url)
    names = [pair.split("=")[0] for pair in parts.query.split("&") if pair]
    query = url_query_cleaner(
        "?" + parts.query, [n for n in names if TRACKING.match(n)], remove=True
    ).lstrip("?")
    host = parts.netloc.lower().removeprefix("www.")
    path = re.sub(r"/amp/?$", "", parts.path).rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))
