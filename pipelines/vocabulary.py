"""Map each source's own vocabulary (WordPress categories, Aides-territoires categories, HAL
keywords, OpenAgenda keywords…) to taxonomy slugs, from small CSV files: data, not code.

`data/mappings/<source_id>.csv` has the columns `category,themes,type`: `themes` holds zero or
more theme slugs separated by `|`, `type` one type slug or nothing. Categories are compared
without case or accents. A mapped type becomes `type_hint` unless the source already gave one.
"""

from __future__ import annotations

import csv
import hashlib
import os
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from glaneur.items import Document
from glaneur.paths import DATA_DIR, TAXONOMY_FILE

MAPPINGS_DIR = Path(os.environ.get("GLANEUR_MAPPINGS", DATA_DIR / "mappings"))
COLUMNS = ("category", "themes", "type")


class MappingError(ValueError):
    """A mapping file is malformed or names a slug absent from the taxonomy."""


@dataclass
class Mapping:
    themes: dict[str, list[str]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().split())


@lru_cache(maxsize=1)
def taxonomy_slugs() -> tuple[frozenset[str], frozenset[str]]:
    data = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))
    return frozenset(data["types"]), frozenset(data["themes"])


def mapping_path(source_id: str, mappings_dir: str | Path | None = None) -> Path:
    return Path(mappings_dir or MAPPINGS_DIR) / f"{source_id}.csv"


def load_mapping(path: Path) -> Mapping:
    """Read and check one CSV; errors name the file and line, in French."""
    types, themes = taxonomy_slugs()
    mapping = Mapping()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise MappingError(
                f"{path} : colonne(s) manquante(s) {', '.join(missing)} (attendu : {','.join(COLUMNS)})."
            )
        for line, row in enumerate(reader, 2):
            key = fold(row["category"] or "")
            if not key:
                continue
            slugs = [s.strip() for s in (row["themes"] or "").split("|") if s.strip()]
            unknown = [s for s in slugs if s not in themes]
            if unknown:
                raise MappingError(f"{path}, ligne {line} : thème(s) inconnu(s) {', '.join(unknown)}.")
            type_slug = (row["type"] or "").strip()
            if type_slug and type_slug not in types:
                raise MappingError(f"{path}, ligne {line} : type inconnu « {type_slug} ».")
            mapping.themes[key] = slugs
            if type_slug:
                mapping.types[key] = type_slug
    return mapping


@lru_cache(maxsize=256)
def mapping_for(source_id: str, mappings_dir: str | None = None) -> Mapping | None:
    path = mapping_path(source_id, Path(mappings_dir) if mappings_dir else None)
    return load_mapping(path) if path.exists() else None


def mapping_signature(source_id: str, mappings_dir: str | Path | None = None) -> str:
    """Changes when the source's mapping file changes, so unchanged pages get re-mapped."""
    path = mapping_path(source_id, mappings_dir)
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else ""


def apply_mapping(doc: Document, mapping: Mapping | None) -> Document:
    """Set doc.fields['themes'] and, when mapped, doc.fields['type_hint'] (explicit hints win)."""
    if mapping is None:
        return doc
    categories = [fold(str(c)) for c in doc.fields.get("categories") or []]
    themes = list(doc.fields.get("themes") or [])
    for key in categories:
        for slug in mapping.themes.get(key, []):
            if slug not in themes:
                themes.append(slug)
    if themes:
        doc.fields["themes"] = themes
    # A connector's structural guess (an agenda entry is an event) yields to the source's own words.
    if not doc.fields.get("type_hint") or doc.fields.get("type_hint_weak"):
        mapped = next((mapping.types[k] for k in categories if k in mapping.types), None)
        if mapped:
            doc.fields["type_hint"] = mapped
    return doc
