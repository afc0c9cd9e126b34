"""Behaviour shared by every source spider: the registry entry, errors, PDF links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from glaneur.items import Document
from glaneur.links import http_url
from glaneur.registry import Source

PDF_MAXSIZE = 15 * 1024 * 1024


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def is_pdf(response: Response) -> bool:
    ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    return "application/pdf" in ctype or response.body[:5] == b"%PDF-"


class SourceSpider(scrapy.Spider):
    """A spider bound to one registry entry; `errors` feeds `crawl_runs`."""

    name = "source"
    custom_settings: dict[str, Any] = {}

    def __init__(self, source: Source, **kwargs: Any):
        super().__init__(name=source.id, **kwargs)
        self.source = source
        self.errors: list[str] = []

    async def start(self):
        for request in self.initial_requests():
            yield request

    def initial_requests(self):
        """Requests of the entry URLs; each connector kind defines its own."""
        raise NotImplementedError

    def fail(self, message: str) -> None:
        """Record an error for this run and log it; the crawl goes on."""
        self.errors.append(message)
        self.logger.error(message)

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        value = failure.value
        response = getattr(value, "response", None)
        if response is not None:
            self.fail(f"HTTP {response.status} sur {url}")
        else:
            self.fail(f"Échec de téléchargement de {url} : {value}")

    def request(self, url: str, callback, detail: bool = False, **kwargs: Any) -> scrapy.Request:
        """A request reporting its failures; `detail` marks a page reached from an entry point,
        which the HTTP cache may serve without asking the site again (pipelines/incremental.py)."""
        if detail:
            kwargs["meta"] = {**kwargs.get("meta", {}), "glaneur_detail": True}
        return scrapy.Request(url, callback=self.kept(callback), errback=self.kept(self.on_error), **kwargs)

    def kept(self, method: Callable[..., Any]) -> Callable[..., Any]:
        """The same bound-method object for every request. Scrapy caches its check of each
        callback's source (ast.parse, for « return » in generators) in a weak dictionary keyed by
        the callback: a bound method made anew per request died with it and the source of the
        callback was parsed again for every response (1.6 s for 5,000 pages)."""
        func = getattr(method, "__func__", None)
        if func is None or getattr(method, "__self__", None) is not self:
            return method
        return self.__dict__.setdefault("_kept_callbacks", {}).setdefault(func, method)

    @staticmethod
    def link(response: Response, href: str) -> str | None:
        """Absolute URL of a link found on a page, or None unless it is http(s): a `mailto:`,
        `javascript:` or broken href is no page to fetch (and Scrapy refuses it outright)."""
        return http_url(response.urljoin(href.strip()))

    def document(self, response: Response, **values: Any) -> Document:
        return Document(
            source_id=self.source.id,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1"),
            fetched_at=now_iso(),
            **values,
        )

    # --- PDFs announced by a page ---------------------------------------------------------------
    def pdf_requests(self, response: Response):
        if not self.source.follow_pdfs or b".pdf" not in response.body.lower():
            return  # parsing the page for links only when it names a PDF at all
        seen: set[str] = set()
        for href in response.css("a::attr(href)").getall():
            url = self.link(response, href)
            if url and url.lower().split("?")[0].endswith(".pdf") and url not in seen:
                seen.add(url)
                yield self.request(
                    url,
                    self.parse_pdf,
                    detail=True,
                    meta={"parent_url": response.url, "download_maxsize": PDF_MAXSIZE},
                )

    def parse_pdf(self, response: Response):
        if not is_pdf(response):
            self.fail(f"Lien PDF qui ne renvoie pas un PDF : {response.url}")
            return
        yield self.document(
            response,
            url=response.url,
            kind="pdf",
            raw=response.body,
            raw_format="pdf",
            parent_url=response.meta.get("parent_url"),
        )
