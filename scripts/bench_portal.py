"""Portal latency with 100k synthetic resources, over real HTTP on 127.0.0.1 (not a test).

Builds a database with the real schema, search index and portal tables, starts Datasette with
the very arguments `glaneur serve` uses, then times search and facet pages.

    .venv/bin/python scripts/bench_portal.py [--rows 100000] [--runs 40] [--db /tmp/bench.db] [--only /recherche]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import sqlite_utils
import yaml

from glaneur.db import open_db
from glaneur.paths import PROJECT_ROOT, TAXONOMY_FILE
from glaneur.portal import datasette_args, prepare_portal
from glaneur.search_index import refresh_search_index

TODAY = date(2026, 11, 20)
WORDS = ("aide alimentaire précarité épicerie solidaire sociale banque collecte ramasse invendus "
         "bénévoles formation coopération territoire projet alimentaire territorial PAT appel "
         "financement distribution accueil paniers légumes producteurs locaux logistique plateforme "
         "stockage transport participation personnes concernées dignité droits non-recours santé "
         "nutrition étude baromètre enquête pauvreté coordination CCAS association réseau Restos cœur "
         "jardin cuisine atelier webinaire rencontre région département commune sécurité sociale "
         "alimentation démocratie gaspillage transition écologique chèques restaurant étudiants").split()
ORGS = ["DGCS", "Banques alimentaires", "Restos du cœur", "Secours populaire", "Croix-Rouge française",
        "ANDES", "Réseau Cocagne", "Ansa", "RnPAT", "Fondation de France", "DREETS Occitanie", "ANCT"]
DEPS = {"11": "76", "30": "76", "34": "76", "66": "76", "56": "53", "35": "53", "69": "84", "38": "84",
        "59": "32", "62": "32", "75": "11", "93": "11", "33": "75", "13": "93", "67": "44", "88": "44"}


def synthetic_rows(n: int, seed: int = 7):
    rng = random.Random(seed)
    taxonomy = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))
    types, themes, audiences = list(taxonomy["types"]), list(taxonomy["themes"]), list(taxonomy["audiences"])
    for i in range(n):
        rtype = rng.choice(types)
        published = TODAY - timedelta(days=rng.randint(0, 2500))
        deps = rng.sample(list(DEPS), rng.choice([0, 0, 1, 1, 2]))
        regions = sorted({DEPS[d] for d in deps}) or ([rng.choice(list(DEPS.values()))] if rng.random() < 0.2 else [])
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 10))).capitalize()
        summary = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 35)))
        yield {
            "id": f"b{i:07d}", "title": title, "type": rtype, "url": f"https://exemple.org/r/{i}",
            "summary": summary, "published": published.isoformat(), "year": published.year,
            "deadline": (published + timedelta(days=rng.randint(20, 120))).isoformat()
            if rtype == "appel_a_projets" else None,
            "event_start": (published + timedelta(days=rng.randint(5, 90))).isoformat()
            if rtype in ("evenement", "formation") else None,
            "event_end": None, "location": None,
            "themes": json.dumps(rng.sample(themes, rng.randint(0, 3))),
            "audiences": json.dumps(rng.sample(audiences, rng.randint(0, 2))),
            "regions": json.dumps(regions), "departements": json.dumps(deps),
            "scope": "local" if deps else ("regional" if regions else "national"),
            "organisations": json.dumps(rng.sample(ORGS, rng.randint(1, 2)), ensure_ascii=False),
            "source_count": 1, "text": summary + " " + " ".join(rng.choice(WORDS) for _ in range(60)),
            "updated": TODAY.isoformat(), "statut": "actif", "is_latest_edition": 1,
        }


def build(path: Path, rows: int) -> None:
    started = time.perf_counter()
    db = open_db(path)
    db["resources"].insert_all(synthetic_rows(rows), pk="id", batch_size=5000, alter=True)
    refresh_search_index(db)
    prepare_portal(db, today=TODAY)
    db.execute("analyze")
    db.close()
    print(f"base de {rows} ressources construite en {time.perf_counter() - started:.0f} s ({path})", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200
    return (time.perf_counter() - started) * 1000


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--db", type=Path, default=None, help="Réutilise cette base si elle existe.")
    parser.add_argument("--only", default=None, help="Seulement les pages dont le nom contient ce texte.")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp(prefix="glaneur-bench-")) / "glaneur.db"
    if not path.exists() or sqlite_utils.Database(path)["resources"].count != args.rows:
        path.unlink(missing_ok=True)
        build(path, args.rows)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "datasette", *datasette_args(path, port)], cwd=PROJECT_ROOT,
                            env={**os.environ, "GLANEUR_ACCOUNTS": "/nonexistent"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                timed(base + "/-/versions.json")
                break
            except OSError:
                time.sleep(0.2)
        t = "/glaneur/resources"
        scenarios = {
            "recherche ?_search= (table, facettes)": [f"{t}?_search={q}" for q in (
                "formations", "coop%C3%A9ratives", "AAP", "%C3%A9picerie+solidaire", "coeur", "ramasse+invendus")],
            "recherche /recherche (bm25)": [f"/recherche?q={q}" for q in (
                "formations", "coop%C3%A9ratives", "AAP", "%C3%A9picerie+solidaire", "coeur", "ramasse+invendus")],
            "facettes (table sans filtre)": [t],
            "facettes (sélection)": [f"{t}?type=appel_a_projets&statut_echeance=ouvert",
                                     f"{t}?themes__arraycontains=logistique", f"{t}?regions__arraycontains=76",
                                     f"{t}?type=formation&departements__arraycontains=11"],
            "accueil": ["/"],
            "page d'une ressource": [f"{t}/b{n:07d}" for n in (17, 4242, 31337, 77777, 99998)],
            "requête « Appels à projets ouverts »": ["/glaneur/appels_ouverts", "/glaneur/appels_ouverts?region=76"],
        }
        if args.only:
            scenarios = {name: urls for name, urls in scenarios.items() if args.only in name}
        results = {}
        print(f"{'page':<42} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}", file=sys.stderr)
        for name, urls in scenarios.items():
            for url in urls:
                timed(base + url)  # warm-up
            samples = [timed(base + urls[i % len(urls)]) for i in range(args.runs)]
            results[name] = {"n": len(samples), "p50_ms": round(statistics.median(samples)),
                             "p95_ms": round(p95(samples)), "max_ms": round(max(samples))}
            print(f"{name:<42} {len(samples):>4} {statistics.median(samples):>8.0f} {p95(samples):>8.0f} "
                  f"{max(samples):>8.0f}", file=sys.stderr)
        results["rows"] = args.rows
        results["datasette_peak_rss_mb"] = peak_rss_mb(proc.pid)
        print(json.dumps(results, ensure_ascii=False, indent=2))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def peak_rss_mb(pid: int) -> int | None:
    """High-water mark of the server's resident memory (Linux /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        return None
    return None


if __name__ == "__main__":
    main()
