"""Text and metadata extraction: trafilatura for HTML pages, pypdf for PDFs, extruct for JSON-LD.

Plain functions, used by the crawl's prepare stage (pipelines/prepare.py) and `glaneur extract`.
`payload_hash` lets that stage skip a document whose payload did not change since the last crawl.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from datetime import datetime

import lxml.html

from glaneur.items import Document
from pipelines.jsonld import jsonld_fields

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000
# Bump when extraction changes so the next crawl re-extracts unchanged payloads.
EXTRACT_VERSION = "2"


def markdown_to_text(text: str) -> str:
    """Text of a Markdown field (data.gouv.fr descriptions): rendered by `markdown`, then read like
    an HTML fragment, so that emphasis, links and headings leave their words and nothing else."""
    if not text or not text.strip():
        return ""
    import markdown

    return html_fragment_to_text(markdown.markdown(text))


def html_fragment_to_text(html: str) -> str:
    """Text of a feed entry's HTML fragment, paragraphs kept apart."""
    if not html or not html.strip():
        return ""
    try:
        tree = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError, AssertionError):  # lxml asserts on a lone <html>
        return re.sub(r"<[^>]+>", " ", html).strip()
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    for block in tree.xpath("//p|//li|//br|//h1|//h2|//h3|//h4|//div|//tr"):
        block.tail = "\n" + (block.tail or "")
    text = tree.text_content()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


# trafilatura, pypdf and extruct are imported on first use: a recrawl where nothing changed
# extracts nothing, and their imports are 0.6 s of its 3 to 4 s.


def stated_metadata(tree) -> dict:
    """Description and sitename as the page's meta tags and JSON-LD state them (no searching)."""
    from trafilatura.metadata import examine_meta, extract_meta_json

    stated = extract_meta_json(tree, examine_meta(tree))
    stated.clean_and_trim()
    return {"description": stated.description, "sitename": stated.sitename}


def extract_html(html: str | bytes, url: str | None = None, full_metadata: bool = True) -> dict:
    """Main text and metadata of a full HTML page (title, date, description, sitename).

    Without `full_metadata`, only the metadata the page states (description, sitename):
    trafilatura's searches for title, author, date and categories take about 40 % of its time
    on an article page, wasted when the source already gave the title and the date.
    """
    import trafilatura
    from trafilatura.utils import load_html

    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    options = {"url": url, "include_tables": True, "favor_recall": True}
    if full_metadata:
        document = trafilatura.bare_extraction(html, with_metadata=True, **options)
        meta = document.as_dict() if document else {}
    else:
        tree = load_html(html)
        document = trafilatura.bare_extraction(tree, with_metadata=False, **options) if tree is not None else None
        meta = stated_metadata(tree) if document else {}
    if not document:
        return {"title": "", "text": "", "published": None, "summary": "", "sitename": ""}
    return {
        "title": (meta.get("title") or "").strip(),
        "text": (document.text or "")[:MAX_TEXT_CHARS],
        "published": meta.get("date"),
        "summary": (meta.get("description") or "").strip(),
        "sitename": meta.get("sitename") or "",
    }


def _pdf_date(value) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return None


def extract_pdf(data: bytes) -> dict:
    """Text, page count, title and date of a PDF; raises ValueError when unreadable."""
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:
                raise ValueError("PDF chiffré") from exc
            if opened == PasswordType.NOT_DECRYPTED:
                raise ValueError("PDF chiffré (mot de passe requis)")
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


def fill(fields: dict, key: str, value) -> None:
    """Set a field only when the source said nothing (explicit values always win)."""
    if value and not fields.get(key):
        fields[key] = value


def apply_jsonld(doc: Document) -> None:
    """Facts of the page's schema.org JSON-LD into doc.fields (dates, place, type hint)."""
    found = jsonld_fields(doc.raw, doc.url)
    for key in ("type_hint", "event_start", "event_end", "location", "schema_type"):
        fill(doc.fields, key, found.get(key))
    if found.get("published"):
        fill(doc.fields, "published", found["published"])
        doc.published = doc.published or str(found["published"])[:10]
    doc.title = doc.title or (found.get("title") or "")


def extract_document(doc: Document) -> Document:
    """Fill text and missing metadata of a fetched document, in place."""
    if doc.raw_format == "pdf":
        info = extract_pdf(doc.raw)
        doc.pages = info["pages"]
    elif doc.kind == "page":
        # The source's title and date win over the page's (see below): given both, the page is
        # only asked for its text and the description its meta tags state.
        info = extract_html(doc.raw, doc.url, full_metadata=not (doc.title and doc.published))
        apply_jsonld(doc)
    elif doc.raw_format == "html":  # feed entry: an HTML fragment
        info = {"text": html_fragment_to_text(doc.raw.decode("utf-8", errors="replace"))}
    else:  # API record: the spider set the fields (and the text when the API has one)
        info = {"text": doc.text or html_fragment_to_text(doc.summary)}
    doc.title = doc.title or info.get("title", "")
    doc.text = info.get("text") or doc.text
    doc.published = doc.published or info.get("published")
    if doc.summary and "<" in doc.summary:
        doc.summary = html_fragment_to_text(doc.summary)
    doc.summary = doc.summary or info.get("summary", "")
    if info.get("sitename"):
        doc.fields.setdefault("sitename", info["sitename"])
    return doc


def payload_hash(doc: Document, salt: str = "") -> str:
    """Hash of what the spider fetched, before extraction: equal hash, nothing to redo."""
    digest = hashlib.sha256()
    for part in (EXTRACT_VERSION, salt, doc.kind, doc.title, doc.summary, doc.published or ""):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(json.dumps(doc.fields, sort_keys=True, default=str).encode("utf-8") + b"\0")
    digest.update(doc.raw)
    return digest.hexdigest()
