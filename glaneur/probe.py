"""Polite HTTP for discovery: robots.txt first and obeyed, the project's User-Agent, a budget.

Discovery runs outside Scrapy (one command, a dozen requests), so it does here what Scrapy's
middlewares do for a crawl: robots.txt is parsed with Protego (Scrapy's own parser) following
RFC 9309 (4xx: everything allowed, 5xx or unreachable: nothing allowed), redirects are followed
by hand so that each one is checked against robots.txt and counted, and once `max_requests`
responses have been asked for, nothing more is fetched.
"""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from protego import Protego

from glaneur.settings import USER_AGENT

MAX_REQUESTS = 12
MAX_REDIRECTS = 3
MAX_BODY = 5 * 1024 * 1024


@dataclass
class Fetched:
    """One response: what discovery reads, and what the fixture records."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 (urllib API)
        return None  # the prober follows redirects itself, after robots.txt and the budget


@dataclass
class Prober:
    """Fetches within one site, at most `max_requests` times, as robots.txt allows."""

    homepage: str
    max_requests: int = MAX_REQUESTS
    delay: float = field(default_factory=lambda: float(os.environ.get("GLANEUR_DOWNLOAD_DELAY", "1.0")))
    user_agent: str = USER_AGENT
    requests: list[tuple[str, int]] = field(default_factory=list)  # (url, status) in order
    refused: list[str] = field(default_factory=list)  # French notes: what was not fetched, and why
    robots: Protego | None = None
    robots_status: int | None = None
    robots_sitemaps: list[str] = field(default_factory=list)
    moved_from: str | None = None  # the homepage asked for, when it redirected to another site
    _opener: urllib.request.OpenerDirector = field(
        default_factory=lambda: urllib.request.build_opener(_NoRedirect()), repr=False)

    @property
    def site(self) -> str:
        parts = urlsplit(self.homepage)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def left(self) -> int:
        return self.max_requests - len(self.requests)

    def read_robots(self) -> None:
        """robots.txt of the site, read once before anything else."""
        response = self._fetch(self.site + "/robots.txt")
        self.robots_status = response.status if response else None
        if response is not None and response.ok:
            self.robots = Protego.parse(response.text)
            self.robots_sitemaps = [urljoin(self.site + "/", s) for s in self.robots.sitemaps]
            self.delay = max(self.delay, float(self.robots.crawl_delay(self.user_agent) or 0))
        elif response is not None and 400 <= response.status < 500:
            self.robots = Protego.parse("")  # RFC 9309 § 2.3.1.3: no rules
        else:  # 5xx or unreachable: RFC 9309 § 2.3.1.4, assume complete disallow
            self.robots = Protego.parse("User-agent: *\nDisallow: /\n")

    def allowed(self, url: str) -> bool:
        if self.robots is None:
            self.read_robots()
        return self.robots.can_fetch(url, self.user_agent)

    def get(self, url: str, rebase: bool = False) -> Fetched | None:
        """The response of a URL of this site (redirects followed), or None when robots.txt,
        the budget or another host forbids it (the reason goes to `refused`). With `rebase`
        (the homepage), a redirect to another host (http → https, a « www. ») moves the prober
        to that site, whose robots.txt is then read."""
        for _ in range(MAX_REDIRECTS + 1):
            if urlsplit(url).netloc != urlsplit(self.site).netloc:
                if not rebase:
                    self.refused.append(f"{url} : autre site que {urlsplit(self.site).netloc}, non suivi")
                    return None
                self.moved_from, self.homepage = self.homepage, url
                self.read_robots()
            if not self.allowed(url):
                self.refused.append(f"{url} : interdit par robots.txt")
                return None
            response = self._fetch(url)
            if response is None or response.status not in (301, 302, 303, 307, 308):
                return response
            location = response.headers.get("location")
            if not location:
                return response
            url = urljoin(url, location)
        self.refused.append(f"{url} : trop de redirections")
        return None

    def _fetch(self, url: str) -> Fetched | None:
        if self.left <= 0:
            self.refused.append(f"{url} : limite de {self.max_requests} requêtes atteinte")
            return None
        if self.requests and self.delay:
            time.sleep(self.delay)
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent,
                                                       "Accept-Language": "fr"})
        try:
            with self._opener.open(request, timeout=20) as raw:  # noqa: S310 (http(s) of one site)
                response = Fetched(raw.url, raw.status, _headers(raw.headers), raw.read(MAX_BODY))
        except urllib.error.HTTPError as exc:
            response = Fetched(url, exc.code, _headers(exc.headers), exc.read(MAX_BODY) if exc.fp else b"")
        except (OSError, ValueError) as exc:
            self.requests.append((url, 0))
            self.refused.append(f"{url} : injoignable ({exc})")
            return None
        response.url = url  # the URL asked for: the one the spider (and the replay) will use
        self.requests.append((url, response.status))
        return response


def _headers(message) -> dict[str, str]:  # noqa: ANN001 (email.message.Message)
    return {k.lower(): v for k, v in message.items()} if message else {}
