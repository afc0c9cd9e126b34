"""A small, fully controlled main database: sources, runs, documents and resources with known dates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from glaneur.db import open_db

PORTAL = "http://portail.test"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path) -> None:
    """No developer environment leaks in: portal URL, secret and private DB paths are the test's."""
    for name in ("GLANEUR_SECRET", "GLANEUR_ABONNES_DB", "GLANEUR_PLANIFICATEUR_DB", "GLANEUR_TODAY",
                 "GLANEUR_SANTE_ECHECS", "GLANEUR_SMTP_USER", "GLANEUR_SMTP_PASSWORD", "GLANEUR_SMTP_STARTTLS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GLANEUR_PORTAL_URL", PORTAL)


class Builder:
    """Adds rows the way crawls and builds would, with the dates a test needs."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def source(self, source_id: str, cadence: str = "daily", enabled: bool = True) -> None:
        self.db["sources"].upsert({"id": source_id, "name": f"Source {source_id}", "cadence": cadence,
                                   "enabled": int(enabled)}, pk="id")

    def run(self, source_id: str, started: str, items: int, status: str | None = None, new: int = 0,
            errors: list[str] | None = None) -> None:
        status = status or ("echec" if items == 0 else "ok")
        self.db["crawl_runs"].insert({
            "source_id": source_id, "started": started, "ended": started, "status": status, "mode": "test",
            "pages": items, "items": items, "items_new": new, "items_updated": 0, "items_unchanged": 0,
            "errors_count": len(errors or []), "errors": json.dumps(errors or []),
        })

    def document(self, doc_id: str, source_id: str, first_seen: str, published: str | None = None,
                 summary: str = "Résumé.", last_seen: str | None = None) -> None:
        self.db["documents"].insert({
            "id": doc_id, "source_id": source_id, "url": f"https://{source_id}.test/{doc_id}", "kind": "entry",
            "title": doc_id, "summary": summary, "published": published, "first_seen": first_seen,
            "last_seen": last_seen or first_seen,
        })

    def resource(self, res_id: str, title: str, type_: str, first_seen: str, source_id: str = "src",
                 regions: list[str] | None = None, themes: list[str] | None = None, **fields) -> None:
        self.source(source_id)
        doc_id = f"doc-{res_id}"
        self.document(doc_id, source_id, first_seen, fields.get("published"))
        self.db["resources"].insert({
            "id": res_id, "title": title, "type": type_, "url": f"https://{source_id}.test/{res_id}",
            "summary": f"Résumé de {title}.", "themes": json.dumps(themes or []),
            "regions": json.dumps(regions or []), "departements": "[]", "audiences": "[]",
            "organisations": json.dumps(["Organisation test"]), "scope": "regional" if regions else "national",
            **fields,
        })
        self.db["resource_sources"].insert({"resource_id": res_id, "source_id": source_id, "url": "",
                                            "document_id": doc_id, "role": "principale"})


@pytest.fixture
def main_db(tmp_path) -> Iterator[tuple[Path, Builder]]:
    path = tmp_path / "glaneur.db"
    db = open_db(path)
    yield path, Builder(db)
    db.close()


@pytest.fixture
def week_db(main_db) -> tuple[Path, Builder]:
    """The week ending Friday 20 November 2026, seen from the digest's point of view.

    new (first seen 16–20 Nov): an Occitanie training, a national study, an Île-de-France call;
    old (first seen in October): a call closing in 10 days, an event in 45 days, one in 90 days,
    a call closing in 40 days, a past event.
    """
    path, b = main_db
    b.resource("etude-nat", "Baromètre & enquête <2026>", "etude", "2026-11-18T09:00:00+00:00",
               published="2026-11-17", themes=["connaissance"])
    b.resource("form-occ", "Formation des bénévoles à Montpellier", "formation", "2026-11-16T08:00:00+00:00",
               regions=["76"], themes=["benevolat"], published="2026-11-15")
    b.resource("aap-idf", "Appel à projets francilien", "appel_a_projets", "2026-11-19T10:00:00+00:00",
               regions=["11"], deadline="2027-03-01", published="2026-11-19")
    b.resource("aap-soon", "Appel à projets national qui se termine", "appel_a_projets",
               "2026-10-01T10:00:00+00:00", deadline="2026-11-30", published="2026-09-30")
    b.resource("aap-late", "Appel à projets lointain", "appel_a_projets", "2026-10-01T10:00:00+00:00",
               deadline="2026-12-30", published="2026-09-30")
    b.resource("evt-soon", "Rencontre régionale en Occitanie", "evenement", "2026-10-02T10:00:00+00:00",
               regions=["76"], event_start="2027-01-04", event_end="2027-01-05", location="Toulouse")
    b.resource("evt-far", "Colloque lointain", "evenement", "2026-10-02T10:00:00+00:00",
               event_start="2027-02-18")
    b.resource("evt-past", "Journée passée", "evenement", "2026-10-02T10:00:00+00:00",
               event_start="2026-11-10")
    b.resource("old-actu", "Vieille actualité", "actualite", "2026-10-05T10:00:00+00:00")
    return path, b
