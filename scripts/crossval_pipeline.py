"""Honest scores of the whole normalizer on the development part, by 5-fold cross-validation.

The type's weights are fitted on the development part, so `glaneur eval --partie dev` reads them
in-sample and flatters the type and every date that depends on it. Here each dev case is
normalized with weights fitted without its fold (same folds, penalty and features as
scripts/fit_type_model.py): the figures a page the rules have never seen can expect, measured
without touching the held-out part.

    python scripts/crossval_pipeline.py [--penalty 0.03]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import normalizers.types as types  # noqa: E402
from glaneur.evaluate import PARTS, load_cases, score_cases  # noqa: E402
from scripts.fit_type_model import MIN_CASES, PARTS_OF, dataset, fit  # noqa: E402

FIELDS = ("type", "scope", "published", "deadline", "event_start", "event_end")


def fold_model(names: list[str], w: np.ndarray, b: np.ndarray) -> dict:
    return {"bias": {t: float(b[i]) for i, t in enumerate(types.TYPES)},
            "weights": {t: {n: float(w[j, i]) for j, n in enumerate(names) if w[j, i]}
                        for i, t in enumerate(types.TYPES)}}


def use_model(fitted: dict) -> None:
    types.model = lambda: fitted  # _weights() reads the module's model()
    types._weights.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--penalty", type=float, default=None, help="défaut : celle de type_model.json")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--ecarts", action="store_true", help="liste les écarts de type et de dates")
    args = parser.parse_args()
    penalty = args.penalty or types.model().get("penalty", 0.03)
    rows, labels, sample_weights = dataset()
    frequency = Counter(name for row in rows for name in row)
    names = sorted(n for n, c in frequency.items() if c >= MIN_CASES or not n.startswith(("t_", "l_", "w_")))
    x = np.array([[row.get(name, 0.0) for name in names] for row in rows])
    y, sample = np.array(labels), np.array(sample_weights)
    dev_cases = load_cases(PARTS["dev"])
    dev_rows = [i for i, part in enumerate(PARTS_OF) if part == "dev"]
    assert len(dev_rows) == len(dev_cases)
    order = np.random.default_rng(0).permutation(len(y))  # the folds of fit_type_model.cross_predict
    right: Counter = Counter()
    counted: Counter = Counter()
    invented = 0.0
    misses: list[dict] = []
    for fold in range(args.folds):
        test = order[fold::args.folds]
        train = np.setdiff1d(order, test)
        w, b = fit(x[train], y[train], penalty, sample[train])
        use_model(fold_model(names, w, b))
        held = set(test.tolist())
        cases = [case for row, case in zip(dev_rows, dev_cases, strict=True) if row in held]
        part = score_cases(cases, None)
        for name in FIELDS:
            counted[name] += part["counted"][name]
            right[name] += round(part["scores"][name] * part["counted"][name])
        invented += part["scores"]["invented_dates"] * len(cases) / 100
        misses += [error for error in part["errors"] if set(error["erreurs"]) & set(FIELDS)]
    result = {"cases": len(dev_cases), "penalty": penalty,
              **{name: round(right[name] / counted[name], 3) if counted[name] else None for name in FIELDS},
              "counted": dict(counted), "invented_dates_per_100": round(100 * invented / len(dev_cases), 1)}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.ecarts:
        for error in sorted(misses, key=lambda e: e["id"]):
            wrong = {k: (v["attendu"], v["obtenu"]) for k, v in error["erreurs"].items() if k in FIELDS}
            print(error["id"], json.dumps(wrong, ensure_ascii=False))


if __name__ == "__main__":
    main()
