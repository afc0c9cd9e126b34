"""`glaneur eval`: measure the normalizer against labelled cases, part by part.

The project keeps three parts (docs/quality.md): the regression set the rules were first tuned
on (tests/eval), a development set modelled on real pages (tests/eval/dev) and a held-out set
written before the rules were changed and never tuned on (tests/eval/heldout). Any folder of
cases in the same form can be measured with `--dir`. A case's text goes through the same path as
`glaneur extract page.txt --url …`, so what is measured is what an operator gets.
"""

from __future__ import annotations

import statistics
import time
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from glaneur.eval_cases import read_labels
from glaneur.single import text_document
from normalizers import normalize
from normalizers.types import TYPES

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"
DEFAULT_DIR = EVAL_DIR
PARTS = {"regression": EVAL_DIR, "dev": EVAL_DIR / "dev", "heldout": EVAL_DIR / "heldout"}
PART_NAMES_FR = {"regression": "régression", "dev": "développement", "heldout": "tenu à l'écart"}
# The regression labels resolve a year-less date against this day when the page gives none; the
# other parts never depend on the day (a date without a year the page can give is no date).
EVAL_TODAY = date(2026, 1, 1)
SET_FIELDS = ("themes", "audiences", "organisations")
DATE_FIELDS = ("published", "deadline", "event_start", "event_end")
STATED_DATES = ("deadline", "event_start", "event_end")  # the dates the portal's listings stand on
LABELS_FR = {
    "type": "Type (exactitude)",
    "themes": "Thèmes (F1 ensembliste)",
    "audiences": "Publics (F1 ensembliste)",
    "territories": "Territoires régions + départements (F1)",
    "territories_precision": "  dont précision",
    "territories_recall": "  dont rappel",
    "scope": "Portée (exactitude)",
    "published": "Date de publication (exacte)",
    "deadline": "Date limite (exacte)",
    "event_start": "Début d'événement (exact)",
    "event_end": "Fin d'événement (exacte)",
    "invented_dates": "Dates produites sans date dans la page (pour 100 pages)",
    "location": "Lieu (correspondance souple)",
    "organisations": "Organisations (F1)",
}
TYPE_SHORT = {"etude": "etu", "barometre": "bar", "appel_a_projets": "aap", "formation": "for",
              "evenement": "evt", "bonne_pratique": "pra", "outil": "out", "actualite": "act"}


def load_cases(folder: Path) -> list[dict[str, Any]]:
    """Labelled cases of a folder with the document each one stands for."""
    folder = Path(folder)
    cases = []
    for label in read_labels(folder):
        text = (folder / label["file"]).read_text(encoding="utf-8")
        doc = text_document(text, url=label.get("url") or "", title=label.get("title") or "")
        doc.update({"summary": label.get("summary", ""), "published": label.get("published"),
                    "kind": label.get("kind", "page"), "source_id": "eval", "fields": label.get("fields") or {}})
        label["doc"] = doc
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


def _territory_codes(fields: dict[str, Any]) -> list[str]:
    return [f"r{r}" for r in fields.get("regions", [])] + [f"d{d}" for d in fields.get("departements", [])]


def _ratio(pair: list[int]) -> float:
    right, counted = pair
    return round(right / counted, 3) if counted else 1.0


def score_cases(cases: list[dict[str, Any]], today: date | None) -> dict[str, Any]:
    """Scores of one part: per field, the type's confusion table, the misses, the time spent."""
    counts = {name: [0, 0, 0] for name in (*SET_FIELDS, "territories")}
    exact = {name: [0, 0] for name in ("type", "scope", *DATE_FIELDS, "location")}  # [right, counted]
    confusion: dict[str, dict[str, int]] = {}
    invented = 0
    errors: list[dict[str, Any]] = []
    durations = []
    for case in cases:
        started = time.perf_counter()
        predicted = normalize(case["doc"], case.get("source"), today=case.get("today_date") or today)
        durations.append(time.perf_counter() - started)
        expected = case["expected"]
        wrong: dict[str, Any] = {}
        for name in SET_FIELDS:
            if name in expected:
                tp, fp, fn = _set_counts(expected[name], predicted[name])
                for i, n in enumerate((tp, fp, fn)):
                    counts[name][i] += n
                if fp or fn:
                    wrong[name] = {"attendu": sorted(expected[name]), "obtenu": sorted(predicted[name])}
        exp_t, pred_t = _territory_codes(expected), _territory_codes(predicted)
        tp, fp, fn = _set_counts(exp_t, pred_t)
        for i, n in enumerate((tp, fp, fn)):
            counts["territories"][i] += n
        if fp or fn:
            wrong["territories"] = {"attendu": sorted(exp_t), "obtenu": sorted(pred_t)}
        exp_scope = "local" if expected.get("departements") else ("regional" if expected.get("regions") else "national")
        exp_type = expected.get("type")
        confusion.setdefault(exp_type, {}).setdefault(predicted["type"], 0)
        confusion[exp_type][predicted["type"]] += 1
        checks = {"type": (exp_type, predicted["type"]), "scope": (exp_scope, predicted["scope"])}
        checks.update({name: (expected.get(name), predicted[name]) for name in DATE_FIELDS})
        for name, (exp, pred) in checks.items():
            if name in DATE_FIELDS and exp is None and pred is None:
                continue  # dates count where expected or predicted is non-null
            if name in STATED_DATES and exp is None:
                invented += 1
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
            errors.append({"id": case["id"], "titre": predicted["title"][:90], "erreurs": wrong})
    tp, fp, fn = counts["territories"]
    scores: dict[str, Any] = {"type": _ratio(exact["type"])}
    for name in ("themes", "audiences"):
        if any(name in c["expected"] for c in cases):
            scores[name] = round(_f1(*counts[name]), 3)
    scores["territories"] = round(_f1(tp, fp, fn), 3)
    scores["territories_precision"] = round(tp / (tp + fp), 3) if tp + fp else 1.0
    scores["territories_recall"] = round(tp / (tp + fn), 3) if tp + fn else 1.0
    for name in ("scope", *DATE_FIELDS):
        scores[name] = _ratio(exact[name])
    scores["invented_dates"] = round(100 * invented / max(1, len(cases)), 1)
    if exact["location"][1]:
        scores["location"] = _ratio(exact["location"])
    if any("organisations" in c["expected"] for c in cases):
        scores["organisations"] = round(_f1(*counts["organisations"]), 3)
    return {
        "documents": len(cases),
        "synthetic": sum(1 for c in cases if c.get("synthetic")),
        "scores": scores,
        "counted": {name: exact[name][1] for name in exact},
        "confusion": confusion,
        "ms_per_document": round(1000 * statistics.fmean(durations), 2) if durations else 0.0,
        "ms_median": round(1000 * statistics.median(durations), 2) if durations else 0.0,
        "errors": errors,
    }


def run_eval(folders: dict[str, Path] | Path | None = None) -> dict[str, Any]:
    """Scores of each part. `folders` maps part names to folders; a single folder is one part."""
    if folders is None:
        folders = {name: path for name, path in PARTS.items() if any(path.glob("labels*.jsonl"))}
    elif not isinstance(folders, dict):
        folders = {Path(folders).name or "jeu": Path(folders)}
    loaded = {name: load_cases(path) for name, path in folders.items()}
    started = time.perf_counter()
    for cases in loaded.values():  # the first call loads the COG and compiles patterns: timed apart
        if cases:
            normalize(cases[0]["doc"], cases[0].get("source"), today=EVAL_TODAY)
            break
    warmup = time.perf_counter() - started
    parts = {}
    for name, cases in loaded.items():
        today = EVAL_TODAY if Path(folders[name]).resolve() == EVAL_DIR.resolve() else None
        parts[name] = {"folder": str(folders[name]), **score_cases(cases, today)}
    return {"parts": parts, "warmup_seconds": round(warmup, 2)}


def _confusion_lines(confusion: dict[str, dict[str, int]]) -> list[str]:
    seen = [t for t in TYPES if t in confusion or any(t in row for row in confusion.values())]
    head = "attendu \\ obtenu".ljust(18) + "".join(TYPE_SHORT[t].rjust(5) for t in seen)
    lines = [head]
    for expected in seen:
        row = confusion.get(expected, {})
        if not row:
            continue
        cells = "".join((str(row.get(t, "")) if row.get(t) else ".").rjust(5) for t in seen)
        lines.append(f"{expected:<18}{cells}   {row.get(expected, 0)}/{sum(row.values())}")
    legend = ", ".join(f"{TYPE_SHORT[t]} = {t}" for t in seen)
    return [*lines, f"({legend})"]


def format_part(name: str, part: dict[str, Any], misses: bool = True) -> list[str]:
    title = PART_NAMES_FR.get(name, name)
    lines = [f"== Partie « {title} » : {part['documents']} cas ({part['synthetic']} synthétiques) "
             f"— {part['folder']}", ""]
    width = max(len(v) for v in LABELS_FR.values())
    for field, value in part["scores"].items():
        counted = part["counted"].get(field)
        suffix = f"   (sur {counted} cas)" if counted is not None and field != "type" else ""
        shown = f"{value:6.1f}" if field == "invented_dates" else f"{value:6.3f}"
        lines.append(f"  {LABELS_FR.get(field, field):<{width}}  {shown}{suffix}")
    lines += ["", "  Types, table de confusion :"]
    lines += [f"    {line}" for line in _confusion_lines(part["confusion"])]
    lines += ["", f"  Normalisation : {part['ms_median']} ms médian, {part['ms_per_document']} ms en moyenne par cas"]
    if misses and part["errors"]:
        lines += ["", f"  Cas avec au moins un écart : {len(part['errors'])}"]
        for error in part["errors"]:
            details = "; ".join(f"{k} attendu {v['attendu']} obtenu {v['obtenu']}" for k, v in error["erreurs"].items())
            lines.append(f"    - {error['id']} « {error['titre']} » : {details}")
    return lines


def format_scores(result: dict[str, Any], misses: bool = True) -> str:
    """A French report: each part's scores, its confusion table, then its misses."""
    lines: list[str] = []
    for name, part in result["parts"].items():
        lines += [*format_part(name, part, misses), ""]
    lines.append(f"Chargement initial du référentiel : {result.get('warmup_seconds', 0)} s")
    return "\n".join(lines)
