"""Cost of normalize() per document: the bench mirror's pages and the evaluation's real-page cases.

The bench documents are the generated sites of scripts/bench/sites.py, extracted as the crawl
extracts them (title and date from the feed, text by trafilatura); the evaluation cases are the
dev and held-out parts of tests/eval, as `glaneur extract page.txt` reads them. Each document is
normalized `--rounds` times after a warm-up (the COG and patterns load once per process); the
figure is the median over documents of each one's fastest round, in milliseconds.

    python scripts/bench_normalize.py [--documents 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.bench.sites import generate  # noqa: E402


def bench_documents(limit: int) -> list[dict]:
    from pipelines.extract import extract_html

    docs = []
    with tempfile.TemporaryDirectory() as tmp:
        for site in generate(Path(tmp), sites=4, pages=max(1, limit // 4)):
            for page in sorted((site / "a").glob("*.html"), key=lambda p: int(p.stem)):
                html = page.read_text("utf-8")
                info = extract_html(html, f"http://127.0.0.1/{site.name}/a/{page.name}", full_metadata=False)
                title = html.split("<title>", 1)[1].split("</title>", 1)[0]
                published = html.split("article:published_time' content='", 1)[1][:10]
                docs.append({"url": f"http://127.0.0.1/{site.name}/a/{page.name}", "title": title,
                             "text": info.get("text", ""), "summary": info.get("summary", ""),
                             "published": published, "fields": {}})
    return docs[:limit]


def eval_documents() -> list[dict]:
    from glaneur.evaluate import PARTS, load_cases

    return [case["doc"] for part in ("dev", "heldout") for case in load_cases(PARTS[part])]


def timed(docs: list[dict], rounds: int) -> dict:
    from normalizers import normalize

    normalize(docs[0])  # loads the COG and compiles the patterns
    best = []
    for doc in docs:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            normalize(doc)
            times.append(time.perf_counter() - started)
        best.append(min(times))
    best.sort()
    return {"documents": len(docs), "median_ms": round(1000 * statistics.median(best), 2),
            "p90_ms": round(1000 * best[int(0.9 * (len(best) - 1))], 2), "max_ms": round(1000 * best[-1], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    result = {"bench": timed(bench_documents(args.documents), args.rounds),
              "real_pages": timed(eval_documents(), args.rounds)}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
