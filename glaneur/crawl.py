"""Run the spiders of the selected sources in one Scrapy process, then report per source."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from glaneur import settings as project_settings
from glaneur.db import open_db
from glaneur.gc_tuning import fewer_collections
from glaneur.paths import MIRROR_DIR
from glaneur.publish import database_lock
from glaneur.registry import Source
from spiders import spider_for


@dataclass
class SourceReport:
    source_id: str
    status: str
    pages: int
    items: int
    items_new: int
    errors: list[str]
    items_unchanged: int = 0
    wire: dict[str, int] = field(default_factory=dict)  # requests, bytes, not_modified on the wire


def cache_dir(db_path: Path) -> Path:
    """HTTP cache of a database: beside it, so each database has its own crawl history."""
    db_path = Path(db_path).resolve()
    return db_path.with_name(db_path.name + ".httpcache")


def crawl_settings(db_path: Path, offline: bool, mirror_dir: Path | None = None,
                   use_cache: bool = True) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.set("GLANEUR_DB_PATH", str(db_path), priority="project")
    settings.set("HTTPCACHE_DIR", str(cache_dir(db_path)), priority="project")
    settings.set("HTTPCACHE_ENABLED", use_cache, priority="project")
    if offline:
        settings.update(project_settings.offline_overrides(str(mirror_dir or MIRROR_DIR)), priority="project")
    settings.update(env_overrides(), priority="cmdline")
    return settings


def env_overrides() -> dict:
    """Scrapy settings from GLANEUR_SCRAPY_SETTINGS (a JSON object), for benchmarks and tests
    against local servers; like `scrapy crawl -s`, they win over the project's settings."""
    raw = os.environ.get("GLANEUR_SCRAPY_SETTINGS", "").strip()
    if not raw:
        return {}
    try:
        values = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"GLANEUR_SCRAPY_SETTINGS n'est pas un objet JSON valide : {exc}") from exc
    if not isinstance(values, dict):
        raise ValueError("GLANEUR_SCRAPY_SETTINGS doit être un objet JSON (clé → valeur).")
    return values


def run_crawl(
    sources: list[Source], db_path: Path, offline: bool, mirror_dir: Path | None = None,
    use_cache: bool = True,
) -> list[SourceReport]:
    """Crawl every source (the reactor runs once per process), return what each did."""
    open_db(db_path).close()
    process = CrawlerProcess(crawl_settings(db_path, offline, mirror_dir, use_cache))
    crawlers = []
    for source in sources:
        crawler = process.create_crawler(spider_for(source))
        crawlers.append((source, crawler))
        process.crawl(crawler, source=source)
    with database_lock(db_path), fewer_collections():  # a build never snapshots a database mid-crawl
        process.start()
    reports = []
    for source, crawler in crawlers:
        spider = crawler.spider
        summary = getattr(spider, "run_summary", None) or {}
        stats = crawler.stats
        reports.append(
            SourceReport(
                source_id=source.id,
                status=summary.get("status", "echec"),
                pages=summary.get("pages", 0),
                items=summary.get("items", 0),
                items_new=summary.get("items_new", 0),
                errors=list(getattr(spider, "errors", [])),
                items_unchanged=summary.get("items_unchanged", 0),
                wire={
                    "requests": stats.get_value("glaneur/wire/responses", 0),
                    "bytes": stats.get_value("glaneur/wire/bytes", 0),
                    "not_modified": stats.get_value("glaneur/wire/not_modified", 0),
                    "extraction_skipped": stats.get_value("glaneur/extraction_skipped", 0),
                    "confirmed": stats.get_value("glaneur/items_confirmed", 0),
                },
            )
        )
    return reports
