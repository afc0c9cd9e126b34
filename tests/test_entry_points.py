"""Unchanged entry points: a 304 on a feed confirms its documents without fetching its pages,
and only while the previous run was complete and the pages were checked recently."""

from __future__ import annotations

import json
import random
import re
import sqlite3
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlite_utils

from glaneur.build import load_documents, load_sources
from glaneur.normalize_cache import normalize_keyed
from scripts.bench.server import serve_sites
from scripts.bench.sites import article_html, generate
from scripts.bench_crawl import LOCAL_SETTINGS, registry_for
from tests.support import DEMO_TODAY, free_port, glaneur

PAGES = 60


@pytest.fixture
def site(tmp_path: Path):
    dirs = generate(tmp_path / "sites", sites=1, pages=PAGES)
    bases, counters, stop = serve_sites(dirs, free_port(), latency=0)
    registry = tmp_path / "sources.yaml"
    registry_for(bases, registry)
    yield SimpleNamespace(dir=dirs[0], base=bases[0], counters=counters, registry=registry, db=tmp_path / "t.db")
    stop()


def crawl(site, **scrapy_settings) -> str:
    site.counters.reset()
    env = {"GLANEUR_SCRAPY_SETTINGS": json.dumps({**LOCAL_SETTINGS, **scrapy_settings}),
           "GLANEUR_POOL_FROM": "20"}  # workers start early, so some documents are normalized on them
    return glaneur("crawl", "--no-build", "--db", str(site.db), "--registry", str(site.registry), env=env).stdout


def confirmed(output: str) -> int:
    match = re.search(r"(\d+) confirmé\(s\)", output)
    assert match, output
    return int(match.group(1))


def last_run(db: Path) -> tuple:
    with sqlite3.connect(db) as con:
        return con.execute("select status, items, items_new, items_unchanged from crawl_runs "
                           "order by id desc limit 1").fetchone()


def test_unchanged_feed_confirms_its_documents_without_fetching_pages(site):
    crawl(site)
    assert site.counters.requests == 1 + 1 + PAGES + 1  # robots.txt, feed, pages, the PDF of page 50
    con = sqlite3.connect(site.db)
    before = dict(con.execute("select id, last_seen from documents"))
    origins = {row[0] for row in con.execute("select distinct origin from documents")}
    assert len(before) == PAGES + 1 and origins == {site.base + "/feed.xml"}
    assert con.execute("select count(*) from documents where checked_at is null").fetchone()[0] == 0

    output = crawl(site)
    assert (site.counters.requests, site.counters.not_modified, site.counters.bytes) == (2, 1, 0)
    assert confirmed(output) == PAGES + 1
    after = dict(con.execute("select id, last_seen from documents"))
    assert after.keys() == before.keys() and all(after[k] >= before[k] for k in after)
    assert last_run(site.db) == ("ok", PAGES + 1, 0, PAGES + 1)
    con.close()


def test_without_freshness_window_every_page_is_revalidated(site):
    crawl(site)
    output = crawl(site, GLANEUR_PAGE_MAX_AGE_HOURS=0)
    assert confirmed(output) == 0
    assert site.counters.requests == 1 + 1 + PAGES + 1  # conditional requests this time…
    assert site.counters.not_modified == 1 + PAGES + 1  # …all answered 304 (robots.txt is a 404)
    assert last_run(site.db) == ("ok", PAGES + 1, 0, PAGES + 1)


def test_changed_feed_is_parsed_and_only_the_new_page_fetched(site):
    crawl(site)
    title, html, _ = article_html(1, PAGES + 1, random.Random(1))
    (site.dir / "a" / f"{PAGES + 1}.html").write_text(html, encoding="utf-8")
    feed = site.dir / "feed.xml"
    item = f"<item><title>{title}</title><link>{{BASE}}/a/{PAGES + 1}.html</link></item>"
    feed.write_text(feed.read_text(encoding="utf-8").replace("</channel>", item + "</channel>"), encoding="utf-8")
    output = crawl(site)
    assert confirmed(output) == 0
    assert site.counters.requests == 3  # robots.txt, the changed feed, the one new page (others fresh in cache)
    assert last_run(site.db) == ("ok", PAGES + 2, 1, PAGES + 1)


def test_a_previous_run_with_errors_is_not_trusted(site):
    crawl(site)
    with sqlite3.connect(site.db) as con:
        con.execute("update crawl_runs set status = 'partiel'")
    output = crawl(site)
    assert confirmed(output) == 0  # parsed again: pages come from the HTTP cache, re-checked by hash
    assert site.counters.requests == 2
    assert last_run(site.db) == ("ok", PAGES + 1, 0, PAGES + 1)


def test_fields_normalized_during_the_crawl_are_what_the_build_computes(site):
    crawl(site)
    with sqlite3.connect(site.db) as con:
        cached = {doc_id: (key, json.loads(fields)) for doc_id, key, fields in
                  con.execute("select document_id, key, fields from normalized_cache")}
    assert len(cached) >= 5  # the documents that arrived after the worker pool started
    db = sqlite_utils.Database(site.db)
    sources = load_sources(db)
    docs = {d["id"]: d for d in load_documents(db)}
    for doc_id, (key, fields) in cached.items():
        fresh_key, _, fresh = normalize_keyed(docs[doc_id], sources[docs[doc_id]["source_id"]],
                                              date.fromisoformat(DEMO_TODAY))
        assert (fresh_key, fresh) == (key, fields)
