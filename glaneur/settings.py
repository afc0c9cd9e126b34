"""Scrapy settings for live crawls; `offline_overrides` turns them into replay mode.

Live defaults are polite by construction: robots.txt obeyed, AutoThrottle on, at most two
concurrent requests per domain, and a User-Agent that names the project and a contact URL.
"""

from __future__ import annotations

import os

from glaneur import __version__

BOT_NAME = "glaneur"
SPIDER_MODULES: list[str] = []  # spiders are built from the registry, not looked up by name

# --- Politeness -------------------------------------------------------------------------------
CONTACT_URL = os.environ.get("GLANEUR_CONTACT_URL", "https://github.com/glaneur-portail/glaneur")
# ASCII only: a header value is bytes on the wire, and servers read non-ASCII ones as mojibake.
USER_AGENT = f"Glaneur/{__version__} (+{CONTACT_URL}; portail de la lutte contre la precarite alimentaire)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = os.environ.get("GLANEUR_AUTOTHROTTLE", "1") != "0"
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = float(os.environ.get("GLANEUR_DOWNLOAD_DELAY", "1.0"))
RETRY_ENABLED = True
# Scrapy's downloader, with CONCURRENT_REQUESTS_PER_DOMAIN enforced when there is no delay.
DOWNLOADER = "spiders.downloader.PoliteDownloader"
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Items in flight per response: Scrapy starts one asyncio task per slot for every callback
# output (default 100); our callbacks yield one or two items, so 100 tasks were pure overhead.
CONCURRENT_ITEMS = 8

# --- Limits -----------------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024  # PDFs of studies rarely exceed this
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 4

# --- Pipeline ---------------------------------------------------------------------------------
# Extract, sanitize, map vocabulary and normalize are one stage (one worker job per document).
ITEM_PIPELINES = {
    "pipelines.prepare.PreparePipeline": 100,
    "pipelines.store.StorePipeline": 900,
}
EXTENSIONS = {
    "pipelines.runs.CrawlRunRecorder": 500,
    "scrapy.extensions.remote_control.RemoteControl": None,  # opens a port: not wanted
}
SPIDER_MIDDLEWARES = {
    # Next to the spider: origin of every document, and the 304 shortcut of unchanged entry points.
    "pipelines.entry_points.EntryPoints": 950,
}
DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {
    "pipelines.incremental.WireStats": 990,
    # Retry 429/503 after the server's Retry-After (or an exponential pause), slowing the domain.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.backoff.BackoffRetryMiddleware": 550,
    # Redirect loops are reported by URL instead of being dropped by the duplicate filter.
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "spiders.redirects.LoopAwareRedirectMiddleware": 600,
}

# --- Incremental crawling (conditional requests; the cache lives next to the database) ------
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "pipelines.incremental.RevalidatePolicy"
# One SQLite file rather than six small files per response (filesystem storage) or dbm.dumb.
HTTPCACHE_STORAGE = "pipelines.httpcache.SqliteCacheStorage"
HTTPCACHE_EXPIRATION_SECS = 0

# --- Misc -------------------------------------------------------------------------------------
LOG_LEVEL = os.environ.get("GLANEUR_LOG_LEVEL", "WARNING")
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
TELNETCONSOLE_ENABLED = False

# Project settings (GLANEUR_ prefix)
GLANEUR_DB_PATH = os.environ.get("GLANEUR_DB", "")
GLANEUR_OFFLINE = False
GLANEUR_MAPPINGS_DIR = os.environ.get("GLANEUR_MAPPINGS", "")


def offline_overrides(mirror_dir: str) -> dict:
    """Replay recorded responses: no network, no throttling, same spiders."""
    return {
        "GLANEUR_OFFLINE": True,
        "GLANEUR_MIRROR_DIR": mirror_dir,
        "DOWNLOADER_MIDDLEWARES": {**DOWNLOADER_MIDDLEWARES, "glaneur.replay.ReplayMiddleware": 950},
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "RETRY_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    }
