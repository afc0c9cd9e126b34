"""The portal side, in-process through Datasette's ASGI client: « État des sources », the Atom
feed of published digests, and the unsubscribe link."""

from __future__ import annotations

import asyncio
import sqlite3
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from datasette.app import Datasette

from glaneur.paths import DATASETTE_DIR
from schedules.sending import publish_public
from schedules.store import open_subscribers_db, subscribers_db_path
from schedules.subscribers import add_subscriber, make_token, validate_filters

ATOM = "{http://www.w3.org/2005/Atom}"


def _get(path, method="GET", **kwargs):
    async def go(db_path):
        ds = Datasette(files=[str(db_path)], template_dir=str(DATASETTE_DIR / "templates"),
                       plugins_dir=str(DATASETTE_DIR / "plugins"))
        await ds.invoke_startup()
        return await getattr(ds.client, method.lower())(path, **kwargs)
    return go


def request(db_path, path, method="GET", **kwargs):
    return asyncio.run(_get(path, method, **kwargs)(db_path))


@pytest.fixture
def portal_db(week_db):
    path, b = week_db
    now = datetime.now(UTC)
    b.source("src")
    for back, items in zip(range(6, 0, -1), (8, 9, 10, 9, 8, 3), strict=True):
        b.run("src", (now - timedelta(days=back)).isoformat(), items=items)
    b.source("cassee")
    for back in (3, 2, 1):
        b.run("cassee", (now - timedelta(days=back)).isoformat(), items=0, errors=["HTTP 500 sur /flux"])
    return path


def test_health_page_lists_flags_trends_and_rhythm(portal_db):
    response = request(portal_db, "/etat-des-sources")
    assert response.status_code == 200
    page = response.text
    assert "<h1>État des sources</h1>" in page
    assert "2 sources à vérifier" in page
    assert "3 échecs consécutifs" in page and "HTTP 500 sur /flux" in page
    assert "baisse de plus de moitié : 3 élément(s)" in page
    assert "8 · 9 · 10 · 9 · 8 · 3" in page and "<polyline points=" in page
    assert 'href="/lettre.atom"' in page


def test_atom_feed_publishes_public_digests_escaped(portal_db):
    subscribers = open_subscribers_db(subscribers_db_path(portal_db))
    conn = sqlite3.connect(portal_db)
    publish_public(conn, subscribers, date(2026, 11, 20), timedelta(days=7), datetime(2026, 11, 23, 6, tzinfo=UTC))
    publish_public(conn, subscribers, date(2030, 1, 7), timedelta(days=7), datetime(2030, 1, 7, 6, tzinfo=UTC))
    add_subscriber(subscribers, "privee@exemple.fr", validate_filters())
    subscribers["digests"].insert({"sent_at": "2030-01-08T06:00:00+00:00", "subscriber": "privee@exemple.fr",
                                   "period": "x", "subject": "Privée", "html": "<p>privé</p>", "text": "privé",
                                   "resource_ids": "[]"})
    response = request(portal_db, "/lettre.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # well-formed XML despite « & » and « < » in titles
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Glaneur — rien de nouveau du 31 décembre 2029 au 7 janvier 2030",
        "Glaneur — 3 nouveautés, 1 appel à projets, 1 rendez-vous (du 13 au 20 novembre 2026)",
    ]
    content = entries[1].find(f"{ATOM}content").text
    assert "Baromètre &amp; enquête &lt;2026&gt;" in content  # the HTML, itself escaped once more in XML
    assert "privé" not in response.text and "privee@exemple.fr" not in response.text
    archived = request(portal_db, entries[1].find(f"{ATOM}link").get("href").replace("http://localhost", ""))
    assert archived.status_code == 200 and "Formation des bénévoles à Montpellier" in archived.text


def test_unsubscribe_link_asks_then_removes(portal_db):
    subscribers = open_subscribers_db(subscribers_db_path(portal_db))
    add_subscriber(subscribers, "alice@exemple.fr", validate_filters(regions="76"))
    token = make_token(subscribers, "alice@exemple.fr")
    confirm = request(portal_db, f"/desabonnement?jeton={token}")
    assert confirm.status_code == 200 and "Ne plus recevoir la lettre" in confirm.text
    assert subscribers["abonnes"].count == 1  # a GET (link scanner, preview) changes nothing
    done = request(portal_db, f"/desabonnement?jeton={token}", method="POST",
                   data={"List-Unsubscribe": "One-Click"})  # RFC 8058 one-click, no cookies
    assert done.status_code == 200 and "ne recevra plus la lettre" in done.text
    assert subscribers["abonnes"].count == 0
    again = request(portal_db, f"/desabonnement?jeton={token}")
    assert "pas (ou plus) abonnée" in again.text
    forged = request(portal_db, "/desabonnement?jeton=faux")
    assert forged.status_code == 400 and "Lien de désabonnement invalide" in forged.text
