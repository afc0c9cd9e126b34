"""Labelled evaluation cases: reading a folder of them, and checking their form.

A folder holds `labels*.jsonl` files (one JSON case per line) and the texts they name. The
checks are about form only (ids, files, slugs, COG codes, ISO dates): they never look at what
the normalizer predicts, so that labelling stays blind (docs/etiquetage.md).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATE_KEYS = ("published", "deadline", "event_start", "event_end")
SITE_KINDS = {"prefecture", "dreets_ddets", "departement", "region", "commune_ccas", "association", "reseau",
              "fondation", "formation", "recherche", "presse", "agregateur", "autre"}
TRAPS = {
    "cookie_banner", "section_label_first", "site_name_first", "date_first_line", "breadcrumb", "author_line",
    "loading_placeholder", "yearless_date", "weekday_year", "year_from_publication", "year_from_heading",
    "year_from_url", "window", "label_after_date", "opening_date", "timeline", "relative_date", "url_type",
    "type_headings", "news_presents_study", "news_presents_call", "title_without_type", "city_without_code",
    "multi_departements", "homonym", "code_also_region", "former_region", "false_territory_address",
    "false_territory_speaker", "false_territory_mention", "fieldwork_dates", "statistic_year",
    "past_event_no_year", "several_sessions", "overseas", "corsica", "online", "national",
}


class CaseError(ValueError):
    """A labels file that cannot be read; the message is French and names the line."""


def label_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("labels*.jsonl"))


def read_labels(folder: Path) -> list[dict[str, Any]]:
    """Every case of the folder, in file then line order; a malformed line is an error naming it."""
    folder = Path(folder)
    files = label_files(folder)
    if not files:
        raise CaseError(f"Aucun fichier labels*.jsonl dans {folder}")
    labels = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                label = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CaseError(f"{path.name}, ligne {number} : JSON illisible ({exc.msg})") from exc
            if not isinstance(label, dict) or "id" not in label or "file" not in label:
                raise CaseError(f"{path.name}, ligne {number} : il faut au moins « id » et « file »")
            label["_where"] = f"{path.name}:{number}"
            labels.append(label)
    return labels


def _taxonomy() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "data" / "taxonomy.yaml").read_text(encoding="utf-8"))


def _iso_or_none(value: Any) -> bool:
    if value is None:
        return True
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def check_case(label: dict[str, Any], folder: Path, taxonomy: dict[str, Any], dep_region: dict[str, str],
               regions: set[str]) -> list[str]:
    """What is wrong with one case, in French (empty when it is well formed)."""
    problems = []
    where = f"{label.get('id')} ({label.get('_where', '?')})"
    path = folder / label["file"]
    if not path.is_file():
        return [f"{where} : fichier introuvable {label['file']}"]
    text = path.read_text(encoding="utf-8")
    if len(text.strip()) < 200:
        problems.append(f"{where} : texte trop court ({len(text.strip())} caractères)")
    if not str(label.get("model_url", "")).startswith(("http://", "https://")):
        problems.append(f"{where} : « model_url » manquante (l'adresse de la page modèle)")
    if label.get("site") and label["site"] not in SITE_KINDS:
        problems.append(f"{where} : site inconnu « {label['site']} »")
    unknown = set(label.get("traps", [])) - TRAPS
    if unknown:
        problems.append(f"{where} : pièges inconnus {sorted(unknown)}")
    expected = label.get("expected")
    if not isinstance(expected, dict):
        return [*problems, f"{where} : « expected » manquant"]
    if expected.get("type") not in taxonomy["types"]:
        problems.append(f"{where} : type inconnu « {expected.get('type')} »")
    for name in ("themes", "audiences"):
        extra = set(expected.get(name, [])) - set(taxonomy[name])
        if extra:
            problems.append(f"{where} : {name} inconnus {sorted(extra)}")
    deps = expected.get("departements", [])
    regs = expected.get("regions", [])
    for code in deps:
        if code not in dep_region:
            problems.append(f"{where} : département inconnu « {code} »")
        elif dep_region[code] not in regs:
            problems.append(f"{where} : la région {dep_region[code]} du département {code} manque")
    for code in regs:
        if code not in regions:
            problems.append(f"{where} : région inconnue « {code} »")
    for name in DATE_KEYS:
        if not _iso_or_none(expected.get(name)):
            problems.append(f"{where} : {name} n'est pas une date AAAA-MM-JJ ni null : {expected.get(name)!r}")
    kind = expected.get("type")
    if expected.get("deadline") and kind != "appel_a_projets":
        problems.append(f"{where} : une date limite ne s'étiquette que pour un appel")
    if (expected.get("event_start") or expected.get("event_end")) and kind not in ("evenement", "formation"):
        problems.append(f"{where} : des dates d'événement ne s'étiquettent que pour un événement ou une formation")
    if bool(expected.get("event_start")) != bool(expected.get("event_end")):
        problems.append(f"{where} : event_start et event_end vont ensemble")
    elif expected.get("event_start") and expected["event_end"] < expected["event_start"]:
        problems.append(f"{where} : event_end précède event_start")
    return problems


def check_folder(folder: Path) -> list[str]:
    """Every problem of a folder of cases; an empty list means it is ready to be measured."""
    from normalizers.territories import cog

    folder = Path(folder)
    try:
        labels = read_labels(folder)
    except CaseError as exc:
        return [str(exc)]
    data = cog()
    taxonomy = _taxonomy()
    problems = []
    seen: dict[str, str] = {}
    for label in labels:
        if label["id"] in seen:
            problems.append(f"{label['id']} : identifiant en double ({seen[label['id']]} et {label['_where']})")
        seen[label["id"]] = label["_where"]
        problems += check_case(label, folder, taxonomy, data.dep_region, set(data.region_names))
    return problems
