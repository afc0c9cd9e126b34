"""Score of discovery on the recorded site shapes (tests/discovery/sites/): right connector or not.

Serves each shape on 127.0.0.1, runs `discover` on its homepage, and prints one line per shape
(expected, chosen, requests made) and the score. Offline: loopback only.

    .venv/bin/python scripts/discovery_score.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GLANEUR_DOWNLOAD_DELAY", "0")
os.environ.setdefault("GLANEUR_TODAY", "2026-11-20")

from glaneur.discovery import discover  # noqa: E402
from tests.discovery.sites import load_site, serve, site_names  # noqa: E402


def main() -> int:
    right = 0
    names = site_names()
    print("| forme de site | attendu | choisi | requêtes |\n|---|---|---|---|")
    for name in names:
        site = load_site(name)
        with serve(site) as base:
            found = discover(base + "/")
        chosen = found.best.connector if found.best else "none"
        right += chosen == site.expected
        print(f"| {site.shape} (`{name}`) | {site.expected} | {chosen} | {len(found.prober.requests)} |")
    print(f"\nBon connecteur : {right} sur {len(names)}")
    return 0 if right >= len(names) - 1 else 1


if __name__ == "__main__":
    sys.exit(main())
