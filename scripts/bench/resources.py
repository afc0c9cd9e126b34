"""Generated resources for the portal bench and the portal's same-results test (real schema,
search index and portal tables; known seed, so two runs give the same database)."""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

from glaneur.db import open_db
from glaneur.paths import TAXONOMY_FILE
from glaneur.portal import prepare_portal
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
    """A database of `rows` generated resources at `path`, ready to serve."""
    started = time.perf_counter()
    db = open_db(path)
    db["resources"].insert_all(synthetic_rows(rows), pk="id", batch_size=5000, alter=True)
    refresh_search_index(db)
    prepare_portal(db, today=TODAY)
    db.execute("analyze")
    db.close()
    print(f"base de {rows} ressources construite en {time.perf_counter() - started:.0f} s ({path})", file=sys.stderr)
