"""Fit the weights of the type's evidence (normalizers/type_model.yaml) on labelled cases.

A multinomial logistic regression with an L2 penalty, in numpy: each type's score is a weighted
sum of the named evidence of normalizers/types.py, so every weight stays readable and every
decision explainable. It is fitted on the development part and the regression part, never on the
held-out part, which measures it. The penalty is chosen by 5-fold cross-validation.

    python scripts/fit_type_model.py            # fit, report, write normalizers/type_model.json
    python scripts/fit_type_model.py --dry-run  # report only
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

from glaneur.evaluate import PARTS, load_cases  # noqa: E402
from normalizers.resource import read_page  # noqa: E402
from normalizers.types import TYPES, type_features  # noqa: E402

TRAIN_PARTS = ("dev", "regression")
# The regression part is the project's own older cases: they weigh double so that what the rules
# read well before (docs/quality.md) stays read well.
PART_WEIGHTS = {"dev": 1.0, "regression": 1.5}
PARTS_OF: list[str] = []  # the part of each case of dataset(), in order
MIN_CASES = 3
MIN_WEIGHT = 0.02  # smaller weights change no decision and only make the file longer
MODEL = ROOT / "normalizers" / "type_model.json"
PENALTIES = (0.003, 0.01, 0.03, 0.1)


def dataset() -> tuple[list[dict[str, float]], list[int], list[float]]:
    rows, labels, weights = [], [], []
    for part in TRAIN_PARTS:
        for case in load_cases(PARTS[part]):
            page = read_page(case["doc"])
            features = type_features(page.title, page.text, page.url, page.fields.get("categories"), page.dates)
            rows.append(features.finish())
            labels.append(TYPES.index(case["expected"]["type"]))
            weights.append(PART_WEIGHTS[part])
            PARTS_OF.append(part)
    return rows, labels, weights


def fit(x: np.ndarray, y: np.ndarray, penalty: float, sample: np.ndarray | None = None,
        steps: int = 3000) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression by Adam on the weighted mean cross-entropy plus penalty/2 * |W|²."""
    n, f = x.shape
    sample = np.ones(n) if sample is None else sample
    k = len(TYPES)
    w, b = np.zeros((f, k)), np.zeros(k)
    onehot = np.eye(k)[y]
    m = [np.zeros_like(w), np.zeros_like(b)]
    v = [np.zeros_like(w), np.zeros_like(b)]
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for step in range(1, steps + 1):
        logits = x @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(axis=1, keepdims=True)
        grad_logits = (prob - onehot) * sample[:, None] / sample.sum()
        grads = [x.T @ grad_logits + penalty * w, grad_logits.sum(axis=0)]
        for i, (param, grad) in enumerate(zip((w, b), grads, strict=True)):
            m[i] = beta1 * m[i] + (1 - beta1) * grad
            v[i] = beta2 * v[i] + (1 - beta2) * grad * grad
            param -= rate * (m[i] / (1 - beta1 ** step)) / (np.sqrt(v[i] / (1 - beta2 ** step)) + 1e-8)
    return w, b


def cross_predict(x: np.ndarray, y: np.ndarray, penalty: float, sample: np.ndarray, folds: int = 5) -> np.ndarray:
    """Each case predicted by the weights fitted without its fold."""
    order = np.random.default_rng(0).permutation(len(y))
    predicted = np.zeros(len(y), dtype=int)
    for fold in range(folds):
        test = order[fold::folds]
        train = np.setdiff1d(order, test)
        w, b = fit(x[train], y[train], penalty, sample[train])
        predicted[test] = (x[test] @ w + b).argmax(axis=1)
    return predicted


def cross_validate(x: np.ndarray, y: np.ndarray, penalty: float, sample: np.ndarray, folds: int = 5) -> float:
    return float((cross_predict(x, y, penalty, sample, folds) == y).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    rows, labels, sample_weights = dataset()
    frequency = Counter(name for row in rows for name in row)
    # A word seen on fewer than MIN_CASES pages teaches nothing that carries over to others.
    names = sorted(n for n, c in frequency.items() if c >= MIN_CASES or not n.startswith(("t_", "l_", "w_")))
    x = np.array([[row.get(name, 0.0) for name in names] for row in rows])
    y = np.array(labels)
    sample = np.array(sample_weights)
    print(f"{len(y)} cas ({', '.join(TRAIN_PARTS)}), {len(names)} indices")
    is_dev = np.array([part == "dev" for part in PARTS_OF])
    scores = {}
    for penalty in PENALTIES:
        predicted = cross_predict(x, y, penalty, sample)
        scores[penalty] = float((predicted[is_dev] == y[is_dev]).mean())
        print(f"  pénalité {penalty:<6} exactitude en validation croisée : développement {scores[penalty]:.3f}, "
              f"régression {(predicted[~is_dev] == y[~is_dev]).mean():.3f}")
    best = max(scores, key=lambda p: (scores[p], p))
    w, b = fit(x, y, best, sample)
    print(f"retenue : {best} ; exactitude sur l'apprentissage {((x @ w + b).argmax(axis=1) == y).mean():.3f}")
    if args.dry_run:
        predicted = cross_predict(x, y, best, sample)
        print("validation croisée, attendu -> obtenu :")
        for i, t in enumerate(TYPES):
            row = [int(((y == i) & (predicted == j)).sum()) for j in range(len(TYPES))]
            print(f"  {t:<16} {row}")
        return
    out = {
        "fitted_on": list(TRAIN_PARTS), "cases": int(len(y)), "penalty": best,
        "cross_validated_accuracy_dev": round(scores[best], 3),
        "bias": {t: round(float(b[i]), 3) for i, t in enumerate(TYPES)},
        "weights": {t: {name: round(float(w[j, i]), 3) for j, name in enumerate(names) if abs(w[j, i]) >= MIN_WEIGHT}
                    for i, t in enumerate(TYPES)},
    }
    out = {"about": "Weights of the type's evidence, written by scripts/fit_type_model.py: do not edit by hand, "
                    "change the evidence (keywords.yaml, type_evidence.yaml) and fit again.", **out}
    MODEL.write_text(json.dumps(out, ensure_ascii=False, indent=0, sort_keys=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
