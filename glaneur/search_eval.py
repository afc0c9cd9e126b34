"""`glaneur eval --recherche`: the /recherche page scored on judged queries (docs/quality.md).

The judgements (tests/eval/recherche.jsonl) grade resources of the demo's offline crawl, built
with the demo's date (`glaneur crawl --offline` with GLANEUR_TODAY=2026-11-20): one line per
query, `pertinents` maps resource ids to a grade (3 exactly what was sought, 2 clearly useful,
1 related; unlisted resources count 0). `partie` is `dev` (rules may be tuned on it) or `tenue`
(held out: never tuned on). Each query goes through `glaneur.recherche.search`, the function the
portal's /recherche page runs, and the first five resources of its first page are scored.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from glaneur.recherche import register_functions, search

JUDGEMENTS = Path(__file__).resolve().parent.parent / "tests" / "eval" / "recherche.jsonl"
DEMO_TODAY = "2026-11-20"
K = 5
PART_NAMES_FR = {"dev": "développement", "tenue": "tenue à l'écart"}


def load_judgements(path: Path = JUDGEMENTS) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        well_formed = row.get("requete") and isinstance(row.get("pertinents"), dict)
        if not well_formed or row.get("partie") not in PART_NAMES_FR:
            raise ValueError(f"{path}:{number} : requete, partie (dev|tenue) et pertinents sont obligatoires")
        rows.append(row)
    return rows


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    """nDCG@k with gains 2^grade − 1 and the ideal order of the judged grades."""
    def dcg(values: list[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(rid, 0) for rid in ranked]) / ideal if ideal else 0.0


def build_demo_database(folder: Path) -> Path:
    """The demo's offline crawl at the demo's date, as `make demo` builds it (a few seconds)."""
    path = Path(folder) / "glaneur.db"
    done = subprocess.run([sys.executable, "-m", "glaneur", "crawl", "--offline", "--db", str(path)],
                          env={**os.environ, "GLANEUR_TODAY": DEMO_TODAY}, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"la collecte hors ligne a échoué :\n{done.stderr}")
    return path


def score_database(db_path: Path, judgements: list[dict[str, Any]]) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        register_functions(conn)
        today = conn.execute("select value from portal_settings where key = 'today'").fetchone()[0]
        known = {row[0] for row in conn.execute("select id from resources")}
        queries = []
        for row in judgements:
            missing = sorted(set(row["pertinents"]) - known)
            if missing:
                raise ValueError(f"« {row['requete']} » : ressources jugées absentes de la base : {', '.join(missing)}")
            page = search(conn, row["requete"], today)
            ranked = [r["id"] for r in page.results]
            queries.append({
                "requete": row["requete"], "partie": row["partie"], "ndcg": ndcg(ranked, row["pertinents"]),
                "total": page.total, "zero": not page.results, "top": ranked[:K],
                "suggestion": page.suggestion, "corrigee": page.corrected,
            })
    finally:
        conn.close()
    parts = {}
    for name in PART_NAMES_FR:
        mine = [q for q in queries if q["partie"] == name]
        if mine:
            parts[name] = {"requetes": len(mine), "ndcg5": sum(q["ndcg"] for q in mine) / len(mine),
                           "zero": sum(q["zero"] for q in mine), "taux_zero": sum(q["zero"] for q in mine) / len(mine)}
    return {"today": today, "parts": parts, "queries": queries}


def run_search_eval(db_path: Path | None = None, judgements_path: Path = JUDGEMENTS) -> dict[str, Any]:
    judgements = load_judgements(judgements_path)
    if db_path is not None:
        return {"base": str(db_path), **score_database(db_path, judgements)}
    with tempfile.TemporaryDirectory(prefix="glaneur-eval-") as tmp:
        return {"base": "miroir hors ligne (construit pour la mesure)",
                **score_database(build_demo_database(Path(tmp)), judgements)}


def format_search_scores(result: dict[str, Any], details: bool = True) -> str:
    lines = [f"Recherche (/recherche) : {result['base']}, date du portail {result['today']}", ""]
    lines.append(f"{'partie':<18} {'requêtes':>8} {'nDCG@5':>7} {'sans résultat':>14}")
    for name, part in result["parts"].items():
        lines.append(f"{PART_NAMES_FR[name]:<18} {part['requetes']:>8} {part['ndcg5']:>7.3f} "
                     f"{part['zero']:>6} ({part['taux_zero']:.0%})".replace(".", ","))
    if details:
        lines += ["", "Requêtes de la partie développement (nDCG@5, résultats) :"]
        for q in result["queries"]:
            if q["partie"] != "dev":
                continue  # the held-out part is read in aggregate only
            extra = f" → « {q['corrigee']} »" if q.get("corrigee") else ""
            extra += f" (vouliez-vous dire « {q['suggestion']} » ?)" if q.get("suggestion") else ""
            lines.append(f"  {q['ndcg']:.3f}  {q['total']:>3}  {q['requete']}{extra}".replace(".", ",", 1))
    return "\n".join(lines)
