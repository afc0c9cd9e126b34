"""HTML listings and sitemaps: links to detail pages found by selectors set in the registry.

Selectors starting with `/` or `(` are XPath, anything else is CSS, so an operator can use
whichever the site's markup makes simpler.
"""

from __future__ import annotations

import re

from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap

from spiders.base import SourceSpider, is_pdf


def select(response: Response, selector: str) -> list[str]:
    """Text or attribute values matched by a CSS or XPath selector."""
    if selector.startswith(("/", "(")):
        return [v.strip() for v in response.xpath(selector).getall() if v.strip()]
    if "::" not in selector:
        selector += " ::text"
    return [v.strip() for v in response.css(selector).getall() if v.strip()]


DETAIL_SELECTORS = ("title", "date", "summary", "deadline", "event_date", "location", "categories")


class DetailPageMixin:
    """Turns a detail page into a document; fields from registry selectors override extraction.

    Counts, per configured selector, the pages where it matched: a selector that matched
    nothing on every page means the site's markup changed, and the run says which one.
    """

    def parse_detail(self, response: Response):
        if is_pdf(response):
            yield from self.parse_pdf(response)
            return
        if not isinstance(response, TextResponse):
            ctype = response.headers.get("Content-Type", b"?").decode("latin-1")
            self.fail(f"Type de contenu non pris en charge ({ctype}) : {response.url}")
            return
        conf = self.source.listing
        fields = {}
        self.detail_pages = getattr(self, "detail_pages", 0) + 1
        hits = self.__dict__.setdefault("selector_hits", {})
        for field_name in DETAIL_SELECTORS:
            selector = conf.get(field_name)
            if selector:
                values = select(response, selector)
                hits[field_name] = hits.get(field_name, 0) + bool(values)
                if values:
                    single = field_name in ("date", "deadline", "event_date")
                    fields[field_name] = values[0] if single else " ".join(values)
        categories = select(response, conf["categories"]) if conf.get("categories") else []
        fields.pop("categories", None)
        page_fields = {"page_" + k: v for k, v in fields.items()}
        for key, name in (("deadline", "deadline"), ("event_date", "event_start"), ("location", "location")):
            if key in fields:  # explicit selectors are the source's own statement
                page_fields[name] = fields[key]
        if categories:
            page_fields["categories"] = categories
        yield self.document(
            response,
            url=response.url,
            kind="page",
            title=fields.pop("title", ""),
            summary=fields.pop("summary", ""),
            published=fields.get("date"),
            fields=page_fields,
            raw=response.body,
            raw_format="html",
        )
        yield from self.pdf_requests(response)

    def final_checks(self) -> None:
        """Called when the run ends: flag every detail selector that never matched."""
        pages = getattr(self, "detail_pages", 0)
        for field_name, count in getattr(self, "selector_hits", {}).items():
            if pages and count == 0:
                self.fail(
                    f"Le sélecteur listing.{field_name} « {self.source.listing[field_name]} » "
                    f"ne trouve rien sur les {pages} page(s) de détail"
                )


class PagesSpider(DetailPageMixin, SourceSpider):
    """A plain list of page URLs (ad-hoc ingestion): each URL is one document."""

    def initial_requests(self):
        for url in self.source.entry_urls:
            yield self.request(url, self.parse_detail)


class ListingSpider(DetailPageMixin, SourceSpider):
    """Listing pages with item links, followed across `next_page` links up to `max_pages`."""

    def initial_requests(self):
        for url in self.source.entry_urls:
            yield self.request(url, self.parse, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int = 1):
        conf = self.source.listing
        links = select(response, conf["item_links"])
        if not links:
            self.fail(
                f"Le sélecteur listing.item_links « {conf['item_links']} » ne trouve rien sur {response.url}"
            )
        for url in dict.fromkeys(filter(None, (self.link(response, href) for href in links))):
            yield self.request(url, self.parse_detail, detail=True)
        next_selector = conf.get("next_page")
        max_pages = int(conf.get("max_pages", self.source.max_pages))
        if next_selector and page < max_pages:
            for url in filter(None, (self.link(response, href) for href in select(response, next_selector)[:1])):
                yield self.request(url, self.parse, cb_kwargs={"page": page + 1})


class SitemapSpider(DetailPageMixin, SourceSpider):
    """A sitemap (or sitemap index); `listing.url_pattern` keeps only the relevant pages."""

    def initial_requests(self):
        for url in self.source.entry_urls:
            yield self.request(url, self.parse)

    def parse(self, response: Response):
        try:
            sitemap = Sitemap(response.body)
        except Exception as exc:  # lxml raises several types on broken XML
            self.fail(f"Plan de site illisible : {response.url} ({exc})")
            return
        pattern = re.compile(self.source.listing.get("url_pattern", ".*"))
        limit = int(self.source.listing.get("max_items", 200))
        kept = 0
        for entry in sitemap:
            loc = entry.get("loc", "")
            if sitemap.type == "sitemapindex":
                yield self.request(loc, self.parse)
            elif pattern.search(loc) and kept < limit:
                kept += 1
                yield self.request(loc, self.parse_detail, detail=True)
        if sitemap.type == "urlset" and kept == 0:
            self.fail(f"Aucune URL du plan de site {response.url} ne correspond à « {pattern.pattern} »")
