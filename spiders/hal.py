"""HAL (archive ouverte): research on food insecurity through the Solr search API.

The registry sorts by deposit date (`submittedDate_tdate desc`): a new deposit of an older work
comes first. Paging follows `start` + the page's length until `numFound` or `max_pages`.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from scrapy.http import Response

from spiders.api import ApiSpider

# HAL document types that are studies; anything else still counts as a study on this portal.
DOC_TYPES = {"ART": "article", "REPORT": "rapport", "THESE": "thèse", "COMM": "communication",
             "OUV": "ouvrage", "COUV": "chapitre", "UNDEFINED": "prépublication"}


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def with_start(url: str, start: int) -> str:
    parts = urlsplit(url)
    query = parse_qs(parts.query, keep_blank_values=True)
    query["start"] = [str(start)]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


class HalSpider(ApiSpider):
    def api_requests(self):
        for url in self.source.entry_urls:
            yield self.request(url, self.parse, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int):
        data = self.load_json(response)
        if data is None:
            return
        body = data.get("response") or {}
        docs = body.get("docs") or []
        for doc in docs:
            url = doc.get("uri_s") or (f"https://hal.science/{doc['halId_s']}" if doc.get("halId_s") else None)
            if not url:
                continue
            yield self.record(
                response,
                doc,
                url=url,
                title=_first(doc.get("title_s")) or "",
                summary=_first(doc.get("abstract_s")) or "",
                published=(doc.get("producedDate_tdate") or "")[:10] or None,
                fields={
                    "submitted": (doc.get("submittedDate_tdate") or "")[:10] or None,
                    "type_hint": "etude",
                    "doc_type": DOC_TYPES.get(doc.get("docType_s"), doc.get("docType_s")),
                    "authors": doc.get("authFullName_s") or [],
                    "categories": doc.get("keyword_s") or [],
                    "pdf_url": doc.get("fileMain_s"),
                    "doi": doc.get("doiId_s"),
                    "organisations": doc.get("instStructName_s") or [],
                },
            )
        start = int(body.get("start", 0)) + len(docs)
        if docs and start < int(body.get("numFound", 0)) and page < self.source.max_pages:
            yield self.request(with_start(response.url, start), self.parse, cb_kwargs={"page": page + 1})
