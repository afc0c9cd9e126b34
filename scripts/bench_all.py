"""`make bench`: run every benchmark and append the results to docs/benchmarks.md.

Each benchmark is a script of its own that prints one JSON object on its last line(s); this
driver records date, machine and command with the figures, so results stay comparable.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BENCHES = [
    ("Collecte : débit face à trafilatura, puis recollecte sans changement", ["scripts/bench_crawl.py"]),
    ("Dédoublonnage à 10k / 50k / 100k documents", ["scripts/bench_dedup.py"]),
    ("Latence du portail à 100k ressources (4 clients, face à Datasette nu) et débit à 1 et 2 processus",
     ["scripts/bench_portal.py", "--throughput"]),
    ("Premières visites réelles du portail à 100k ressources (4 clients, 100 adresses jamais demandées par page)",
     ["scripts/bench_portal.py", "--distinct", "100"]),
    ("Coût de normalize() par document (banc et pages modelées sur de vraies pages)",
     ["scripts/bench_normalize.py", "--documents", "800"]),
]


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cœurs ({cpu}), {mem:.0f} Gio, "
            f"Python {platform.python_version()}")


def last_json(output: str) -> dict | None:
    text = output.strip()
    start = text.rfind("\n{")
    candidate = text[start + 1:] if start >= 0 else text
    try:
        return json.loads(candidate)
    except ValueError:
        return None


def main() -> int:
    sections = [f"\n## Exécution du {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n",
                f"- Machine : {machine()}", "- Commande : `make bench`\n"]
    failed = 0
    for title, script in BENCHES:
        path = ROOT / script[0]
        if not path.exists():
            sections.append(f"### {title}\n\nScript absent : `{script[0]}`.\n")
            failed += 1
            continue
        print(f"→ {title}…", flush=True)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, *script], cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        result = last_json(proc.stdout)
        if proc.returncode != 0 or result is None:
            failed += 1
            tail = proc.stderr[-1500:]
            sections.append(f"### {title}\n\nÉchec (code {proc.returncode}) :\n\n```\n{tail}\n```\n")
            continue
        figures = json.dumps(result, ensure_ascii=False, indent=2)
        sections.append(f"### {title} ({elapsed:.0f} s)\n\n```json\n{figures}\n```\n")
    DOC.parent.mkdir(exist_ok=True)
    if not DOC.exists():
        DOC.write_text("# Mesures\n\nRésultats ajoutés par `make bench` (le plus récent en bas).\n", encoding="utf-8")
    with DOC.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(sections) + "\n")
    print(f"Résultats ajoutés à {DOC.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
