"""Portal fixtures: a real built database with a few known resources, and a real Datasette server.

The offline mirror is crawled and built by the real CLI; then a handful of resources with
known themes, territories and dates are added and the portal tables re-derived, so the
assertions do not depend on what the normalizers currently detect.
"""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

from glaneur.portal import prepare_portal, save_accounts
from glaneur.search_index import refresh_search_index
from tests.browser import launch
from tests.support import DEMO_TODAY, serve_portal

LOGIN, PASSWORD = "ccas-demo", "un mot de passe solide"
THROTTLED_LOGIN = "ccas-essais"  # only the throttling test fails logins with it
EDITOR_LOGIN = "equipe-edition"  # an account with the « éditeur » role (glaneur/roles.py)

KNOWN = [
    {"id": "test-aap-ouvert", "type": "appel_a_projets", "deadline": "2026-12-05", "published": "2026-11-18",
     "title": "Appel à projets : coopératives alimentaires et logistique du Gard",
     "summary": "Soutien aux épiceries sociales et aux plateformes : le cœur de la coopération locale.",
     "themes": ["approvisionnement", "logistique"], "regions": ["76"], "departements": ["30"],
     "organisations": ["DDETS du Gard"], "scope": "local", "audiences": ["associations"]},
    {"id": "test-aap-clos", "type": "appel_a_projets", "deadline": "2026-10-01", "published": "2026-07-01",
     "title": "Fonds test pour la ramasse des invendus", "summary": "Appel clos.",
     "themes": ["approvisionnement"], "regions": ["76"], "departements": [], "organisations": ["Région Occitanie"],
     "scope": "regional", "audiences": []},
    {"id": "test-formation", "type": "formation", "event_start": "2026-11-23", "event_end": "2026-11-24",
     "location": "Narbonne", "published": "2026-11-01",
     "title": "Formation des bénévoles à la ramasse des invendus",
     "summary": "Deux jours à Narbonne pour organiser la collecte en magasin.",
     "themes": ["approvisionnement", "benevolat"], "regions": ["76"], "departements": ["11"],
     "organisations": ["Banque alimentaire de l'Aude"], "scope": "local", "audiences": ["benevoles"]},
    {"id": "test-ssa", "type": "etude", "published": "2025-06-01",
     "title": "Expérimenter une caisse alimentaire commune",
     "summary": "Retour sur trois expérimentations de sécurité sociale de l'alimentation.",
     "themes": ["acces_droits"], "regions": [], "departements": [], "organisations": ["Chercheurs associés"],
     "scope": "national", "audiences": ["chercheurs"]},
]


def add_known_resources(db: sqlite_utils.Database) -> None:
    source_ids = [r["id"] for r in db["sources"].rows][:2]
    for row in KNOWN:
        full = {"url": f"https://exemple.org/{row['id']}", "text": row["summary"], "source_count": 2,
                "year": int(row["published"][:4]), "updated": "2026-11-20T00:00:00+00:00",
                "deadline": None, "event_start": None, "event_end": None, "location": None, **row}
        for col in ("themes", "audiences", "regions", "departements", "organisations"):
            full[col] = json.dumps(full[col], ensure_ascii=False)
        db["resources"].insert(full, alter=True, replace=True)
    for i, sid in enumerate(source_ids):
        db["resource_sources"].insert({
            "resource_id": "test-aap-ouvert", "source_id": sid, "url": f"https://exemple.org/relais-{i}",
            "document_id": f"test-doc-{i}", "title": "Appel à projets (relais)",
            "role": "principale" if i == 0 else "relais", "match_stage": "test", "score": 1.0,
        }, replace=True, alter=True)


@pytest.fixture(scope="session")
def portal_db(offline_db, tmp_path_factory) -> Path:
    """The real offline crawl (shared with the other tests), plus a few known resources."""
    path = tmp_path_factory.mktemp("portail") / "glaneur.db"
    shutil.copy(offline_db, path)
    db = sqlite_utils.Database(path)
    add_known_resources(db)
    refresh_search_index(db)
    prepare_portal(db, today=date.fromisoformat(DEMO_TODAY))
    db.close()
    return path


@pytest.fixture(scope="session")
def accounts_file(tmp_path_factory) -> Path:
    from datasette_auth_passwords.utils import hash_password

    path = tmp_path_factory.mktemp("comptes") / "comptes.json"
    save_accounts({LOGIN: hash_password(PASSWORD), THROTTLED_LOGIN: hash_password(PASSWORD),
                   EDITOR_LOGIN: {"hash": hash_password(PASSWORD), "roles": ["editeur"]}}, path)
    return path


@pytest.fixture(scope="session")
def server(portal_db, accounts_file) -> Iterator[str]:
    """The portal as `glaneur serve` runs it, with the test accounts."""
    with serve_portal(portal_db, env={"GLANEUR_ACCOUNTS": str(accounts_file)}) as base:
        yield base


# Map tiles come from the Internet, which tests never reach: answer them with a blank tile.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one per test module."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, server):
    """Pages that collect console errors, with anything outside the portal answered locally."""
    contexts = []

    def make(width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
        context.route(lambda url: not url.startswith(server),
                      lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
        page = context.new_page()
        page.errors = []
        page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()
