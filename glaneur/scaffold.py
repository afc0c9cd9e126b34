"""Scaffolding of a new source: registry entry, recorded fixture, and a test that fails on purpose.

Online, the entry URL (and for listings and sitemaps a few linked pages) is fetched once and
recorded in the offline mirror; offline, a placeholder fixture marked « contenu synthétique »
is written instead, so every later step (crawl, check, tests) works the same way.
"""

from __future__ import annotations

import re
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml
from parsel import Selector

from glaneur.registry import RegistryError, load_registry
from glaneur.settings import USER_AGENT

KINDS = ("feed", "sitemap", "listing", "wordpress")


def _wordpress_entry(url: str) -> str:
    from spiders.wordpress import rest_endpoints  # Scrapy: imported only when scaffolding

    return rest_endpoints(url, {})[0]
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,60}$")
LISTING_DEFAULTS = {
    "item_links": "article h2 a::attr(href)",
    "next_page": "a[rel=next]::attr(href)",
    "date": "time::attr(datetime)",
}
MAX_LINKED = 5
CONTENT_TYPES = {
    "feed": ("application/rss+xml; charset=utf-8", "xml"),
    "sitemap": ("application/xml; charset=utf-8", "xml"),
    "listing": ("text/html; charset=utf-8", "html"),
    "wordpress": ("application/json; charset=utf-8", "json"),
}


class ScaffoldError(ValueError):
    """The source cannot be created as asked (French message for the operator)."""


@dataclass
class Scaffold:
    fixtures: list[Path] = field(default_factory=list)
    test_file: Path = Path()
    placeholder: bool = False
    reason: str = ""


def registry_entry(source_id: str, kind: str, url: str, name: str | None, organisation: str | None) -> dict:
    parts = urlsplit(url)
    entry = {
        "id": source_id,
        "name": name or f"{source_id} (nom à compléter)",
        "organisation": organisation or "À compléter",
        "homepage": f"{parts.scheme}://{parts.netloc}/",
        "kind": kind,
        "entry_urls": [url],
        "cadence": "weekly",
        "licence": "Tous droits réservés (citation avec lien)",
        "mention": f"Source : {parts.netloc}",
        "default_type": "actualite",
    }
    if kind == "listing":
        entry["listing"] = dict(LISTING_DEFAULTS)
    entry["notes"] = f"Créée par « glaneur sources new » le {date.today().isoformat()} ; à relire."
    return entry


def append_entry(registry: Path, entry: dict) -> None:
    """Append the entry as YAML text (the file's comments stay), then re-validate the registry."""
    original = registry.read_text(encoding="utf-8") if registry.exists() else "sources:\n"
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)
    indented = "".join(f"  {line}" if line.strip() else line for line in block.splitlines(keepends=True))
    registry.parent.mkdir(parents=True, exist_ok=True)
    registry.write_text(original.rstrip("\n") + "\n\n" + indented, encoding="utf-8")
    try:
        load_registry(registry)
    except RegistryError as exc:
        registry.write_text(original, encoding="utf-8")
        raise ScaffoldError(f"Entrée refusée par le registre, fichier inchangé : {exc}") from exc


def fixture_name(url: str, ext: str) -> str:
    parts = urlsplit(url)
    slug = re.sub(r"[^a-z0-9]+", "-", (parts.path + "-" + parts.query).lower()).strip("-") or "index"
    return f"{slug[:80]}.{ext}"


def record(mirror: Path, url: str, body: bytes, content_type: str, note: str) -> Path:
    """Write one response into the mirror and its host's _index.yaml (replacing the same URL)."""
    host_dir = mirror / urlsplit(url).netloc
    host_dir.mkdir(parents=True, exist_ok=True)
    ext = "json" if "json" in content_type else "xml" if "xml" in content_type else "html"
    path = host_dir / fixture_name(url, ext)
    path.write_bytes(body)
    index = host_dir / "_index.yaml"
    header = f"# Recorded responses of {urlsplit(url).netloc}. {note}\n"
    entries = []
    if index.exists():
        text = index.read_text(encoding="utf-8")
        header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#")) or header
        entries = [e for e in (yaml.safe_load(text) or []) if e.get("url") != url]
    entries.append({"url": url, "file": path.name, "content_type": content_type})
    index.write_text(header + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=1000),
                     encoding="utf-8")
    return path


def fetch(url: str) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (http/https checked)
        return response.read(), response.headers.get("Content-Type", "")


def linked_urls(kind: str, url: str, body: bytes) -> list[str]:
    """Pages a listing or a sitemap leads to, to record with it (the first few)."""
    if kind == "listing":
        hrefs = Selector(text=body.decode("utf-8", errors="replace")).css(LISTING_DEFAULTS["item_links"]).getall()
    elif kind == "sitemap":
        hrefs = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", body.decode("utf-8", errors="replace"))
    else:
        return []
    return list(dict.fromkeys(urljoin(url, h.strip()) for h in hrefs))[:MAX_LINKED]


def placeholder(kind: str, url: str, source_id: str) -> list[tuple[str, bytes, str]]:
    """Synthetic responses with the real URLs' shape: one item, visibly marked as synthetic."""
    parts = urlsplit(url)
    site = f"{parts.scheme}://{parts.netloc}"
    item_url = f"{site}/exemple-contenu-synthetique-{source_id}/"
    line = "Fixture provisoire (contenu synthétique) écrite par glaneur sources new, à remplacer."
    page = (f"<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\n<!-- SYNTHETIC placeholder -->\n"
            f"<title>Exemple provisoire de {source_id}</title></head><body><main><article>"
            f"<h1>Exemple provisoire de {source_id}</h1><p><time datetime=\"2026-11-20\">20 novembre 2026</time></p>"
            f"<p>{line}</p></article></main></body></html>\n").encode()
    if kind == "feed":
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- SYNTHETIC placeholder -->\n<rss version=\"2.0\">"
                f"<channel><title>{source_id}</title><link>{site}/</link><description>{line}</description>"
                f"<item><title>Exemple provisoire de {source_id}</title><link>{item_url}</link>"
                f"<pubDate>Fri, 20 Nov 2026 09:00:00 +0100</pubDate><description>{line}</description></item>"
                f"</channel></rss>\n").encode()
        return [(url, body, CONTENT_TYPES["feed"][0])]
    if kind == "sitemap":
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- SYNTHETIC placeholder -->\n"
                f"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{item_url}</loc>"
                f"<lastmod>2026-11-20</lastmod></url></urlset>\n").encode()
        return [(url, body, CONTENT_TYPES["sitemap"][0]), (item_url, page, CONTENT_TYPES["listing"][0])]
    if kind == "listing":
        body = (f"<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\n<!-- SYNTHETIC placeholder -->\n"
                f"<title>{source_id}</title></head><body><main><p>{line}</p><article><h2>"
                f"<a href=\"{item_url}\">Exemple provisoire de {source_id}</a></h2></article></main></body></html>\n"
                ).encode()
        return [(url, body, CONTENT_TYPES["listing"][0]), (item_url, page, CONTENT_TYPES["listing"][0])]
    import json

    post = {"id": 1, "date": "2026-11-20T09:00:00", "link": item_url, "type": "post",
            "title": {"rendered": f"Exemple provisoire de {source_id}"},
            "excerpt": {"rendered": f"<p>{line}</p>"}, "content": {"rendered": f"<p>{line}</p>"}}
    body = json.dumps([post], ensure_ascii=False).encode()
    return [(_wordpress_entry(url), body, CONTENT_TYPES["wordpress"][0])]


TEST_TEMPLATE = '''"""Connecteur « {source_id} » : champs extraits du miroir hors ligne.

Écrit par « glaneur sources new ». Ce test ÉCHOUE tant que EXPECTED est vide : recopiez-y un
élément réel de la fixture (data/mirror/{host}/), voir docs/ajouter-une-source.md.
"""

from tests.spiders.conftest import documents_of, resource_of

SOURCE_ID = "{source_id}"
EXPECTED = {{
    # "url": "https://…",              # URL d'un élément de la fixture
    # "title": "…",                    # son titre exact
    # "published": "AAAA-MM-JJ",       # sa date de publication
    # "type": "actualite",             # son type (slug de la taxonomie)
}}


def test_expected_fields_written():
    assert EXPECTED, "Source {source_id} : écrivez les champs attendus dans EXPECTED (docs/ajouter-une-source.md)."


def test_fields_extracted(offline_db):
    assert EXPECTED, "Source {source_id} : EXPECTED est vide."
    docs = documents_of(offline_db, SOURCE_ID)
    assert docs, "Source {source_id} : aucun document collecté depuis le miroir."
    doc = next((d for d in docs if d["url"] == EXPECTED["url"]), None)
    assert doc is not None, f"URL absente des documents collectés : {{EXPECTED['url']}}"
    assert doc["title"] == EXPECTED["title"]
    assert doc["published"] == EXPECTED["published"]
    assert resource_of(offline_db, EXPECTED["url"])["type"] == EXPECTED["type"]
'''


def write_test(tests_dir: Path, source_id: str, url: str) -> Path:
    tests_dir.mkdir(parents=True, exist_ok=True)
    path = tests_dir / f"test_{source_id.replace('-', '_')}.py"
    if path.exists():
        raise ScaffoldError(f"Le test existe déjà : {path}")
    path.write_text(TEST_TEMPLATE.format(source_id=source_id, host=urlsplit(url).netloc), encoding="utf-8")
    return path


def scaffold_source(source_id: str, kind: str, url: str, *, name: str | None = None,
                    organisation: str | None = None, offline: bool = False, registry: Path,
                    mirror: Path, tests_dir: Path) -> Scaffold:
    """Create the registry entry, the fixture(s) and the failing test of a new source."""
    if not ID_PATTERN.match(source_id):
        raise ScaffoldError(f"Identifiant invalide « {source_id} » : minuscules, chiffres et tirets seulement.")
    if kind not in KINDS:
        raise ScaffoldError(f"Type « {kind} » inconnu (attendu : {', '.join(KINDS)}).")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ScaffoldError(f"URL invalide : {url}")
    try:
        existing = load_registry(registry) if registry.exists() else []
    except RegistryError as exc:
        raise ScaffoldError(str(exc)) from exc
    if any(s.id == source_id for s in existing):
        raise ScaffoldError(f"La source « {source_id} » existe déjà dans {registry}.")
    result = Scaffold()
    result.test_file = tests_dir / f"test_{source_id.replace('-', '_')}.py"
    if result.test_file.exists():
        raise ScaffoldError(f"Le test existe déjà : {result.test_file}")
    append_entry(registry, registry_entry(source_id, kind, url, name, organisation))
    responses: list[tuple[str, bytes, str]] = []
    if not offline:
        try:
            entry_url = _wordpress_entry(url) if kind == "wordpress" else url
            body, ctype = fetch(entry_url)
            responses.append((entry_url, body, ctype or CONTENT_TYPES[kind][0]))
            for linked in linked_urls(kind, url, body):
                linked_body, linked_type = fetch(linked)
                responses.append((linked, linked_body, linked_type or "text/html; charset=utf-8"))
        except (OSError, ValueError) as exc:
            result.reason = f"téléchargement impossible ({exc})"
            responses = []
    else:
        result.reason = "mode hors ligne demandé"
    if not responses:
        result.placeholder = True
        responses = placeholder(kind, url, source_id)
        note = f"PLACEHOLDER written by glaneur sources new on {date.today().isoformat()}: SYNTHETIC, replace it."
    else:
        note = f"Recorded {date.today().isoformat()} by glaneur sources new (real responses)."
    result.fixtures = [record(mirror, u, b, t, note) for u, b, t in responses]
    write_test(tests_dir, source_id, url)
    return result


# --- Sources found by discovery (glaneur/discovery.py) ---------------------------------------------
REPLACED_HEADER = "# Configuration remplacée le {day} par « glaneur sources new --replace » :"


def discovered_entry(source_id: str, candidate, site_name: str, name: str | None, organisation: str | None,
                     evidence: list[str]) -> dict:
    """The registry entry of a discovered connector, its evidence kept in `notes`."""
    entry = registry_entry(source_id, candidate.kind, candidate.entry_url, name or site_name or None, organisation)
    entry["default_type"] = candidate.default_type
    for section, values in candidate.options.items():
        entry[section] = dict(values)
    entry.pop("notes")
    lines = "; ".join(candidate.evidence + evidence)
    entry["notes"] = (f"Créée par « glaneur sources new » (découverte : {candidate.label}) le "
                      f"{date.today().isoformat()} ; à relire. Indices : {lines}")
    return entry


# What an operator wrote in an entry and a connector switch does not change.
KEPT_ON_REPLACE = ("name", "organisation", "homepage", "cadence", "enabled", "licence", "mention", "default_type",
                   "territory", "follow_pdfs", "aggregator", "retire_after")


def keep_operator_fields(entry: dict, registry: Path, overridden: tuple[str, ...] = ()) -> dict:
    """The new entry with the old entry's own fields (name, licence, territory…) kept."""
    old = next((s for s in load_registry(registry) if s.id == entry["id"]), None) if registry.exists() else None
    if old is None:
        return entry
    for key in KEPT_ON_REPLACE:
        value = getattr(old, key)
        if key not in overridden and value not in (None, "", {}, []):
            entry[key] = value
    if old.retire_after == (None if old.kind == "feed" else 3):
        entry.pop("retire_after", None)  # the kind's default: let the new kind's apply
    return entry


def replace_entry(registry: Path, entry: dict) -> None:
    """Put `entry` in place of the entry with the same id; the old one stays above it, commented."""
    original = registry.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(rf"^  - id: ['\"]?{re.escape(entry['id'])}['\"]?\s*$",
                                                                 line)), None)
    if start is None:
        raise ScaffoldError(f"La source « {entry['id']} » n'est pas dans {registry} : rien à remplacer.")
    end = start + 1
    while end < len(lines) and not re.match(r"^  (- |# ---)", lines[end]) and not re.match(r"^\S", lines[end]):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)
    new = "".join(f"  {line}" if line.strip() else line for line in block.splitlines(keepends=True))
    old = "".join(f"  # {line[2:]}" if line.strip() else line for line in lines[start:end])
    header = "  " + REPLACED_HEADER.format(day=date.today().isoformat()) + "\n"
    registry.write_text("".join(lines[:start]) + header + old + new + "".join(lines[end:]), encoding="utf-8")
    try:
        load_registry(registry)
    except RegistryError as exc:
        registry.write_text(original, encoding="utf-8")
        raise ScaffoldError(f"Entrée refusée par le registre, fichier inchangé : {exc}") from exc


def scaffold_discovered(entry: dict, responses: list, *, registry: Path, mirror: Path, tests_dir: Path,
                        replace: bool = False) -> Scaffold:
    """Write a discovered source: registry entry (new, or in place of the old one), the responses
    discovery read as its fixture, and (for a new source) the failing test."""
    source_id = entry["id"]
    if not ID_PATTERN.match(source_id):
        raise ScaffoldError(f"Identifiant invalide « {source_id} » : minuscules, chiffres et tirets seulement.")
    try:
        existing = load_registry(registry) if registry.exists() else []
    except RegistryError as exc:
        raise ScaffoldError(str(exc)) from exc
    known = any(s.id == source_id for s in existing)
    if known and not replace:
        raise ScaffoldError(f"La source « {source_id} » existe déjà dans {registry} (--replace pour la remplacer).")
    result = Scaffold(test_file=tests_dir / f"test_{source_id.replace('-', '_')}.py")
    if not replace and result.test_file.exists():
        raise ScaffoldError(f"Le test existe déjà : {result.test_file}")
    if replace:
        replace_entry(registry, entry)
    else:
        append_entry(registry, entry)
    note = f"Recorded {date.today().isoformat()} by glaneur sources new (discovery; real responses)."
    result.fixtures = [record(mirror, r.url, r.body, r.headers.get("content-type") or "text/html; charset=utf-8", note)
                       for r in responses]
    if not result.test_file.exists():
        write_test(tests_dir, source_id, entry["entry_urls"][0])
    return result
