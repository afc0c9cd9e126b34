"""Redirects that report loops: Scrapy's duplicate filter would otherwise drop the looping
request silently, and the source would lose a page without a word."""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    """Replaces Scrapy's RedirectMiddleware at the same place in the chain."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            raise IgnoreRequest(f"Boucle de redirection ({' → '.join([*chain, redirected.url])})")
        try:
            return super()._redirect(redirected, request, reason)
        except IgnoreRequest as exc:
            raise IgnoreRequest(f"Trop de redirections depuis {chain[0]}") from exc
