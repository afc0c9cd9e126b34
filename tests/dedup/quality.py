"""Precision and recall of the deduplication on the labelled pairs (tests/dedup/pairs.jsonl).

Each pair is clustered on its own through the real stages. The normalized fields are written in
the pair (type, dates, organisations as normalize() puts them: the source's organisation first), so
the gate measures the deduplication, not the normalizers that other work changes.
Used by test_quality.py and by `python -m tests.dedup.quality`.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from dedup import DedupOptions, cluster_records, make_record
from dedup.ids import new_id

PAIRS = Path(__file__).with_name("pairs.jsonl")


def load_pairs(path: Path = PAIRS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def to_record(spec: dict, doc_id: str, opts: DedupOptions):
    url = spec.get("url") or f"https://{spec['source']}.example/{new_id(doc_id, spec['title'])}"
    doc = {
        "id": doc_id, "source_id": spec["source"], "url": url, "kind": spec.get("kind", "page"),
        "title": spec["title"], "text": "x" * spec.get("text_length", 0), "parent_url": None,
        "content_hash": spec.get("content_hash") or new_id(doc_id, "hash"),
    }
    organisations = [spec["organisation"], *(o for o in spec.get("organisations", []) if o != spec["organisation"])]
    fields = {
        "title": spec["title"], "type": spec.get("type_hint", "actualite"), "published": spec.get("published"),
        "deadline": spec.get("deadline"), "event_start": spec.get("event_start"), "organisations": organisations,
    }
    return make_record(doc, fields, opts.min_text_for_hash)


def predict(pair: dict, opts: DedupOptions) -> bool:
    a = to_record(pair["a"], pair["id"] + "a", opts)
    b = to_record(pair["b"], pair["id"] + "b", opts)
    return len(cluster_records([a, b], opts)) == 1


def evaluate(opts: DedupOptions | None = None, pairs: list[dict] | None = None) -> dict:
    opts = opts or DedupOptions()
    pairs = pairs if pairs is not None else load_pairs()
    counts: Counter = Counter()
    errors = []
    for pair in pairs:
        same, merged = pair["label"] == "same", predict(pair, opts)
        counts[("tp" if same else "fp") if merged else ("fn" if same else "tn")] += 1
        if same != merged:
            errors.append((pair["id"], pair["category"], pair["a"]["title"], pair["b"]["title"]))
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {
        "pairs": len(pairs), "tp": tp, "fp": fp, "fn": fn, "tn": counts["tn"],
        "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
        "errors": errors,
    }


if __name__ == "__main__":
    result = evaluate()
    for error in result.pop("errors"):
        print("ERREUR", *error, sep=" | ")
    print(json.dumps(result, indent=1))
