"""Text and metadata extraction: trafilatura for HTML pages, pypdf for PDFs.

Plain functions first (used by `glaneur extract` too), the Scrapy pipeline last.
"""

from __future__ import annotations

import io
import logging
import re
from datetime import datetime

import lxml.html
import trafilatura
from pypdf import PdfReader

from glaneur.items import Document

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000


def html_fragment_to_text(html: str) -> str:
    """Text of a feed entry's HTML fragment, paragraphs kept apart."""
    if not html or not html.strip():
        return ""
    try:
        tree = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", html).strip()
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    for block in tree.xpath("//p|//li|//br|//h1|//h2|//h3|//h4|//div|//tr"):
        block.tail = "\n" + (block.tail or "")
    text = tree.text_content()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def extract_html(html: str | bytes, url: str | None = None) -> dict:
    """Main text and metadata of a full HTML page (title, date, description, sitename)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    result = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_tables=True, favor_recall=True, as_dict=True
    )
    if not result:
        return {"title": "", "text": "", "published": None, "summary": "", "sitename": ""}
    return {
        "title": (result.get("title") or "").strip(),
        "text": (result.get("text") or "")[:MAX_TEXT_CHARS],
        "published": result.get("date"),
        "summary": (result.get("description") or "").strip(),
        "sitename": result.get("sitename") or "",
    }


def _pdf_date(value) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return None


def extract_pdf(data: bytes) -> dict:
    """Text, page count, title and date of a PDF; raises ValueError when unreadable."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise ValueError("PDF chiffré") from exc
        texts = []
        for page in reader.pages:
            texts.append(page.extract_text() or "")
            if sum(map(len, texts)) > MAX_TEXT_CHARS:
                break
        meta = reader.metadata
        title = (meta.title or "").strip() if meta else ""
        published = _pdf_date(meta.creation_date) if meta else None
        pages = len(reader.pages)
    except ValueError:
        raise
    except Exception as exc:  # pypdf raises many types on corrupt files
        raise ValueError(f"PDF illisible ({exc.__class__.__name__}: {exc})") from exc
    text = "\n".join(texts)[:MAX_TEXT_CHARS]
    if not title:
        title = next((line.strip() for line in text.splitlines() if len(line.strip()) > 8), "")
    return {"title": title, "text": text, "published": published, "pages": pages, "summary": ""}


def extract_document(doc: Document) -> Document:
    """Fill text and missing metadata of a fetched document, in place."""
    if doc.raw_format == "pdf":
        info = extract_pdf(doc.raw)
        doc.pages = info["pages"]
    elif doc.kind == "page":
        info = extract_html(doc.raw, doc.url)
    elif doc.raw_format == "html":  # feed entry: an HTML fragment
        info = {"text": html_fragment_to_text(doc.raw.decode("utf-8", errors="replace"))}
    else:  # API record: the spider set the fields, the summary holds the description
        info = {"text": html_fragment_to_text(doc.summary)}
    doc.title = doc.title or info.get("title", "")
    doc.text = info.get("text") or doc.text
    doc.published = doc.published or info.get("published")
    if doc.summary and "<" in doc.summary:
        doc.summary = html_fragment_to_text(doc.summary)
    doc.summary = doc.summary or info.get("summary", "")
    if info.get("sitename"):
        doc.fields.setdefault("sitename", info["sitename"])
    return doc


class ExtractPipeline:
    """Scrapy stage: a document that cannot be read is reported, never stored half-empty."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        from scrapy.exceptions import DropItem

        try:
            return extract_document(item)
        except ValueError as exc:
            message = f"{exc} : {item.url}"
            self.crawler.spider.fail(message)
            raise DropItem(message) from exc
