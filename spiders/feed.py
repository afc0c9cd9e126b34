"""RSS/Atom feeds, parsed with feedparser (with the HTTP headers, so encodings are right)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import feedparser
from scrapy.http import Response

from glaneur.links import http_url
from pipelines.workers import on_worker, worker_pool
from spiders.base import SourceSpider

# A feed of this many entries is parsed (feedparser is pure Python) on the worker processes,
# which the documents to come will need anyway.
BIG_FEED_ENTRIES = 100


def entry_count(body: bytes) -> int:
    return body.count(b"<item") + body.count(b"<entry")


def _entry_date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), UTC).date().isoformat()
    return None


def _entry_html(entry) -> str:
    for content in entry.get("content") or []:
        if content.get("value"):
            return content["value"]
    return entry.get("summary", "")


def parse_feed(body: bytes, url: str, headers: dict[str, str]) -> feedparser.FeedParserDict:
    """Parse a feed body; headers let feedparser trust the declared encoding."""
    return feedparser.parse(body, response_headers={k.lower(): v for k, v in headers.items()})


class FeedSpider(SourceSpider):
    """A feed source: one document per entry; `listing.fetch_pages` also fetches each article."""

    def initial_requests(self):
        for url in self.source.entry_urls:
            yield self.request(url, self.parse)

    async def parse(self, response: Response):
        headers = {k.decode(): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        pool = worker_pool(start=True) if entry_count(response.body) >= BIG_FEED_ENTRIES else None
        if pool is None:
            feed = parse_feed(response.body, response.url, headers)
        else:
            feed = await on_worker(pool, parse_feed, response.body, response.url, headers)
        for output in self.parse_entries(feed, response):
            yield output

    def parse_entries(self, feed: feedparser.FeedParserDict, response: Response):
        if feed.bozo and not feed.entries:
            self.fail(f"Flux illisible : {response.url} ({feed.get('bozo_exception', 'format inconnu')})")
            return
        if not feed.entries:
            self.fail(f"Flux vide : {response.url}")
            return
        problem = feed.get("bozo_exception")
        if feed.bozo and not isinstance(problem, feedparser.CharacterEncodingOverride):
            self.fail(f"Flux mal formé, lu en partie ({len(feed.entries)} entrées) : {response.url} ({problem})")
        elif feed.bozo:
            self.logger.warning("Encodage déclaré incorrect, corrigé : %s (%s)", response.url, problem)
        fetch_pages = bool(self.source.listing.get("fetch_pages"))
        for entry in feed.entries:
            link = entry.get("link")
            title = (entry.get("title") or "").strip()
            if not link:
                self.fail(f"Entrée de flux sans lien ignorée dans {response.url} : « {title[:80]} »")
                continue
            link = response.urljoin(link)
            fields = {
                "categories": [t.get("term") for t in entry.get("tags") or [] if t.get("term")],
                "authors": [a.get("name") for a in entry.get("authors") or [] if a.get("name")],
                "guid": entry.get("id"),
            }
            html = _entry_html(entry)
            doc = self.document(
                response,
                url=link,
                kind="entry",
                title=title,
                summary=entry.get("summary", ""),
                published=_entry_date(entry),
                fields=fields,
                raw=html.encode("utf-8"),
                raw_format="html",
            )
            if fetch_pages and http_url(link):
                yield self.request(link, self.parse_article, detail=True, cb_kwargs={"entry_doc": doc})
            else:  # a non-http link is refused, with its message, by the sanitize stage
                yield doc

    def parse_article(self, response: Response, entry_doc):
        entry_doc.raw = response.body
        entry_doc.kind = "page"
        entry_doc.content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        yield entry_doc
        yield from self.pdf_requests(response)
