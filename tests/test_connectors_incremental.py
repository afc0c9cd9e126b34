"""Incremental crawling: conditional requests answered 304, unchanged documents not re-extracted."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from scrapy.http import Request

from glaneur.paths import MIRROR_DIR
from glaneur.replay import ReplayMiddleware
from tests.support import glaneur

FEED = "https://reseaucocagne.org/feed/"


def test_replay_answers_304_to_matching_validators():
    mw = ReplayMiddleware(MIRROR_DIR)
    first = mw.process_request(Request(FEED))
    assert first.status == 200 and first.body
    etag = first.headers[b"ETag"]
    assert etag == b'"cocagne-feed-20261119"'  # the recorded ETag
    again = mw.process_request(Request(FEED, headers={"If-None-Match": etag}))
    assert again.status == 304 and again.body == b""
    stale = mw.process_request(Request(FEED, headers={"If-None-Match": '"autre"'}))
    assert stale.status == 200
    since = mw.process_request(Request(FEED, headers={"If-Modified-Since": "Fri, 20 Nov 2026 00:00:00 GMT"}))
    assert since.status == 304
    before = mw.process_request(Request(FEED, headers={"If-Modified-Since": "Wed, 18 Nov 2026 00:00:00 GMT"}))
    assert before.status == 200


def test_unrecorded_etag_is_derived_from_the_body():
    mw = ReplayMiddleware(MIRROR_DIR)
    url = "https://gesmip.fr/wp-json/wp/v2/posts?_embed=1&per_page=20"
    etag = mw.process_request(Request(url)).headers[b"ETag"]
    assert mw.process_request(Request(url, headers={"If-None-Match": etag})).status == 304


def _network_line(output: str) -> tuple[int, int, int, int, int]:
    pattern = (r"Réseau : (\d+) requête\(s\), (\d+) octets reçus, (\d+) réponse\(s\) 304 ; (\d+) document.*?"
               r"(\d+) confirmé")
    match = re.search(pattern, output)
    assert match, output
    return tuple(int(g) for g in match.groups())


def test_second_crawl_sends_conditional_requests(tmp_path: Path):
    db = tmp_path / "incr.db"
    args = ("crawl", "--offline", "--no-build", "--db", str(db), "--source", "reseau-cocagne", "--source", "civam",
            "--source", "altaa-agenda")
    first = _network_line(glaneur(*args).stdout)
    con = sqlite3.connect(db)
    seen_before = dict(con.execute("select id, last_seen from documents"))
    second = _network_line(glaneur(*args).stdout)
    assert first[1] > 0 and first[2] == 0 and first[3] == 0 and first[4] == 0
    assert second[1] == 0  # every body was answered 304
    assert second[2] == 5  # feed + 2 REST API pages + 2 listing pages revalidated…
    assert second[0] == 5 + 3  # …plus the robots.txt; the 3 event pages, fresh in the cache, not asked for
    # No document re-extracted: every entry point answered 304, so its documents were confirmed.
    assert second[3] + second[4] == len(seen_before) and second[4] == len(seen_before)
    runs = con.execute("select items_new, items_unchanged from crawl_runs where source_id = 'civam' "
                       "order by id").fetchall()
    assert runs == [(3, 0), (0, 3)]
    assert (tmp_path / "incr.db.httpcache").is_dir()
    con.close()
