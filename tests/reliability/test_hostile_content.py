"""Hostile content never runs in a visitor's browser: payloads that reached the database anyway
(written straight into it, past the sanitizer) are escaped on the home page, the table, search,
resource pages, the Atom output and the digest. Chromium reports any script that runs."""

from __future__ import annotations

import json
import shutil
import urllib.request
import xml.etree.ElementTree as ET

import pytest
import sqlite_utils

from tests.browser import launch
from tests.support import glaneur, serve_portal

pytestmark = pytest.mark.e2e
playwright_api = pytest.importorskip("playwright.sync_api")

PAYLOADS = {
    "title": "Appel piégé <script>window.__pwned='titre'</script><img src=x onerror=\"window.__pwned='img'\">",
    "summary": "<svg onload=\"window.__pwned='svg'\"></svg><a href=\"javascript:window.__pwned='lien'\">clic</a>",
    "location": "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>Nîmes",
}


@pytest.fixture(scope="module")
def hostile_db(offline_db, tmp_path_factory):
    db_path = tmp_path_factory.mktemp("hostile") / "glaneur.db"
    shutil.copy(offline_db, db_path)
    db = sqlite_utils.Database(db_path)
    db["resources"].insert({
        "id": "piege", "type": "appel_a_projets", "url": "javascript:window.__pwned='url'",
        "published": "2026-11-19", "year": 2026, "deadline": "2026-12-01", "event_start": "2026-12-01",
        "themes": '["distribution"]', "audiences": "[]", "regions": '["76"]', "departements": '["30"]',
        "organisations": json.dumps(["<b onmouseover=\"window.__pwned='org'\">Org</b>"]), "scope": "local",
        "source_count": 1, "text": "piège", "updated": "2026-11-20T00:00:00+00:00", "is_latest_edition": 1,
        **PAYLOADS,
    }, alter=True)
    db["documents"].insert({"id": "doc-piege", "source_id": "reseau-cocagne", "url": "https://exemple.org/piege",
                            "kind": "entry", "title": PAYLOADS["title"], "first_seen": "2026-11-19T08:00:00+00:00",
                            "last_seen": "2026-11-19T08:00:00+00:00", "fetched_at": "2026-11-19T08:00:00+00:00"})
    db["resource_sources"].insert({"resource_id": "piege", "source_id": "reseau-cocagne",
                                   "url": "javascript:window.__pwned='source'", "document_id": "doc-piege",
                                   "title": PAYLOADS["title"], "role": "principale", "match_stage": "first",
                                   "score": 1.0})
    from glaneur.search_index import refresh_search_index

    refresh_search_index(db)
    db.close()
    return db_path


@pytest.fixture(scope="module")
def hostile_portal(hostile_db):
    with serve_portal(hostile_db) as base:
        yield base


def assert_nothing_runs(page, url: str) -> None:
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    for link in page.locator("a[href^='javascript:']").all():
        raise AssertionError(f"lien javascript: rendu cliquable sur {url} : {link.get_attribute('href')}")
    assert page.evaluate("window.__pwned") is None, url
    assert dialogs == [], url


def test_portal_pages_escape_payloads(hostile_portal):
    pages = ["/", "/glaneur/resources", "/glaneur/resources?_search=piégé", "/glaneur/resources/piege",
             "/recherche?q=pi%C3%A9g%C3%A9"]
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        try:
            for path in pages:
                page = browser.new_page()
                assert_nothing_runs(page, hostile_portal + path)
                page.close()
            page = browser.new_page()
            page.goto(hostile_portal + "/glaneur/resources/piege")
            assert "Appel piégé" in page.content() and "&lt;script&gt;" in page.content()
        finally:
            browser.close()


def test_atom_output_escapes_payloads(hostile_portal):
    with urllib.request.urlopen(hostile_portal + "/glaneur/resources.atom?_search=pi%C3%A9g%C3%A9", timeout=20) as r:
        body = r.read().decode("utf-8")
    root = ET.fromstring(body)  # well-formed XML, the payload is text, not markup
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text or "" for t in root.findall(".//a:entry/a:title", ns)]
    assert any("<script>" in t for t in titles)  # kept as inert text…
    assert not root.findall(".//{http://www.w3.org/1999/xhtml}script")  # …never as an element
    assert "javascript:" not in "".join(link.get("href", "") for link in root.iter("{http://www.w3.org/2005/Atom}link"))


def test_digest_escapes_payloads(hostile_db, tmp_path):
    out = tmp_path / "lettre.html"
    glaneur("digest", "--db", str(hostile_db), "--as-of", "2026-11-20", "--format", "html", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Appel piégé" in html and "<script" not in html.lower()
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        try:
            assert_nothing_runs(browser.new_page(), out.as_uri())
        finally:
            browser.close()
