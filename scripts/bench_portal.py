"""Portal latency at 100k generated resources, against a plain Datasette, over HTTP on 127.0.0.1 (not a test).

Builds a database with the real schema, search index and portal tables (scripts/bench/resources.py),
then, in the same run, times every page type on three servers:
- « glaneur » : Datasette with the very arguments `glaneur serve` uses (page cache on: after the
  warm-up, repeated pages come from memory);
- « glaneur, sans cache » : the same with `GLANEUR_CACHE_PAGES=0`: what a first visit costs;
- « datasette » : a plain Datasette 0.65 on a copy of the same resources (and their indexes), with
  sqlite-utils' FTS (title, summary, text as written), Datasette's own facets and its default
  settings (a facet that takes more than 200 ms is left out), but the portal's 3 s SQL limit.
Each page type gets `--requests` requests from `--clients` concurrent clients, cycling over its
URLs after one warm-up request each; p50 / p95 / max in ms, and the ratio of medians
datasette / glaneur. `--throughput` adds requests per second with 8 clients for one and two
processes serving the same file, with and without the page cache. « Sans cache » still repeats
each address: what a page keeps for the file (a search's rows, a count) serves its next visits.
`--distinct N` measures first visits for real instead: for each page type a new server, then N
addresses never asked before (different searches, selections, resources), each requested once.

    .venv/bin/python scripts/bench_portal.py [--rows 100000] [--requests 100] [--clients 4] [--db /tmp/bench.db]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations
from pathlib import Path

import sqlite_utils
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from glaneur.paths import DATASETTE_DIR, PROJECT_ROOT  # noqa: E402
from glaneur.portal import datasette_args  # noqa: E402
from scripts.bench.resources import build  # noqa: E402

T = "/glaneur/resources"
QUERIES = ("formations", "coop%C3%A9ratives", "AAP", "%C3%A9picerie+solidaire", "coeur", "ramasse+invendus",
           "banque+alimentaire", "jardin", "webinaire", "gaspillage")
IDS = (0.00017, 0.04242, 0.31337, 0.77777, 0.99998, 0.00123, 0.55555, 0.0808)  # shares of the rows


def scenarios(rows: int) -> dict[str, tuple[list[str], list[str] | None]]:
    """page type → (glaneur URLs, plain Datasette URLs or None when it has no such page)."""
    return {
        "recherche ?_search= (table, facettes)": ([f"{T}?_search={q}" for q in QUERIES],
                                                  [f"{T}?_search={q}" for q in QUERIES]),
        "/recherche (bm25)": ([f"/recherche?q={q}" for q in QUERIES],
                              # the plain equivalent: rank-ordered full-text SQL, 20 rows
                              [f"/glaneur?sql=select+r.id,+r.title,+r.summary+from+resources_fts+f+join+resources+r+"
                               f"on+r.rowid=f.rowid+where+resources_fts+match+:q+order+by+f.rank+limit+20&q={q}"
                               for q in ("formations", "AAP", "coeur", "jardin", "webinaire", "gaspillage")]),
        "facettes, 1 sélection": ([f"{T}?themes__arraycontains=logistique", f"{T}?regions__arraycontains=76",
                                   f"{T}?type=formation"],) * 2,
        "facettes, 2 sélections": ([f"{T}?type=appel_a_projets&statut_echeance=ouvert",
                                    f"{T}?type=formation&departements__arraycontains=11",
                                    f"{T}?themes__arraycontains=logistique&regions__arraycontains=76"],) * 2,
        "facettes, 3 sélections": ([f"{T}?type=formation&themes__arraycontains=logistique&regions__arraycontains=76",
                                    f"{T}?type=appel_a_projets&statut_echeance=ouvert&regions__arraycontains=53"],) * 2,
        "page d'une ressource": ([f"{T}/b{int(share * rows):07d}" for share in IDS],) * 2,
        "accueil": (["/"], ["/"]),
        "requête « Appels à projets ouverts »": (["/glaneur/appels_ouverts", "/glaneur/appels_ouverts?region=76"],) * 2,
        "Atom d'une sélection": ([f"{T}.atom?themes__arraycontains=logistique", f"{T}.atom?_search=formations"], None),
        "CSV d'une sélection": ([f"{T}.csv?themes__arraycontains=logistique", f"{T}.csv?_search=formations"],) * 2,
    }


def distinct_scenarios(path: Path, rows: int, count: int) -> dict[str, list[str]]:
    """Pages no visitor asked before: `count` different searches, selections, resources each,
    so that nothing kept by an earlier request (a search's rows, a count, a page) answers them."""
    with sqlite3.connect(path) as conn:
        words = [w for (w,) in conn.execute("select forme from recherche_vocabulaire where length(mot) > 3 "
                                            "order by ressources desc, mot")]
        types = [t for (t,) in conn.execute("select distinct type from resources order by type")]
        regions = [r for (r,) in conn.execute("select code from libelles where colonne = 'regions' order by code")]
    conn.close()
    rng = random.Random(20)
    pairs = [f"{a} {b}" for a, b in combinations(words, 2)]
    rng.shuffle(pairs)
    quote = urllib.parse.quote_plus
    selections = [f"type={t}&regions__arraycontains={r}" for t in types for r in regions]
    rng.shuffle(selections)
    return {
        "recherche ?_search= (un mot)": [f"{T}?_search={quote(w)}" for w in words[:count]],
        "/recherche (un mot)": [f"/recherche?q={quote(w)}" for w in words[:count]],
        "/recherche (deux mots)": [f"/recherche?q={quote(p)}" for p in pairs[:count]],
        "facettes, 2 sélections": [f"{T}?{s}" for s in selections[:count]],
        "page d'une ressource": [f"{T}/b{i:07d}" for i in rng.sample(range(rows), count)],
        "Atom d'une recherche": [f"{T}.atom?_search={quote(p)}" for p in pairs[count:2 * count]],
    }


def measure_once(base: str, urls: list[str], clients: int) -> dict:
    """Each URL requested once, by `clients` threads, without warming it up."""
    return timed_all([base + url for url in urls], clients)


def distinct(path: Path, rows: int, count: int, clients: int, only: str | None = None) -> dict:
    """First visits for real: a new server, each page type over `count` addresses never asked."""
    out = {}
    for name, urls in distinct_scenarios(path, rows, count).items():
        if only and only not in name:
            continue
        proc, base = start(glaneur_args(path), {})
        try:
            timed(base + "/glaneur/resources?type=etude")  # the facet index, built at the first table page
            out[name] = measure_once(base, urls, clients)
            print(f"{'première visite':<20} {name:<40} p50 {out[name]['p50_ms']:>7} p95 {out[name]['p95_ms']:>7} "
                  f"max {out[name]['max_ms']:>7}", file=sys.stderr)
        finally:
            stop(proc)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - started) * 1000


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def plain_copy(source: Path, target: Path) -> Path:
    """The same resources for a plain Datasette: our search tables out, sqlite-utils' FTS in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return target
    shutil.copy(source, target)
    db = sqlite_utils.Database(target)
    for table in ("resources_fts", "fiches_fts", "resources_valeurs", "recherche_vocabulaire"):
        if db[table].exists():
            db[table].drop()
    db["resources"].enable_fts(["title", "summary", "text"], fts_version="FTS5")
    db.execute("vacuum")
    db.close()
    return target


def plain_metadata(path: Path) -> Path:
    """Datasette's own facets (column facets and array facets), the portal's canned query."""
    ours = yaml.safe_load((DATASETTE_DIR / "metadata.yml").read_text(encoding="utf-8"))
    queries = ours["databases"]["glaneur"]["queries"]
    meta = {"databases": {"glaneur": {
        "tables": {"resources": {"sort_desc": "published", "fts_table": "resources_fts", "facets": [
            "type", "statut_echeance", "statut", {"array": "themes"}, {"array": "audiences"},
            {"array": "regions"}, {"array": "departements"}, {"array": "organisations"}, "year"]}},
        "queries": {"appels_ouverts": queries["appels_ouverts"]}}}}
    path.write_text(json.dumps(meta), encoding="utf-8")
    return path


def start(args: list[str], env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "datasette", *args, "--port", str(port)], cwd=PROJECT_ROOT,
                            env={**os.environ, "GLANEUR_ACCOUNTS": "/nonexistent", **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # at 1M rows the facet index takes a while to build
    while time.monotonic() < deadline:
        try:
            timed(base + "/-/versions.json")
            return proc, base
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("le serveur ne répond pas")


def glaneur_args(path: Path) -> list[str]:
    args = datasette_args(path, 0)
    at = args.index("--port")
    return args[:at] + args[at + 2:]


def measure(bases: list[str], urls: list[str], requests: int, clients: int) -> dict:
    """`requests` requests from `clients` threads, cycling over urls (and over bases)."""
    for base in bases:
        for url in urls:
            timed(base + url)  # warm-up: first compilation, facet index, page cache
    return timed_all([bases[i % len(bases)] + urls[i % len(urls)] for i in range(requests)], clients)


def timed_all(targets: list[str], clients: int) -> dict:
    """Every target once, from `clients` threads: p50 / p95 / max and requests per second."""
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        samples = list(pool.map(timed, targets))
    elapsed = time.perf_counter() - started
    return {"n": len(samples), "p50_ms": round(statistics.median(samples), 1), "p95_ms": round(p95(samples), 1),
            "max_ms": round(max(samples), 1), "req_per_s": round(len(samples) / elapsed, 1)}


def peak_rss_mb(pid: int) -> int | None:
    """High-water mark of the server's resident memory (Linux /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        return None
    return None


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--db", type=Path, default=None, help="Réutilise cette base si elle existe.")
    parser.add_argument("--only", default=None, help="Seulement les pages dont le nom contient ce texte.")
    parser.add_argument("--no-plain", action="store_true", help="Sans le Datasette de référence.")
    parser.add_argument("--throughput", action="store_true", help="Débit à 8 clients, 1 et 2 processus.")
    parser.add_argument("--distinct", type=int, default=0, metavar="N",
                        help="Seulement des premières visites : N adresses jamais demandées par type de page.")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="glaneur-bench-"))
    path = args.db or workdir / "glaneur.db"
    built_s = None
    if not path.exists() or sqlite_utils.Database(path)["resources"].count != args.rows:
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        build(path, args.rows)
        built_s = round(time.perf_counter() - started, 1)
    if args.distinct:
        found = distinct(path, args.rows, args.distinct, args.clients, args.only)
        print(json.dumps({"rows": args.rows, "clients": args.clients, "distinct": found}, ensure_ascii=False,
                         indent=2))
        return
    pages = {n: s for n, s in scenarios(args.rows).items() if not args.only or args.only in n}
    servers = {"glaneur": (glaneur_args(path), {}),
               "glaneur, sans cache": (glaneur_args(path), {"GLANEUR_CACHE_PAGES": "0"})}
    if not args.no_plain:
        plain = plain_copy(path, path.parent / f"{path.stem}-datasette" / "glaneur.db")
        # Datasette's defaults (facets cut at 200 ms, suggested facets on), but the portal's 3 s SQL limit
        # so that its counts finish as ours do.
        servers["datasette"] = (["serve", "-i", str(plain), "--metadata", str(plain_metadata(workdir / "meta.json")),
                                 "--setting", "sql_time_limit_ms", "3000"], {})
    results: dict = {"rows": args.rows, "requests": args.requests, "clients": args.clients,
                     "database_mb": round(path.stat().st_size / 2**20), "build_s": built_s, "pages": {}}
    for server, (server_args, env) in servers.items():
        proc, base = start(server_args, env)
        try:
            for name, (ours, theirs) in pages.items():
                urls = theirs if server == "datasette" else ours
                if urls is None:
                    continue
                figures = measure([base], urls, args.requests, args.clients)
                results["pages"].setdefault(name, {})[server] = figures
                print(f"{server:<20} {name:<40} p50 {figures['p50_ms']:>7} p95 {figures['p95_ms']:>7} "
                      f"max {figures['max_ms']:>7}", file=sys.stderr)
            results.setdefault("peak_rss_mb", {})[server] = peak_rss_mb(proc.pid)
        finally:
            stop(proc)
    for figures in results["pages"].values():
        if "datasette" in figures:
            for server in ("glaneur", "glaneur, sans cache"):
                if server in figures and figures[server]["p50_ms"]:
                    figures.setdefault("ratio_p50_datasette_sur", {})[server] = round(
                        figures["datasette"]["p50_ms"] / figures[server]["p50_ms"], 1)
    if args.throughput:
        results["throughput"] = throughput(path, args.rows, args.requests)
    print(json.dumps(results, ensure_ascii=False, indent=2))


def throughput(path: Path, rows: int, requests: int) -> dict:
    """Requests per second with 8 clients over a mix of pages, one then two processes serving the
    same file, with and without the page cache."""
    mix = [url for ours, _ in scenarios(rows).values() for url in ours[:2]]
    out = {}
    for cache, env in (("avec cache", {}), ("sans cache", {"GLANEUR_CACHE_PAGES": "0"})):
        for processes in (1, 2):
            started = [start(glaneur_args(path), env) for _ in range(processes)]
            try:
                out[f"{processes} processus, {cache}"] = measure(
                    [base for _, base in started], mix, max(requests, 8 * len(mix)), 8)
            finally:
                for proc, _ in started:
                    stop(proc)
    return out


if __name__ == "__main__":
    main()
