"""Preview of a discovered source: its first items as Glaneur would store them.

No crawl and no reactor: the responses discovery fetched are handed to the connector's own
spider callbacks (the same code as a crawl), and the documents they yield go through the
crawl's preparation (extract, sanitize) and the build's normalizers. Detail pages a listing or a
sitemap leads to are fetched through the same polite prober, a few at most.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import scrapy
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from glaneur.items import Document
from glaneur.probe import Fetched, Prober
from glaneur.registry import Source

DETAIL_PAGES = 3


@dataclass
class Preview:
    items: list[dict] = field(default_factory=list)  # normalized resource fields
    responses: list[Fetched] = field(default_factory=list)  # what the fixture records
    errors: list[str] = field(default_factory=list)
    date_selector: str | None = None


def as_response(fetched: Fetched) -> scrapy.http.Response:
    headers = Headers(fetched.headers)
    cls = responsetypes.from_args(headers=headers, url=fetched.url, body=fetched.body)
    return cls(url=fetched.url, status=fetched.status, headers=headers, body=fetched.body,
               request=scrapy.Request(fetched.url))


def _callback_outputs(spider, response: scrapy.http.Response, connector: str):
    if connector == "feed":
        from spiders.feed import parse_feed

        headers = {k.decode(): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        return list(spider.parse_entries(parse_feed(response.body, response.url, headers), response))
    return list(spider.parse(response))


def preview_source(source: Source, connector: str, entry: Fetched, prober: Prober,
                   pages: int = DETAIL_PAGES, today: date | None = None) -> Preview:
    """Run the connector's callbacks on the entry response (and a few detail pages)."""
    from spiders.kinds import spider_for

    result = Preview(responses=[entry])
    spider = spider_for(source)(source)
    outputs = _callback_outputs(spider, as_response(entry), connector)
    details: list[tuple[scrapy.Request, Fetched]] = []
    for request in [o for o in outputs if isinstance(o, scrapy.Request)]:
        if not request.meta.get("glaneur_detail") or len(details) >= pages or prober.left <= 0:
            continue  # next pages and the rest of the items: the crawl will read them
        fetched = prober.get(request.url)
        if fetched is not None and fetched.ok:
            details.append((request, fetched))
            result.responses.append(fetched)
    if connector in ("listing", "sitemap") and details:
        pages_html = [as_response(f) for _, f in details]
        if all(r.css("time::attr(datetime)").get() for r in pages_html if hasattr(r, "css")):
            source.listing["date"] = result.date_selector = "time::attr(datetime)"
    documents = [o for o in outputs if isinstance(o, Document)]
    for request, fetched in details:
        documents += [o for o in request.callback(as_response(fetched), **request.cb_kwargs)
                      if isinstance(o, Document)]
    result.errors = list(spider.errors)
    result.items = [item for doc in documents if (item := _normalized(doc, source, today, result.errors))]
    return result


def _normalized(doc: Document, source: Source, today: date | None, errors: list[str]) -> dict | None:
    from normalizers.resource import normalize
    from pipelines.prepare import prepare_document, stored_inputs

    try:
        prepare_document(doc, None, None, None)
    except ValueError as exc:
        errors.append(f"{exc} : {doc.url}")
        return None
    return normalize(stored_inputs(doc), source.as_row(), today)


def territory_text(item: dict) -> str:
    """« Occitanie (76) », « Haute-Garonne (31) » or « national » for a preview line."""
    from normalizers.territories import cog

    names = cog()
    parts = [f"{names.region_names.get(code, code)} ({code})" for code in item.get("regions") or []]
    parts += [f"{names.dep_names.get(code, code)} ({code})" for code in item.get("departements") or []]
    return ", ".join(parts) or (item.get("scope") or "—")


def format_item(item: dict) -> str:
    when = item.get("event_start") or item.get("published") or "sans date"
    label = "le" if item.get("event_start") else "publié le"
    when_text = f"{label} {when}" if when != "sans date" else when
    return f"« {item.get('title') or '(sans titre)'} » — {when_text} — {item.get('type')} — {territory_text(item)}"
