"""No visitor can make the portal fail: every link of every page, every export of every table,
and query strings a visitor may type or mangle answer below 500, refusals in French.

The crawl starts from the home page and follows same-site links breadth first (facet and
sort links included), anonymous and then logged in; it also checks that nothing it does
writes a file beside the databases.
"""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.portal.conftest import LOGIN, PASSWORD
from tests.portal.helpers import login

pytestmark = pytest.mark.e2e

MAX_PAGES = 450
EXPORTS = ("", ".json", ".csv", ".atom", ".ics", ".xlsx", ".excel")
HREF = re.compile(r'href="([^"#]+)')
# Bad query strings for a table: unknown sort, filter, facet or column; huge or absurd sizes;
# malformed `_next`; both sorts at once; SQL that fails.
BAD_TABLE_QUERIES = [
    {"_sort": "nimporte"}, {"_sort_desc": "nimporte"}, {"_sort": "title", "_sort_desc": "title"},
    {"nimporte__exact": "x"}, {"title__nimporte": "x"}, {"_facet": "nimporte"}, {"_facet_array": "nimporte"},
    {"_col": "nimporte"}, {"_nocol": "nimporte"}, {"_size": "100000000"}, {"_size": "-3"}, {"_size": "abc"},
    {"_next": "%%%"}, {"_next": "a,b,c,d,e"}, {"_next": "$null,zz"}, {"_search": '"'}, {"_search": "AND OR NOT ("},
    {"_where": "nimporte = 1"}, {"_where": "1; drop table resources"}, {"_timelimit": "abc"},
    {"_shape": "nimporte"}, {"_json": "nimporte"}, {"_labels": "nimporte"}, {"_through": "{]"},
    {"_facet_date": "title"}, {"_trace": "1"},
]
BAD_SQL = ["select * from nimporte", "select", "update resources set title = 'x'", "select 1/0 from",
           "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r",
           "select :param", "pragma database_list"]


def _same_site(base: str, href: str) -> str | None:
    url = urljoin(base + "/", unescape(href))
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base or parts.path.startswith("/-/logout"):
        return None
    return url


def _crawl(client: httpx.Client, base: str, start: list[str]) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(base + path for path in start)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if "text/html" in response.headers.get("content-type", "") and response.status_code < 400:
            for href in HREF.findall(response.text):
                found = _same_site(base, href)
                if found and found not in seen:
                    queue.append(found)
    return seen


def _tables(client: httpx.Client, database: str) -> list[str]:
    data = client.get(f"/{database}.json").json()
    return [t["name"] for t in data["tables"]] + [v["name"] for v in data.get("views", [])] + [
        q["name"] for q in data.get("queries", [])]


def _files(folder) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_following_every_link_never_fails(server, portal_db):
    before = _files(portal_db.parent)
    served_before = _files(portal_db.parent / "glaneur.db.portail")
    anonymous = httpx.Client(base_url=server, timeout=30)
    seen = _crawl(anonymous, server, ["/", "/recherche?q=formation", "/etat-des-sources", "/glaneur",
                                      "/desabonnement?jeton=x", "/desabonnement", "/lettre.atom", "/lettre/1"])
    professional = login(server, LOGIN, PASSWORD)
    logged_in = _crawl(professional, server, ["/annuaire", "/annuaire/acteurs"])
    seen.update({f"{u} (connecté)": s for u, s in logged_in.items()})
    failures = {u: s for u, s in seen.items() if s >= 500}
    assert len(seen) > 150, len(seen)
    assert not failures, failures
    assert _files(portal_db.parent) == before  # visiting writes nothing, not even abonnes.db
    assert _files(portal_db.parent / "glaneur.db.portail") == served_before


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_export_of_every_table_answers(server, logged_in):
    client = login(server, LOGIN, PASSWORD) if logged_in else httpx.Client(base_url=server, timeout=30)
    failures = {}
    for database in ("glaneur", "annuaire") if logged_in else ("glaneur",):
        for name in _tables(client, database):
            for ext in EXPORTS:
                path = f"/{database}/{name}{ext}"
                status = client.get(path).status_code
                if status >= 500 or status == 404:
                    failures[path] = status
    assert not failures, failures


def test_bad_query_strings_are_refused_in_french(server):
    client = httpx.Client(base_url=server, timeout=30)
    failures, english = {}, {}
    for params in BAD_TABLE_QUERIES:
        for path in ("/glaneur/resources", "/glaneur/resources.json", "/glaneur/resources.csv"):
            response = client.get(path, params=params)
            if response.status_code >= 500:
                failures[(path, tuple(params.items()))] = response.status_code
            elif response.status_code >= 400 and path.endswith("resources") and not _french_refusal(response.text):
                english[(path, tuple(params.items()))] = _message(response.text)
    for sql in BAD_SQL:
        for path in ("/glaneur", "/glaneur.json", "/glaneur.csv"):
            response = client.get(path, params={"sql": sql})
            if response.status_code >= 500:
                failures[(path, sql)] = response.status_code
            elif response.status_code >= 400 and path == "/glaneur" and not _french_refusal(response.text):
                english[(path, sql)] = _message(response.text)
    assert not failures, failures
    assert not english, english


def _message(html: str) -> str:
    """The refusal's first paragraph (the technical detail after it may stay in English)."""
    found = re.search(r'class="message-error"[^>]*>\s*<p>(.*?)</p>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1) if found else html[:300])).strip()


def _french_refusal(html: str) -> bool:
    message = _message(html)
    return bool(message) and not re.search(r"\b(the|cannot|invalid|not|only|error|no such)\b", message, re.I)
