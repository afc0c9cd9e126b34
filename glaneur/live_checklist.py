"""What remains to verify live, per source: the end of `glaneur sources check` (docs/ajouter-une-source.md).

A registry written offline rests on hypotheses: entry URLs guessed from a candidate list,
WordPress category ids read in a page's markup, agenda ids left as placeholders, API keys that
only the production machine has. Offline, the list names them; with `--live`, what the crawl
showed settles some (an entry URL that gave items was right) and the WordPress category ids are
asked to the site's own API (one polite request per site: robots.txt, the project's User-Agent).
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import urlsplit

from glaneur.registry import Source

# Words of the registry's notes that mark a hypothesis still to check on the real site.
HYPOTHESIS = re.compile(r"verify live|check live|to verify|à vérifier|placeholder|provisoire", re.I)
FAILED_URL = re.compile(r"^(HTTP \d+ sur |Échec de téléchargement de )(\S+)")


def noted_hypotheses(source: Source) -> list[str]:
    """Sentences of the notes (and of entry URLs' comments kept in notes) that say « to verify »."""
    sentences = re.split(r"(?<=[.;])\s+", " ".join(source.notes.split()))
    return [s[:200] for s in sentences if HYPOTHESIS.search(s)]


def wordpress_categories(source: Source, max_requests: int = 3) -> tuple[dict[int, str], str]:
    """Names of the source's WordPress category ids, asked to the site's REST API, and an error."""
    from glaneur.probe import Prober

    ids = [int(c) for c in source.wordpress.get("categories") or []]
    site = source.entry_urls[0]
    parts = urlsplit(site)
    prober = Prober(f"{parts.scheme}://{parts.netloc}/", max_requests=max_requests)
    url = (f"{parts.scheme}://{parts.netloc}/wp-json/wp/v2/categories?include={','.join(map(str, ids))}"
           f"&per_page=100&_fields=id,name,count")
    response = prober.get(url)
    if response is None or not response.ok:
        why = prober.refused[-1] if prober.refused else f"HTTP {response.status}" if response else "sans réponse"
        return {}, why
    try:
        rows = json.loads(response.text)
    except ValueError:
        return {}, "réponse illisible"
    return {int(r["id"]): str(r.get("name", "")) for r in rows if isinstance(r, dict) and "id" in r}, ""


def entry_requests(source: Source) -> set[str]:
    """The URLs the spider asks first: the entry URLs, or what its connector makes of them."""
    urls = set(source.entry_urls)
    if source.kind == "wordpress":
        from spiders.wordpress import rest_endpoints

        urls |= {u for entry in source.entry_urls for u in rest_endpoints(entry, source.wordpress)}
    return urls


def remaining(source: Source, items: int, errors: list[str], live: bool) -> list[str]:
    """French lines: what this source still needs checked on the real site (empty: nothing)."""
    lines: list[str] = []
    env = source.api_key_env
    if env and not os.environ.get(env):
        lines.append(f"clé d'API absente : définissez {env} sur la machine de production")
    lines.extend(f"le registre note une hypothèse : « {s} »" for s in noted_hypotheses(source))
    categories = source.wordpress.get("categories") or []
    if categories and not live:
        lines.append("catégorie(s) WordPress " + ", ".join(map(str, categories))
                     + " : ids à confirmer en ligne (glaneur sources check --live)")
    if not live:
        return lines
    failed = sorted({m.group(2) for e in errors if (m := FAILED_URL.match(e))} & entry_requests(source))
    if failed:
        lines.append("URL d'entrée en échec (devinée ?) : " + ", ".join(failed))
    elif not items and not (env and not os.environ.get(env)):
        lines.append("aucun élément en ligne : URL d'entrée à vérifier (" + ", ".join(source.entry_urls) + ")")
    if categories:
        names, why = wordpress_categories(source)
        if why:
            lines.append(f"catégorie(s) WordPress {', '.join(map(str, categories))} non vérifiées ({why})")
        else:
            missing = [c for c in categories if int(c) not in names]
            if missing:
                lines.append(f"catégorie(s) WordPress inexistante(s) sur le site : {', '.join(map(str, missing))}")
            found = [f"{c} « {names[int(c)]} »" for c in categories if int(c) in names]
            if found:
                lines.append(f"catégorie(s) WordPress confirmées : {', '.join(found)} (à relire : le bon thème ?)")
    return lines


def format_checklist(rows: list[tuple[Source, list[str]]], live: bool) -> str:
    mode = "en ligne" if live else "hors ligne : ce que le miroir ne peut pas dire"
    lines = [f"Reste à vérifier en ligne, par source ({mode}) :"]
    for source, todo in rows:
        if todo:
            lines.append(f"  {source.id} :")
            lines.extend(f"    - {line}" for line in todo)
        else:
            lines.append(f"  {source.id} : rien")
    return "\n".join(lines)
