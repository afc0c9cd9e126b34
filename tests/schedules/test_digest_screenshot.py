"""The HTML digest rendered by headless Debian Chromium: a PNG for a human to look at, and
measurements that show the layout holds (600 px column, no script, inline styles only)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from schedules.digest import build_digest, render
from tests.browser import launch
from tests.support import ROOT

ARTIFACTS = ROOT / "test-artifacts"

@pytest.mark.parametrize("width,name", [(1024, "lettre-bureau.png"), (380, "lettre-mobile.png")])
def test_digest_screenshot(week_db, tmp_path, width, name):
    from playwright.sync_api import sync_playwright

    path, _ = week_db
    digest = build_digest(sqlite3.connect(path), date(2026, 11, 20), timedelta(days=7))
    digest.unsubscribe_url, digest.recipient = "http://portail.test/desabonnement?jeton=x", "alice@exemple.fr"
    html_file = tmp_path / "lettre.html"
    html_file.write_text(render(digest, "html"), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(html_file.as_uri())
            page.screenshot(path=str(ARTIFACTS / name), full_page=True)
            column = page.evaluate("document.querySelectorAll('table')[1].getBoundingClientRect().width")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            facts = page.evaluate("""() => ({
                scripts: document.querySelectorAll('script').length,
                styles: document.querySelectorAll('style, link[rel=stylesheet]').length,
                links: Array.from(document.querySelectorAll('a')).map(a => a.href),
                h2: Array.from(document.querySelectorAll('h2')).map(h => h.textContent),
            })""")
        finally:
            browser.close()
    assert column == (600 if width > 650 else width - 16)
    assert overflow <= 0, "la lettre déborde horizontalement"
    assert facts["scripts"] == 0 and facts["styles"] == 0
    assert "http://portail.test/glaneur/resources/form-occ" in facts["links"]
    assert facts["h2"][:2] == ["Appels à projets : date limite dans moins de 30 jours",
                               "Événements et formations des 60 prochains jours"]
    assert (ARTIFACTS / name).stat().st_size > 10_000
