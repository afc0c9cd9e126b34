"""Time the search vocabulary build (glaneur.search_index.refresh_vocabulary) on its own.

    python scripts/bench_vocabulary.py data/glaneur.db [repeat]

The resources of the given base are repeated `repeat` times (200 by default: 14,400 rows from
the demo's 72), then the vocabulary is built three times in memory; prints the median and the
content digest, which must not change when only the speed does.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from pathlib import Path

import sqlite_utils

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from glaneur import search_index  # noqa: E402


def main(db_path: str, repeat: int = 200) -> None:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("select rowid, title, summary, text, " + ", ".join(search_index.INDEXED_COLUMNS)
                            + " from resources").fetchall()
    rows = [(i, *row[1:]) for i, row in enumerate(rows * repeat)]
    labels = search_index._label_maps()
    times = []
    for _ in range(3):
        db = sqlite_utils.Database(memory=True)
        start = time.perf_counter()
        search_index.refresh_vocabulary(db, rows, labels)
        times.append(time.perf_counter() - start)
    digest = db.execute("select valeur from recherche_etat").fetchone()[0]
    print(f"{len(rows)} lignes : médiane {statistics.median(times):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in times)}), empreinte {digest}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200)
