"""Measure a first and a second offline crawl of the whole mirror (requests, bytes, seconds).

The second crawl sends conditional requests (If-None-Match / If-Modified-Since) through the
HTTP cache kept beside the database; the replay mirror answers 304 like a real server, and
documents whose payload did not change are not re-extracted. Writes the section
« Collecte incrémentale » of docs/benchmarks.md (other sections are left as they are).

    .venv/bin/python scripts/bench_recrawl.py
"""

from __future__ import annotations

import json
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Collecte incrémentale"


def child(db_path: str) -> None:
    """One crawl in this process (the reactor runs once per process); totals as JSON on stdout."""
    sys.path.insert(0, str(ROOT))
    from glaneur.crawl import run_crawl
    from glaneur.registry import load_registry

    sources = [s for s in load_registry() if s.enabled]
    reports = run_crawl(sources, Path(db_path), offline=True)
    totals = {key: sum(r.wire.get(key, 0) for r in reports)
              for key in ("requests", "bytes", "not_modified", "extraction_skipped", "confirmed")}
    totals.update(sources=len(reports), items=sum(r.items for r in reports),
                  items_new=sum(r.items_new for r in reports),
                  items_unchanged=sum(r.items_unchanged for r in reports),
                  failed=[asdict(r)["source_id"] for r in reports if r.status == "echec"])
    print(json.dumps(totals))


def run_once(db_path: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", str(db_path)], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    elapsed = time.perf_counter() - started
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["seconds"] = round(elapsed, 2)
    return result


def table(first: dict, second: dict) -> str:
    rows = [
        ("Sources collectées", "sources"), ("Éléments collectés", "items"), ("Nouveaux", "items_new"),
        ("Inchangés", "items_unchanged"), ("Requêtes envoyées", "requests"),
        ("Réponses 304 (non modifiées)", "not_modified"), ("Octets reçus (corps)", "bytes"),
        ("Documents non réextraits", "extraction_skipped"),
        ("Confirmés par un point d'entrée inchangé, sans relire leurs pages", "confirmed"),
        ("Durée (s, processus compris)", "seconds"),
    ]
    lines = ["| | 1re collecte | 2e collecte |", "|---|---:|---:|"]
    lines += [f"| {label} | {first[key]} | {second[key]} |" for label, key in rows]
    return "\n".join(lines)


def write_section(text: str) -> None:
    DOC.parent.mkdir(exist_ok=True)
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Mesures\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        current = pattern.sub(lambda _: text, current)
    else:
        current = current.rstrip("\n") + "\n\n" + text
    DOC.write_text(current, encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="glaneur-recrawl-") as tmp:
        db_path = Path(tmp) / "bench.db"
        first = run_once(db_path)
        second = run_once(db_path)
    section = (
        f"{SECTION}\n\n"
        "Deux collectes hors ligne successives de toutes les sources actives du miroir, dans la même base "
        "(`scripts/bench_recrawl.py`). La 2e envoie des requêtes conditionnelles (If-None-Match / "
        "If-Modified-Since, cache HTTP Scrapy à côté de la base, politique RFC 2616 revalidant toujours) ; "
        "le miroir répond 304 comme un vrai serveur ; les documents d'un point d'entrée inchangé sont "
        "confirmés sans relire leurs pages, et ceux dont la charge utile n'a pas changé ne sont pas réextraits. "
        "Les requêtes comptent aussi les robots.txt (absents du miroir : 404, non "
        "mis en cache).\n\n"
        f"{table(first, second)}\n\n"
        f"Machine : {platform.machine()}, Python {platform.python_version()}, "
        f"mesuré le {time.strftime('%Y-%m-%d')}.\n"
    )
    write_section(section)
    print(section)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
