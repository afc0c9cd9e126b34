"""Run the spiders of the selected sources in one Scrapy process, then report per source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from glaneur import settings as project_settings
from glaneur.db import open_db
from glaneur.paths import MIRROR_DIR
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


def crawl_settings(db_path: Path, offline: bool, mirror_dir: Path | None = None) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.set("GLANEUR_DB_PATH", str(db_path), priority="project")
    if offline:
        settings.update(project_settings.offline_overrides(str(mirror_dir or MIRROR_DIR)), priority="project")
    return settings


def run_crawl(
    sources: list[Source], db_path: Path, offline: bool, mirror_dir: Path | None = None
) -> list[SourceReport]:
    """Crawl every source (the reactor runs once per process), return what each did."""
    open_db(db_path).close()
    process = CrawlerProcess(crawl_settings(db_path, offline, mirror_dir))
    crawlers = []
    for source in sources:
        crawler = process.create_crawler(spider_for(source))
        crawlers.append((source, crawler))
        process.crawl(crawler, source=source)
    process.start()
    reports = []
    for source, crawler in crawlers:
        spider = crawler.spider
        summary = getattr(spider, "run_summary", None) or {}
        reports.append(
            SourceReport(
                source_id=source.id,
                status=summary.get("status", "echec"),
                pages=summary.get("pages", 0),
                items=summary.get("items", 0),
                items_new=summary.get("items_new", 0),
                errors=list(getattr(spider, "errors", [])),
            )
        )
    return reports
