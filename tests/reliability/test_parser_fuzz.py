"""Property tests: the feed and listing parsers, extraction and sanitization never raise on
arbitrary input; whatever they yield is a document with a URL, or a request."""

from __future__ import annotations

import asyncio

import scrapy
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse, Request, TextResponse

from glaneur.items import Document
from glaneur.registry import Source
from pipelines.extract import extract_document, html_fragment_to_text
from pipelines.sanitize import sanitize_document
from spiders.feed import FeedSpider
from spiders.listing import ListingSpider

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
URL = "https://exemple.org/flux"
# Fragments of real markup, shuffled: reaches deeper into the parsers than random bytes alone.
PIECES = [
    "<?xml version='1.0'?>",
    "<rss version='2.0'>",
    "<channel>",
    "<item>",
    "</item>",
    "<title>",
    "</title>",
    "<link>",
    "</link>",
    "https://exemple.org/a",
    "javascript:alert(1)",
    "<![CDATA[",
    "]]>",
    "<pubDate>Mon, 01 Jan 1900 00:00:00 GMT</pubDate>",
    "<guid>x</guid>",
    "<feed xmlns='http://www.w3.org/2005/Atom'>",
    "<entry>",
    "<link href='/b'/>",
    "é",
    "&amp;",
    "&#0;",
    "\x00",
    "<script>alert(1)</script>",
    "<a class='item' href='",
    "'>",
    "</a>",
    "<div",
    " onclick='x()'>",
    "</div>",
    "<p>",
    "Texte",
    "\ufeff",
    "<html>",
    "<body>",
]
MARKUP = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
BYTES = st.one_of(st.binary(max_size=2000), MARKUP.map(lambda s: s.encode("utf-8", "surrogatepass")))


def source(kind: str) -> Source:
    return Source(
        id="fuzz",
        name="Fuzz",
        organisation="Fuzz",
        homepage="https://exemple.org/",
        kind=kind,
        entry_urls=[URL],
        follow_pdfs=True,
        listing={"item_links": "a.item::attr(href)", "date": "time", "next_page": "a.next::attr(href)"},
    )


def drain(output) -> list:
    if hasattr(output, "__aiter__"):  # an async callback (the feed spider may parse on a worker)
        async def collect():
            return [item async for item in output]

        output = asyncio.run(collect())
    items = list(output or [])
    for item in items:
        assert isinstance(item, Document | Request | scrapy.Request)
        if isinstance(item, Document):
            assert item.url
    return items


@SETTINGS
@given(BYTES, st.sampled_from(["application/rss+xml; charset=utf-8", "text/xml", "text/html; charset=latin-1", ""]))
def test_feed_parser_never_raises(body, ctype):
    spider = FeedSpider(source("feed"))
    response = TextResponse(URL, body=body, headers={"Content-Type": ctype} if ctype else {}, request=Request(URL))
    drain(spider.parse(response))


@SETTINGS
@given(BYTES)
@example(b"<a class='item' href='a:'>x</a>")  # Scrapy refused the request « a: » (no scheme)
@example(b"<a class='item' href='javascript:alert(1)'>x</a><a class='next' href='mailto:x@y.fr'>2</a>")
def test_listing_parsers_never_raise(body):
    spider = ListingSpider(source("listing"))
    response = HtmlResponse(URL, body=body, headers={"Content-Type": "text/html; charset=utf-8"}, request=Request(URL))
    drain(spider.parse(response, page=1))
    drain(spider.parse_detail(response))


@SETTINGS
@given(BYTES, st.sampled_from(["page", "entry"]))
@example(b"<html>", "page")  # lxml asserted « too many bodies » on the summary fragment
@example(b"<title><title><script", "page")  # decoding entities revealed « <script » again
def test_extraction_and_sanitizing_never_raise(body, kind):
    doc = Document(
        source_id="fuzz", url=URL, kind=kind, raw=body, raw_format="html", summary=body.decode("utf-8", "replace")[:300]
    )
    doc = sanitize_document(extract_document(doc))
    assert "<script" not in doc.title + doc.summary + doc.text
    assert doc.title


@SETTINGS
@given(st.text(max_size=3000))
def test_fragment_to_text_never_raises(html):
    assert isinstance(html_fragment_to_text(html), str)


def test_feed_entry_link_that_is_no_page_is_left_to_the_sanitizer():
    """With fetch_pages, an entry whose link is not http(s) is not requested (Scrapy would raise):
    it goes on as a document, which the sanitize stage refuses with its message."""
    feed = source("feed")
    feed.listing = {"fetch_pages": True}
    body = (b"<rss version='2.0'><channel><item><title>A</title><link>javascript:alert(1)</link></item>"
            b"<item><title>B</title><link>https://exemple.org/b</link></item></channel></rss>")
    response = TextResponse(URL, body=body, headers={"Content-Type": "application/rss+xml"}, request=Request(URL))
    outputs = drain(FeedSpider(feed).parse(response))
    assert [o.url for o in outputs if isinstance(o, Document)] == ["javascript:alert(1)"]
    assert [o.url for o in outputs if isinstance(o, Request | scrapy.Request)] == ["https://exemple.org/b"]
