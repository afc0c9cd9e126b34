"""Ad-hoc ingestion: a list of feed or page URLs goes through the same pipeline as the sources.

The URLs become one unregistered source (`adhoc` unless named), so its documents carry
provenance, are deduplicated with everything else and can be found in `crawl_runs`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from glaneur.registry import Source

ADHOC_KINDS = ("feed", "page")


class AdhocError(ValueError):
    """The URLs given cannot be ingested."""


def read_urls(urls: Iterable[str], urls_file: Path | None = None) -> list[str]:
    """URLs of the command line and of a file (one per line, # comments), duplicates dropped."""
    found = [u.strip() for u in urls if u.strip()]
    if urls_file:
        for line in Path(urls_file).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                found.append(line)
    bad = [u for u in found if urlsplit(u).scheme not in ("http", "https") or not urlsplit(u).netloc]
    if bad:
        raise AdhocError(f"URL invalide(s) : {', '.join(bad[:5])}")
    if not found:
        raise AdhocError("Aucune URL à collecter.")
    return list(dict.fromkeys(found))


def adhoc_source(urls: list[str], kind: str, source_id: str = "adhoc") -> Source:
    """An unregistered source for these URLs; `kind` is feed (RSS/Atom) or page (HTML/PDF)."""
    if kind not in ADHOC_KINDS:
        raise AdhocError(f"Type « {kind} » inconnu (attendu : {', '.join(ADHOC_KINDS)}).")
    return Source(
        id=source_id,
        name="Collecte ponctuelle" if source_id == "adhoc" else source_id,
        organisation="",
        homepage=urls[0],
        kind="feed" if kind == "feed" else "pages",
        entry_urls=urls,
        cadence="daily",
        mention="Collecte ponctuelle (URL fournies par un opérateur)",
        follow_pdfs=False,
    )


def failed_urls(errors: list[str], urls: list[str]) -> list[str]:
    """The given URLs that some error message names."""
    return [u for u in urls if any(u in e for e in errors)]
