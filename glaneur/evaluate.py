"""`glaneur eval`: measure the normalizer against the labelled set in tests/eval.

Each line of labels.jsonl names a document (docs/NNN.txt, first line = title unless the label
gives one), what the source would have told us (published, fields, source row) and the expected
fields. Scores are per field, so a change that helps one field and hurts another shows.
"""

from __future__ import annotations

import json
import time
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from normalizers import normalize

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"
EVAL_TODAY = date(2026, 1, 1)  # fixed, so that year-less dates resolve the same on every run
SET_FIELDS = ("themes", "audiences", "organisations")
DATE_FIELDS = ("published", "deadline", "event_start", "event_end")
LABELS_FR = {
    "type": "Type (exactitude)",
    "themes": "Thèmes (F1 ensembliste)",
    "audiences": "Publics (F1 ensembliste)",
    "territories": "Territoires régions + départements (F1)",
    "scope": "Portée (exactitude)",
    "published": "Date de publication (exacte)",
    "deadline": "Date limite (exacte)",
    "event_start": "Début d'événement (exact)",
    "event_end": "Fin d'événement (exacte)",
    "location": "Lieu (correspondance souple)",
    "organisations": "Organisations (F1)",
}


def load_cases(eval_dir: Path) -> list[dict[str, Any]]:
    """Labelled cases with their document text; the title is the first non-empty line by default."""
    cases = []
    for line in (eval_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        text = (eval_dir / label["file"]).read_text(encoding="utf-8")
        title = label.get("title") or next((s.strip() for s in text.splitlines() if s.strip()), "")
        label["doc"] = {
            "title": title, "url": label.get("url", ""), "text": text, "summary": label.get("summary", ""),
            "published": label.get("published"), "kind": label.get("kind", "page"),
            "source_id": "eval", "fields": label.get("fields") or {},
        }
        cases.append(label)
    return cases


def _set_counts(expected: list[str], predicted: list[str]) -> tuple[int, int, int]:
    exp, pred = set(expected), set(predicted)
    return len(exp & pred), len(pred - exp), len(exp - pred)


def _f1(tp: int, fp: int, fn: int) -> float:
    if tp == fp == fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def _loose(value: str | None) -> str:
    value = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode().lower()
    return " ".join("".join(c if c.isalnum() else " " for c in value).split())


def _location_match(expected: str | None, predicted: str | None) -> bool:
    """Same place if either names the other (« Nantes » vs « Cité des congrès, Nantes »)."""
    exp, pred = _loose(expected), _loose(predicted)
    if not exp or not pred:
        return exp == pred
    return exp in pred or pred in exp


def _score(cases: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, int], list[dict[str, Any]], float]:
    """Scores, number of documents counted per exact-match field, errors, seconds spent."""
    counts = {name: [0, 0, 0] for name in (*SET_FIELDS, "territories")}
    exact = {name: [0, 0] for name in ("type", "scope", *DATE_FIELDS, "location")}  # [right, counted]
    errors: list[dict[str, Any]] = []
    started = time.perf_counter()
    for case in cases:
        predicted = normalize(case["doc"], case.get("source"), today=EVAL_TODAY)
        expected = case["expected"]
        wrong: dict[str, Any] = {}
        for name in SET_FIELDS:
            if name in expected:
                tp, fp, fn = _set_counts(expected[name], predicted[name])
                for i, n in enumerate((tp, fp, fn)):
                    counts[name][i] += n
                if fp or fn:
                    wrong[name] = {"attendu": sorted(expected[name]), "obtenu": sorted(predicted[name])}
        exp_t = [f"r{r}" for r in expected.get("regions", [])] + [f"d{d}" for d in expected.get("departements", [])]
        pred_t = [f"r{r}" for r in predicted["regions"]] + [f"d{d}" for d in predicted["departements"]]
        tp, fp, fn = _set_counts(exp_t, pred_t)
        for i, n in enumerate((tp, fp, fn)):
            counts["territories"][i] += n
        if fp or fn:
            wrong["territories"] = {"attendu": sorted(exp_t), "obtenu": sorted(pred_t)}
        exp_scope = "local" if expected.get("departements") else ("regional" if expected.get("regions") else "national")
        checks = {"type": (expected.get("type"), predicted["type"]), "scope": (exp_scope, predicted["scope"])}
        checks.update({name: (expected.get(name), predicted[name]) for name in DATE_FIELDS})
        for name, (exp, pred) in checks.items():
            if name in DATE_FIELDS and exp is None and pred is None:
                continue  # dates count where expected or predicted is non-null
            exact[name][1] += 1
            if exp == pred:
                exact[name][0] += 1
            else:
                wrong[name] = {"attendu": exp, "obtenu": pred}
        if "location" in expected and (expected["location"] or predicted["location"]):
            exact["location"][1] += 1
            if _location_match(expected["location"], predicted["location"]):
                exact["location"][0] += 1
            else:
                wrong["location"] = {"attendu": expected["location"], "obtenu": predicted["location"]}
        if wrong:
            errors.append({"id": case["id"], "titre": case["doc"]["title"][:90], "erreurs": wrong})
    elapsed = time.perf_counter() - started
    scores: dict[str, Any] = {"type": _ratio(exact["type"])}
    for name in ("themes", "audiences", "territories"):
        scores[name] = round(_f1(*counts[name]), 3)
    for name in ("scope", *DATE_FIELDS, "location"):
        scores[name] = _ratio(exact[name])
    scores["organisations"] = round(_f1(*counts["organisations"]), 3)
    return scores, {name: exact[name][1] for name in exact}, errors, elapsed


def run_eval(eval_dir: Path | None = None) -> dict:
    """Scores per field over the labelled set (and over its held-out part), plus the errors."""
    eval_dir = Path(eval_dir) if eval_dir else DEFAULT_DIR
    cases = load_cases(eval_dir)
    started = time.perf_counter()
    if cases:  # the first call loads the COG reference and compiles patterns: timed apart
        normalize(cases[0]["doc"], cases[0].get("source"), today=EVAL_TODAY)
    warmup = time.perf_counter() - started
    scores, counted, errors, elapsed = _score(cases)
    result = {
        "documents": len(cases),
        "synthetic": sum(1 for c in cases if c.get("synthetic")),
        "scores": scores,
        "counted": counted,
        "ms_per_document": round(1000 * elapsed / max(1, len(cases)), 1),
        "warmup_seconds": round(warmup, 2),
        "errors": errors,
    }
    holdout = [c for c in cases if c.get("holdout")]
    if holdout:
        result["holdout"] = {"documents": len(holdout), "scores": _score(holdout)[0]}
    return result


def _ratio(pair: list[int]) -> float:
    right, counted = pair
    return round(right / counted, 3) if counted else 1.0


def format_scores(scores: dict) -> str:
    """A French table of the scores, then the documents in error."""
    lines = [f"Jeu d'évaluation : {scores['documents']} documents ({scores['synthetic']} synthétiques)", ""]
    width = max(len(v) for v in LABELS_FR.values())
    for name, value in scores["scores"].items():
        counted = scores["counted"].get(name)
        suffix = f"   (sur {counted} documents)" if counted is not None and name != "type" else ""
        lines.append(f"  {LABELS_FR.get(name, name):<{width}}  {value:6.3f}{suffix}")
    if scores.get("holdout"):
        held = scores["holdout"]
        lines += ["", f"Dont documents tenus à l'écart du réglage ({held['documents']}) :"]
        lines += [f"  {LABELS_FR.get(k, k):<{width}}  {v:6.3f}" for k, v in held["scores"].items()]
    lines += ["", f"Temps moyen de normalisation : {scores['ms_per_document']} ms par document "
              f"(chargement initial du référentiel : {scores.get('warmup_seconds', 0)} s)"]
    if scores["errors"]:
        lines += ["", f"Documents avec au moins un écart : {len(scores['errors'])}"]
        for error in scores["errors"]:
            details = "; ".join(f"{k} attendu {v['attendu']} obtenu {v['obtenu']}" for k, v in error["erreurs"].items())
            lines.append(f"  - {error['id']} {error['titre']} : {details}")
    return "\n".join(lines)
