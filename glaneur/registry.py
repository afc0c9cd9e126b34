"""The source registry: one declarative YAML file describing every partner source.

Validation happens here, once, so spiders can trust the entries they receive and an operator
gets a French message naming the faulty entry instead of a traceback mid-crawl.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from glaneur.paths import REGISTRY_FILE

DEFAULT_RETIRE_AFTER = 3
KINDS = ("feed", "sitemap", "listing", "wordpress", "api")
LISTING_KEYS = (
    "item_links", "next_page", "max_pages", "title", "date", "summary", "deadline", "event_date", "location",
    "categories", "fetch_pages", "url_pattern", "max_items",
)
API_CLIENTS = ("aides_territoires", "datagouv", "hal", "openagenda", "tribe_events", "wordpress")
WORDPRESS_KEYS = ("post_types", "per_page", "categories", "search")
CADENCES = {"hourly": 1, "daily": 24, "weekly": 24 * 7, "monthly": 24 * 30}


class RegistryError(ValueError):
    """The registry file is unreadable or an entry is invalid."""


@dataclass
class Source:
    id: str
    name: str
    organisation: str
    homepage: str
    kind: str
    entry_urls: list[str]
    cadence: str = "daily"
    enabled: bool = True
    licence: str = ""
    mention: str = ""
    default_type: str | None = None
    territory: dict[str, list[str]] = field(default_factory=dict)
    listing: dict[str, Any] = field(default_factory=dict)
    api: dict[str, Any] = field(default_factory=dict)
    wordpress: dict[str, Any] = field(default_factory=dict)
    follow_pdfs: bool = False
    # The source relays what others publish (an API of calls, datasets, deposits, agendas): its own
    # organisation is not the publisher of its records and is not credited on them.
    aggregator: bool = False
    max_pages: int = 3
    # Successful crawls in a row without an item before it is marked retired (never deleted).
    # Feeds only show their latest entries, so by default their items are never retired.
    retire_after: int | None = -1
    notes: str = ""

    def __post_init__(self) -> None:
        if self.retire_after == -1:
            self.retire_after = None if self.kind == "feed" else DEFAULT_RETIRE_AFTER

    @property
    def api_key_env(self) -> str | None:
        return self.api.get("key_env")

    def api_key(self) -> str | None:
        env = self.api_key_env
        return os.environ.get(env) if env else None

    def as_row(self) -> dict[str, Any]:
        """The row stored in the `sources` table."""
        return {
            "id": self.id,
            "name": self.name,
            "organisation": self.organisation,
            "homepage": self.homepage,
            "kind": self.kind,
            "entry_urls": self.entry_urls,
            "cadence": self.cadence,
            "enabled": self.enabled,
            "licence": self.licence,
            "mention": self.mention,
            "default_type": self.default_type,
            "regions": self.territory.get("regions", []),
            "departements": self.territory.get("departements", []),
            "retire_after": self.retire_after,
            "aggregator": self.aggregator,
        }


def _check(entry: dict[str, Any], position: int) -> Source:
    ident = entry.get("id") or f"n°{position}"
    for key in ("id", "name", "organisation", "homepage", "kind", "entry_urls"):
        if not entry.get(key):
            raise RegistryError(f"Source {ident} : champ obligatoire manquant « {key} ».")
    if entry["kind"] not in KINDS:
        raise RegistryError(
            f"Source {ident} : type de connecteur « {entry['kind']} » inconnu (attendu : {', '.join(KINDS)})."
        )
    cadence = entry.get("cadence", "daily")
    if cadence not in CADENCES:
        raise RegistryError(f"Source {ident} : cadence « {cadence} » inconnue ({', '.join(CADENCES)}).")
    if entry["kind"] == "listing" and not (entry.get("listing") or {}).get("item_links"):
        raise RegistryError(f"Source {ident} : une source « listing » exige listing.item_links.")
    if entry["kind"] == "api" and not (entry.get("api") or {}).get("client"):
        raise RegistryError(f"Source {ident} : une source « api » exige api.client.")
    if entry["kind"] == "api" and entry["api"]["client"] not in API_CLIENTS:
        raise RegistryError(
            f"Source {ident} : client d'API « {entry['api']['client']} » inconnu "
            f"(attendu : {', '.join(API_CLIENTS)})."
        )
    if not isinstance(entry["entry_urls"], list):
        raise RegistryError(f"Source {ident} : « entry_urls » doit être une liste d'URL.")
    for section, allowed in (("listing", LISTING_KEYS), ("wordpress", WORDPRESS_KEYS)):
        extra = set(entry.get(section) or {}) - set(allowed)
        if extra:
            raise RegistryError(
                f"Source {ident} : option(s) {section} inconnue(s) {', '.join(sorted(extra))} "
                f"(attendu : {', '.join(allowed)})."
            )
    for url in entry["entry_urls"]:
        if not str(url).startswith(("http://", "https://")):
            raise RegistryError(f"Source {ident} : URL d'entrée invalide « {url} » (http:// ou https:// attendu).")
    for flag in ("enabled", "aggregator"):
        if not isinstance(entry.get(flag, flag == "enabled"), bool):
            raise RegistryError(f"Source {ident} : « {flag} » doit valoir true ou false.")
    known = set(Source.__dataclass_fields__)
    unknown = set(entry) - known
    if unknown:
        raise RegistryError(f"Source {ident} : champ(s) inconnu(s) {', '.join(sorted(unknown))}.")
    return Source(**entry)


def load_registry(path: Path | str | None = None) -> list[Source]:
    """Read and validate every entry; ids must be unique."""
    path = Path(path or REGISTRY_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RegistryError(f"Registre des sources introuvable : {path}") from exc
    except yaml.YAMLError as exc:
        raise RegistryError(f"Registre des sources illisible ({path}) : {exc}") from exc
    entries = raw.get("sources") if isinstance(raw, dict) else raw
    if isinstance(raw, dict) and "sources" in raw and entries is None:
        entries = []  # a registry just created, still empty
    if not isinstance(entries, list):
        raise RegistryError(f"Registre des sources : liste « sources » attendue dans {path}.")
    sources = [_check(entry, i) for i, entry in enumerate(entries, 1)]
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            raise RegistryError(f"Registre des sources : identifiant en double « {source.id} ».")
        seen.add(source.id)
    return sources


def get_source(source_id: str, path: Path | str | None = None) -> Source:
    for source in load_registry(path):
        if source.id == source_id:
            return source
    raise RegistryError(f"Source inconnue : « {source_id} ».")
