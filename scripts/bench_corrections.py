"""How long an editor waits for a correction to be published, at 100k resources (not a test).

Builds (or reuses) the synthetic database of bench_portal.py, then times `republish`: copy of
the served file, corrections applied, open/closed status, map and search rows re-derived, swap.

    .venv/bin/python scripts/bench_corrections.py [--rows 100000] [--runs 10] [--db /tmp/bench.db]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_portal import build  # noqa: E402

from glaneur.corrections import clean, open_edition_db, record, republish  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--db", type=Path, default=None, help="Réutilise cette base si elle existe.")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-corrections-"))
    public = args.db or folder / "glaneur.db"
    if not public.exists():
        build(public, args.rows)
    else:  # a reused base: forget the corrections of an earlier run (their ids start again at 1)
        import sqlite3

        with sqlite3.connect(public) as conn:
            if conn.execute("select 1 from sqlite_master where name = 'corrections_appliquees'").fetchone():
                conn.execute("delete from corrections_appliquees")
        conn.close()
    edition = open_edition_db(folder / "edition.db")
    timings = []
    for run in range(args.runs):
        rid = f"b{run:07d}"
        value = clean("location", {"location": f"Salle {run}, Nîmes"})
        record(edition, rid, None, "location", value, {}, "banc", "mesure")
        started = time.perf_counter()
        changed = republish(public, folder / "edition.db")
        timings.append(time.perf_counter() - started)
        assert changed == {rid}, changed
    size = public.stat().st_size / 1e6
    print(f"{args.rows} ressources, base servie {size:.0f} Mo, {args.runs} corrections publiées une à une : "
          f"médiane {statistics.median(timings):.2f} s, max {max(timings):.2f} s")


if __name__ == "__main__":
    main()
