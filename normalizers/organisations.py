"""Partner organisations: one canonical name per organisation, whatever the page calls it.

The alias table is data (organisations.yaml) so that adding a partner needs no code change.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from normalizers.text import alternation, as_list, clean_typography, fold, squash

HERE = Path(__file__).parent
SCAN_LIMIT = 30000


def _alias_key(name: str) -> str:
    return re.sub(r"[\s'-]+", " ", fold(name)).strip()


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern | None, re.Pattern | None, dict[str, str], dict[str, str]]:
    """Two regexes (folded aliases, case-sensitive acronyms) and their canonical names."""
    data = yaml.safe_load((HERE / "organisations.yaml").read_text(encoding="utf-8"))["organisations"]
    by_alias: dict[str, str] = {}
    by_acronym: dict[str, str] = {}
    for canonical, spec in data.items():
        spec = spec or {}
        if " " in canonical.strip():  # one-word names (« Andès », « VRAC ») are matched as acronyms only
            by_alias[_alias_key(canonical)] = canonical
        else:
            by_acronym.setdefault(canonical, canonical)
        for alias in spec.get("aliases") or []:
            by_alias[_alias_key(alias)] = canonical
        for acronym in spec.get("acronyms") or []:
            by_acronym[str(acronym)] = canonical

    def compile_(words):
        if not words:
            return None
        pattern = alternation(words, escape=lambda w: re.escape(w).replace(r"\ ", r"\s+"))
        return re.compile(rf"(?<![\w.])(?:{pattern})(?![\w])")

    return compile_(by_alias), compile_(by_acronym), by_alias, by_acronym


_DECORATIONS = re.compile(r"\s*\([^)]*\)|\s+-\s+.*$|\s+(?:SCOP|SCIC|SAS|SA|SARL|asbl)$|^(?:Les|Le|La|L')\s*")


def canonical(name: str) -> str:
    """The canonical name of a known organisation, else the name tidied up.

    « ANDES (Groupe SOS) », « Les Restaurants du Cœur » or « Oxalis SCOP » are the names sources
    give themselves: parentheses, « - » suffixes, legal forms and articles are tried without.
    """
    name = squash(clean_typography(name))
    _aliases, _acronyms, by_alias, by_acronym = _table()
    for candidate in (name, _DECORATIONS.sub("", name).strip()):
        found = by_acronym.get(candidate) or by_alias.get(_alias_key(candidate))
        if found:
            return found
    return name


def find_organisations(text: str) -> list[str]:
    """Known organisations named in the text, in order of first mention."""
    text = clean_typography(text or "")[:SCAN_LIMIT]
    aliases, acronyms, by_alias, by_acronym = _table()
    found: list[tuple[int, str]] = []
    if aliases:
        folded = re.sub(r"[\s'-]+", " ", fold(text))
        found += [(m.start(), by_alias[re.sub(r"\s+", " ", m.group(0))]) for m in aliases.finditer(folded)]
    if acronyms:
        # Positions differ between folded and raw text; order within each list is what counts.
        found += [(m.start(), by_acronym[m.group(0)]) for m in acronyms.finditer(text)]
    return list(dict.fromkeys(name for _pos, name in sorted(found)))


def organisations(title: str, text: str, fields: dict[str, Any], source: dict[str, Any]) -> list[str]:
    """The source's organisation, those the source names, then those the text names.

    An aggregator (`aggregator` in the registry: Aides-territoires, HAL, OpenAgenda, data.gouv.fr)
    publishes nothing itself: its records credit those the record names (financers, producer,
    institutions, agenda), and only when it names none, the organisations its text names."""
    stated = [canonical(n) for n in as_list(fields.get("organisations"))]
    if source.get("aggregator"):
        names = stated or find_organisations(f"{title}\n{text}")
        return list(dict.fromkeys(n for n in names if n))
    names: list[str] = []
    if source.get("organisation"):
        names.append(canonical(str(source["organisation"])))
    names += stated
    names += find_organisations(f"{title}\n{text}")
    return list(dict.fromkeys(n for n in names if n))
