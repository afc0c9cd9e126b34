"""Benchmark of the deduplication on synthetic French titles (not a test; results in docs/dedup.md).

Generates N documents with ~15 % planted duplicates (relays retitled as in tests/dedup/make_pairs.py)
and ~3 % planted yearly editions (hard negatives), runs record building + clustering (the `dedup`
part of the build) and reports time, peak memory (each size in its own process) and the quality
on planted pairs. Optionally (--build N) times a whole `glaneur build` on a synthetic SQLite file.

    .venv/bin/python scripts/bench_dedup.py            # 10k, 50k, 100k
    .venv/bin/python scripts/bench_dedup.py --sizes 20000 --build 5000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOMAIN = (
    "aide alimentaire précarité épicerie solidaire sociale banque distribution colis panier chèque restaurant "
    "bénévoles bénévolat association collectivité CCAS territoire territorial projet PAT alimentation durable "
    "accès droits démocratie sécurité sociale participation personnes concernées approvisionnement invendus "
    "gaspillage ramasse stocks logistique plateforme mutualisation producteurs locaux agriculture circuits "
    "courts jardin cocagne nutrition santé inégalités étudiants familles enfants seniors quartiers ruraux "
    "inflation pauvreté baromètre enquête étude rapport évaluation diagnostic guide kit fiche outil méthode "
    "formation webinaire rencontre journée atelier colloque séminaire appel projets financement subvention "
    "fondation programme national régional départemental métropole commune ville coopération coordination "
    "gouvernance partenariat État dons grandes surfaces tiers-lieux cuisine repas cantine précaire dignité"
).split()
PLACES = ["Occitanie", "Bretagne", "Normandie", "Grand Est", "Gard", "Hérault", "Lyon", "Marseille", "Lille",
          "Nantes", "Grenoble", "Montpellier", "Morbihan", "Vosges", "Corse", "Réunion", "Paris", "Bordeaux"]
LINKS = ["de la", "des", "pour les", "dans les", "et", "face à", "sur", "avec les", "en", "du"]
TYPES = ["etude", "barometre", "appel_a_projets", "formation", "evenement", "bonne_pratique", "outil", "actualite"]


def strip_accents(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


class Corpus:
    """Deterministic synthetic documents; `planted` holds (original, duplicate) document ids."""

    def __init__(self, n: int, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        syllables = ["ba", "ri", "lo", "mé", "tan", "cor", "vi", "plu", "sen", "dra", "gué", "fon", "mi", "zo"]
        # Proper nouns and rarer words so the vocabulary grows with the corpus, as real titles do.
        self.names = ["".join(self.rng.choice(syllables) for _ in range(3)).capitalize()
                      for _ in range(max(2000, n // 5))]
        self.docs: list[dict] = []
        self.planted: list[tuple[str, str]] = []
        self.editions: list[tuple[str, str]] = []
        self._make(n)

    def _title(self) -> str:
        rng = self.rng
        words = [rng.choice(DOMAIN) for _ in range(rng.randint(2, 5))]
        parts = [words[0].capitalize(), *words[1:3], rng.choice(LINKS), *words[3:], rng.choice(self.names)]
        if rng.random() < 0.4:
            parts += [rng.choice(LINKS), rng.choice(PLACES)]
        if rng.random() < 0.3:
            parts.insert(rng.randint(1, len(parts)), ":")
        return " ".join(parts).replace(" :", " :")

    def _variant(self, title: str) -> str:
        rng = self.rng
        kind = rng.randrange(6)
        if kind == 0:
            return rng.choice(["Étude : ", "À lire : ", "Agenda : ", "Financement - "]) + title
        if kind == 1:
            return title + " | " + rng.choice(["Réseau national", "Le blog", "Actualités"])
        if kind == 2:
            return strip_accents(title).lower()
        if kind == 3 and " : " in title:
            left, right = title.split(" : ", 1)
            return f"{right} : {left}"
        if kind == 4:
            return title.replace(" de la ", " de ").replace(" des ", " de ").replace("'", "’")
        i = rng.randrange(len(title) - 1)
        return title[:i] + title[i + 1:] if title[i].isalpha() else title

    def _doc(self, n: int, title: str, source: int, published: date, type_: str) -> dict:
        return {
            "id": f"d{n:07d}", "source_id": f"s{source:02d}", "url": f"https://s{source:02d}.example/p/{n}",
            "kind": "page", "title": title, "published": published.isoformat(), "type": type_,
            "organisation": f"Organisation {source:02d}",
        }

    def _make(self, n: int) -> None:
        rng = self.rng
        start = date(2019, 1, 1)
        originals = []
        while len(self.docs) < n:
            k = len(self.docs)
            roll = rng.random()
            if originals and roll < 0.15:
                orig = rng.choice(originals)
                source = (int(orig["source_id"][1:]) + rng.randint(1, 39)) % 40
                published = date.fromisoformat(orig["published"]) + timedelta(days=rng.randint(0, 20))
                type_ = "actualite" if rng.random() < 0.3 else orig["type"]
                doc = self._doc(k, self._variant(orig["title"]), source, published, type_)
                self.planted.append((orig["id"], doc["id"]))
            elif originals and roll < 0.18:
                orig = rng.choice(originals)
                year = int(orig["published"][:4]) + 1
                base = orig["title"].rsplit(" ", 1)[0] if orig["title"][-4:].isdigit() else orig["title"]
                doc = self._doc(k, f"{base} {year}", int(orig["source_id"][1:]),
                                date.fromisoformat(orig["published"]) + timedelta(days=365), orig["type"])
                self.editions.append((orig["id"], doc["id"]))
            else:
                title, published = self._title(), start + timedelta(days=rng.randrange(2900))
                if rng.random() < 0.25:  # a year in the title, the year of publication or the next
                    title += f" {published.year + rng.randint(0, 1)}"
                if rng.random() < 0.01:
                    title = "Actualités"  # section pages: never duplicates of each other
                doc = self._doc(k, title, rng.randrange(40), published, rng.choice(TYPES))
                if title != "Actualités":
                    originals.append(doc)
            self.docs.append(doc)


def run_dedup(n: int) -> dict:
    """One measured run (call in a fresh process for a clean peak memory)."""
    from dedup import DedupOptions, cluster_records, make_record

    corpus = Corpus(n)
    opts = DedupOptions()
    t0 = time.perf_counter()
    records = [
        make_record(
            {**d, "parent_url": None, "content_hash": d["id"], "text": ""},
            {"title": d["title"], "type": d["type"], "published": d["published"], "organisations": [d["organisation"]]},
        )
        for d in corpus.docs
    ]
    t1 = time.perf_counter()
    clusters = cluster_records(records, opts)
    t2 = time.perf_counter()
    where = {m.record.id: n for n, c in enumerate(clusters) for m in c.members}
    found = sum(where[a] == where[b] for a, b in corpus.planted)
    wrong_editions = sum(where[a] == where[b] for a, b in corpus.editions)
    origin = {b: a for a, b in corpus.planted}
    false_pairs = 0
    for c in clusters:
        roots = [origin.get(m.record.id, m.record.id) for m in c.members]
        size = len(roots)
        same = sum(roots.count(r) * (roots.count(r) - 1) // 2 for r in set(roots))
        false_pairs += size * (size - 1) // 2 - same
    true_pairs = sum(
        (lambda roots: sum(roots.count(r) * (roots.count(r) - 1) // 2 for r in set(roots)))(
            [origin.get(m.record.id, m.record.id) for m in c.members]) for c in clusters
    )
    return {
        "documents": n, "records_s": round(t1 - t0, 2), "cluster_s": round(t2 - t1, 2),
        "total_s": round(t2 - t0, 2), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "resources": len(clusters), "planted": len(corpus.planted), "planted_found": found,
        "recall": round(found / max(1, len(corpus.planted)), 4),
        "precision_pairs": round(true_pairs / max(1, true_pairs + false_pairs), 4),
        "false_pairs": false_pairs, "editions": len(corpus.editions), "editions_merged": wrong_editions,
    }


def run_build(n: int) -> dict:
    """A whole `glaneur build` (normalize + dedup + tables + FTS) on a synthetic SQLite file."""
    from glaneur.build import build
    from glaneur.db import open_db

    corpus = Corpus(n)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        db["sources"].insert_all(
            [{"id": f"s{k:02d}", "name": f"Source {k}", "organisation": f"Organisation {k:02d}", "enabled": 1}
             for k in range(40)], pk="id")
        db["documents"].insert_all(
            [{"id": d["id"], "source_id": d["source_id"], "url": d["url"], "kind": "page", "title": d["title"],
              "summary": "", "text": "", "published": d["published"], "fields": json.dumps({"type_hint": d["type"]}),
              "content_hash": d["id"]} for d in corpus.docs], pk="id")
        t0 = time.perf_counter()
        report = build(db, today=date(2026, 11, 20))
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        build(db, today=date(2026, 11, 20))
        second = time.perf_counter() - t0
    return {"build_documents": n, "resources": report.resources, "first_build_s": round(first, 1),
            "rebuild_s": round(second, 1), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 50_000, 100_000])
    parser.add_argument("--build", type=int, default=0, help="Also time a whole build on N documents.")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--one-build", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_dedup(args.one)))
        return
    if args.one_build:
        print(json.dumps(run_build(args.one_build)))
        return
    jobs = [["--one", str(n)] for n in args.sizes] + ([["--one-build", str(args.build)]] if args.build else [])
    for job in jobs:
        out = subprocess.run([sys.executable, __file__, *job], capture_output=True, text=True, check=True)
        print(out.stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
