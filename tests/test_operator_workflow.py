"""The operator's workflow: `sources new` scaffolds, `sources check` judges, every source passes."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from glaneur.registry import load_registry
from tests.support import ROOT, glaneur

LISTING = b"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Actualit\xc3\xa9s</title></head>
<body><main><article><h2><a href="/actu/guide-epicerie">Guide de l'\xc3\xa9picerie solidaire</a></h2></article>
<article><h2><a href="/actu/journee-regionale">Journ\xc3\xa9e r\xc3\xa9gionale</a></h2></article>
</main></body></html>"""
ARTICLE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{t}</title></head><body><main>
<article><h1>{t}</h1><p><time datetime="2026-11-18">18 novembre 2026</time></p>
<p>Un texte assez long pour un résumé : {t}, pour les associations d'aide alimentaire du territoire.</p>
</article></main></body></html>"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        pages = {"/actualites": LISTING,
                 "/actu/guide-epicerie": ARTICLE.format(t="Guide de l'épicerie solidaire").encode(),
                 "/actu/journee-regionale": ARTICLE.format(t="Journée régionale").encode()}
        body = pages.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _paths(tmp_path: Path) -> list[str]:
    registry = tmp_path / "sources.yaml"
    registry.write_text("# registre d'essai\nsources:\n", encoding="utf-8")
    return ["--registry", str(registry), "--mirror", str(tmp_path / "mirror")]


def test_new_offline_feed_then_check(tmp_path: Path):
    paths = _paths(tmp_path)
    out = glaneur("sources", "new", "mon-reseau", "--kind", "feed", "--url", "https://mon-reseau.example/feed/",
                  "--offline", *paths, "--tests-dir", str(tmp_path / "tests")).stdout
    assert "fixture PROVISOIRE (contenu synthétique) — mode hors ligne demandé" in out
    [source] = load_registry(tmp_path / "sources.yaml")
    assert (source.id, source.kind, source.entry_urls) == ("mon-reseau", "feed", ["https://mon-reseau.example/feed/"])
    assert "# registre d'essai" in (tmp_path / "sources.yaml").read_text(encoding="utf-8")  # comments kept
    index = yaml.safe_load((tmp_path / "mirror" / "mon-reseau.example" / "_index.yaml").read_text(encoding="utf-8"))
    assert index[0]["url"] == "https://mon-reseau.example/feed/"
    assert "contenu synthétique" in (tmp_path / "mirror" / "mon-reseau.example" / index[0]["file"]).read_text()
    test_file = tmp_path / "tests" / "test_mon_reseau.py"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file),
                          "-k", "expected_fields_written", "--rootdir", str(ROOT)],
                         cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 1  # fails until the operator writes EXPECTED
    assert "écrivez les champs attendus dans EXPECTED" in run.stdout
    check = glaneur("sources", "check", "mon-reseau", *paths)
    assert "== mon-reseau : 1 élément(s) — OK" in check.stdout
    again = glaneur("sources", "new", "mon-reseau", "--kind", "feed", "--url", "https://x.example/", "--offline",
                    *paths, check=False)
    assert again.returncode != 0 and "existe déjà" in again.stderr


def test_new_listing_recorded_from_a_live_site(site: str, tmp_path: Path):
    paths = _paths(tmp_path)
    out = glaneur("sources", "new", "site-local", "--kind", "listing", "--url", f"{site}/actualites", *paths,
                  "--tests-dir", str(tmp_path / "tests")).stdout
    assert "PROVISOIRE" not in out
    assert out.count("Fixture écrite") == 3  # the listing and the two pages it links to
    check = glaneur("sources", "check", "site-local", *paths).stdout
    assert "== site-local : 2 élément(s) — OK" in check
    assert "date de publication   100%  (2/2)" in check
    assert "Guide de l'épicerie solidaire" in check


def test_check_fails_when_a_source_yields_nothing(tmp_path: Path):
    paths = _paths(tmp_path)
    glaneur("sources", "new", "vide", "--kind", "listing", "--url", "https://vide.example/liste", "--offline", *paths,
            "--tests-dir", str(tmp_path / "tests"))
    registry = tmp_path / "sources.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("article h2 a::attr(href)", ".rien a::attr(href)"),
                        encoding="utf-8")
    result = glaneur("sources", "check", "vide", *paths, check=False)
    assert result.returncode == 1
    assert "== vide : 0 élément(s) — À CORRIGER" in result.stdout
    assert "PROBLÈME : aucun élément collecté" in result.stdout
    assert "Le sélecteur listing.item_links « .rien a::attr(href) » ne trouve rien" in result.stdout


def test_every_enabled_source_passes_check():
    result = glaneur("sources", "check", "--all", check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    enabled = [s.id for s in load_registry() if s.enabled]
    for source_id in enabled:
        assert f"== {source_id} : " in result.stdout
    assert result.stdout.count("— OK") == len(enabled) >= 25
