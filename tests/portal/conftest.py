"""Portal fixtures: a real built database with a few known resources, and a real Datasette server.

The offline mirror is crawled and built by the real CLI; then a handful of resources with
known themes, territories and dates are added and the portal tables re-derived, so the
assertions do not depend on what the normalizers currently detect.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

from glaneur.portal import datasette_args, prepare_portal, save_accounts
from glaneur.search_index import refresh_search_index
from tests.conftest import free_port, wait_http
from tests.support import DEMO_TODAY, ROOT

LOGIN, PASSWORD = "ccas-demo", "un mot de passe solide"

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


BUILD_SCRIPT = """
import sys
from datetime import date
from glaneur.build import build
from glaneur.crawl import run_crawl
from glaneur.db import open_db
from glaneur.paths import MIRROR_DIR, REGISTRY_FILE
from glaneur.registry import load_registry
sources = [s for s in load_registry(REGISTRY_FILE) if s.enabled]
run_crawl(sources, sys.argv[1], offline=True, mirror_dir=MIRROR_DIR)
build(open_db(sys.argv[1]), today=date.fromisoformat(sys.argv[2]))
"""


def build_offline(path: Path) -> None:
    """The real offline crawl and build, in a subprocess (Twisted's reactor runs once per process).

    Called through the library rather than the CLI so that these tests do not depend on the
    other command modules the CLI loads.
    """
    subprocess.run([sys.executable, "-c", BUILD_SCRIPT, str(path), DEMO_TODAY], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)


@pytest.fixture(scope="session")
def portal_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("portail") / "glaneur.db"
    build_offline(path)
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
    save_accounts({LOGIN: hash_password(PASSWORD)}, path)
    return path


@pytest.fixture(scope="session")
def server(portal_db, accounts_file) -> Iterator[str]:
    """`python -m datasette` with exactly the arguments `glaneur serve` uses."""
    port = free_port()
    env = {**os.environ, "GLANEUR_ACCOUNTS": str(accounts_file)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", *datasette_args(portal_db, port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/-/versions.json")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
