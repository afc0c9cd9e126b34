"""A resource that disappears from its source is retired after N successful crawls, never deleted;
a training that vanished before its date is flagged."""

from __future__ import annotations

import shutil

import sqlite_utils
import yaml

from tests.support import ROOT, glaneur

PRECALIM = ("https://www.solidarites-actives.com/fr/nos-projets/"
            "precalim-une-formation-pour-lutter-contre-la-precarite-alimentaire-dans-le-morbihan")


def test_vanished_item_is_retired_not_deleted(tmp_path):
    mirror = tmp_path / "mirror"
    shutil.copytree(ROOT / "data" / "mirror" / "www.solidarites-actives.com", mirror / "www.solidarites-actives.com")
    entries = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    ansa = next(e for e in entries if e["id"] == "ansa")
    ansa["retire_after"] = 2
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [ansa]}, allow_unicode=True), encoding="utf-8")
    db_path = tmp_path / "glaneur.db"
    args = ("crawl", "--offline", "--db", str(db_path), "--registry", str(registry), "--mirror", str(mirror))

    glaneur(*args)
    # The site drops Précalim from its listing (its page still exists, unlinked).
    page = mirror / "www.solidarites-actives.com" / "term-5-page-1.html"
    html = page.read_text(encoding="utf-8")
    start = html.index('<div class="views-row">')
    end = html.index("</div>", html.index("</article>", start)) + len("</div>")
    page.write_text(html[:start] + html[end:], encoding="utf-8")

    def status() -> dict:
        db = sqlite_utils.Database(db_path)
        return next(db.query("select statut, retire_depuis, disparu_avant_echeance, event_start from resources "
                             "where url = ?", [PRECALIM]))

    glaneur(*args)
    assert status()["statut"] == "actif"  # one crawl without it: not yet
    glaneur(*args)
    retired = status()
    assert retired["statut"] == "retire"
    assert retired["retire_depuis"] is not None
    assert retired["event_start"] > retired["retire_depuis"]
    assert retired["disparu_avant_echeance"] == 1
    db = sqlite_utils.Database(db_path)
    assert db.execute("select count(*) from resources where statut = 'actif'").fetchone()[0] >= 2


def test_feed_items_are_never_retired_by_default():
    from glaneur.registry import load_registry

    kinds = {s.kind: s.retire_after for s in load_registry()}
    assert kinds["feed"] is None
    assert kinds["listing"] == 3
