"""`glaneur extract`: one page in, one normalized resource out (no crawl, no database)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from glaneur.items import Document
from glaneur.registry import Source
from normalizers import RESOURCE_KEYS
from normalizers.resource import analyse
from normalizers.titles import page_title
from pipelines.extract import extract_document


class SingleDocumentError(Exception):
    """The input cannot be read as a page, a text or a PDF."""


def _load(target: str) -> tuple[bytes, str, str]:
    """Body, format (html|text|pdf) and URL of a local file or a web address."""
    if target.startswith(("http://", "https://")):
        import trafilatura.downloads

        response = trafilatura.downloads.fetch_response(target, decode=False)
        if response is None or response.status >= 400:
            raise SingleDocumentError(f"Téléchargement impossible : {target}")
        body = response.data
        fmt = "pdf" if body[:5] == b"%PDF-" else "html"
        return body, fmt, target
    path = Path(target)
    if not path.is_file():
        raise SingleDocumentError(f"Fichier introuvable : {target}")
    body = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".pdf" or body[:5] == b"%PDF-":
        return body, "pdf", path.resolve().as_uri()
    if suffix in (".txt", ".md", ".text"):
        return body, "text", path.resolve().as_uri()
    return body, "html", path.resolve().as_uri()


def text_document(text: str, url: str = "", title: str = "") -> dict[str, Any]:
    """The document a plain-text page stands for: what `glaneur extract page.txt` and `glaneur eval`
    both normalize, so that the evaluation measures what an operator gets."""
    return {"url": url, "title": title or page_title(text, url), "text": text, "summary": "", "published": None,
            "kind": "page", "source_id": "", "fields": {}}


def extract_one(target: str, url: str | None = None, source: Source | None = None,
                today: date | None = None, explain: bool = False) -> dict:
    """The resource one page stands for; with `explain`, also the French account of its decisions
    under the key « explication »."""
    body, fmt, origin = _load(target)
    doc = Document(source_id=source.id if source else "", url=url or origin, kind="page",
                   raw=body, raw_format=fmt)
    if fmt == "text":
        doc.text = body.decode("utf-8", errors="replace")
        doc.title = text_document(doc.text, doc.url)["title"]
    else:
        try:
            extract_document(doc)
        except ValueError as exc:
            raise SingleDocumentError(f"{exc} : {target}") from exc
    analysis = analyse(asdict(doc), source.as_row() if source else None, today=today)
    result = {key: analysis.fields[key] for key in RESOURCE_KEYS}
    if explain:
        from normalizers.explain import explain as explain_analysis

        result["explication"] = explain_analysis(analysis)
    return result
