"""Match keys: canonical URLs (courlan + w3lib) so that relays of one page collapse."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url
from w3lib.url import url_query_cleaner

TRACKING = re.compile(
    r"^(utm_[a-z_]+|xtor|xts|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|at_[a-z_]+|pk_[a-z_]+|"
    r"mtm_[a-z_]+|matomo_[a-z_]+|_hs(enc|mi)|hsctatracking|igshid|wt_[a-z_]+|s_cid|ref_src|amp|"
    r"outputtype)$",
    re.I,
)
AMP_PATH = re.compile(r"(^/amp(?=/)|/amp/?$|\.amp$|/amp\.html$)")
INDEX_PAGE = re.compile(r"/(index|default)\.(html?|php|aspx?)$", re.I)


def canonical_url(url: str) -> str:
    """One spelling per page: https, no `www.`/`amp.`/`m.`, no tracking parameters, no trailing
    slash, no AMP variant, no fragment, no index page, sorted query."""
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
    host = parts.netloc.lower()
    for prefix in ("www.", "amp.", "m."):
        host = host.removeprefix(prefix)
    path = INDEX_PAGE.sub("", AMP_PATH.sub("", parts.path)).rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))
