"""The CPU-bound chain of a new or changed document, as one job: extract → sanitize → map the
source's vocabulary → normalize.

One job per document instead of one per stage, and jobs batched (pipelines/workers.py): every
job handed to a worker costs the reactor's process about 0.4 ms whatever it carries, and the
reactor thread is what bounds a big crawl. The chain runs on the workers once the crawl is big
enough; a small crawl runs it here and leaves normalization to the build that follows.

Normalizing during the crawl (type, themes, territories, dates) uses cores the reactor does
not; the result goes to the build's cache (glaneur/normalize_cache.py) under the key the build
computes, so the build only normalizes what the crawl did not.
"""

from __future__ import annotations

from datetime import date

from glaneur.db import compress
from glaneur.items import Document
from glaneur.normalize_cache import as_stored, document_inputs, normalize_keyed
from glaneur.today import reference_today
from pipelines.extract import extract_document, payload_hash
from pipelines.sanitize import safe_url, sanitize_document
from pipelines.store import fields_json, shared_db, stored_hash
from pipelines.vocabulary import apply_mapping, mapping_for, mapping_signature
from pipelines.workers import count_document, run_batched, worker_pool


def stored_inputs(doc: Document) -> dict:
    """The inputs of normalize() as the build will read them back from the database."""
    return document_inputs({**vars(doc), "fields": fields_json(doc)})


def prepare_document(doc: Document, mappings_dir: str | None, source: dict | None,
                     today: date | None) -> Document:
    """Extract, sanitize and map one document; when `source` is given (on a worker), normalize it
    (doc.normalized) and compress its payload for storage (doc.stored_raw) too, so the reactor
    thread only writes. Raises ValueError for a document that cannot be read."""
    extract_document(doc)
    sanitize_document(doc)
    apply_mapping(doc, mapping_for(doc.source_id, mappings_dir))
    if source is not None:
        doc.normalized = as_stored(normalize_keyed(stored_inputs(doc), source, today))
        doc.stored_raw = compress(doc.raw)
    return doc


class PreparePipeline:
    """Scrapy stage before storage: a document that cannot be read is reported by name, never
    stored half-empty; one whose link is not http(s) is refused; one whose payload hash equals
    the stored one is marked unchanged and not prepared again."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.mappings_dir: str | None = crawler.settings.get("GLANEUR_MAPPINGS_DIR") or None
        self.db_path: str | None = crawler.settings.get("GLANEUR_DB_PATH") or None
        self.signatures: dict[str, str] = {}  # mapping file signature per source, read once per crawl

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def signature(self, source_id: str) -> str:
        if source_id not in self.signatures:
            self.signatures[source_id] = mapping_signature(source_id, self.mappings_dir)
        return self.signatures[source_id]

    async def process_item(self, item: Document) -> Document:
        from scrapy.exceptions import DropItem

        if not safe_url(item.url):
            message = f"Lien refusé (schéma non http) : {item.url[:200]}"
            self.crawler.spider.fail(message)
            raise DropItem(message)
        item.content_hash = payload_hash(item, self.signature(item.source_id))
        if self.db_path and stored_hash(shared_db(self.db_path), item) == item.content_hash:
            item.unchanged = True
            self.crawler.stats.inc_value("glaneur/extraction_skipped")
            return item
        count_document()
        try:
            pool = worker_pool()
            if pool is None:
                return prepare_document(item, self.mappings_dir, None, None)
            source = self.crawler.spider.source.as_row()
            return await run_batched(pool, prepare_document, item, self.mappings_dir, source, reference_today())
        except ValueError as exc:
            message = f"{exc} : {item.url}"
            self.crawler.spider.fail(message)
            raise DropItem(message) from exc
