"""Where a resource applies: every place the page names, weighed by where and how it names it.

A careful reader takes the perimeter from the title, the address (a prefecture's site, a local
paper's section, the slug), the page's head and the sentences that state a perimeter (« sur le
territoire de », « Lieu : »), and leaves aside the organisation's address in the footer, the
speakers' home towns and the places quoted in passing (« comme à Lyon »). Each mention gets a
weight; the places whose total is close enough to the strongest one are the resource's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from normalizers.territories import (
    Commune,
    cog,
    host_territories,
    line_places,
    rules,
)
from normalizers.text import clean_typography, fold

WHERE_WEIGHT = {"titre": 3.0, "adresse": 2.5, "rubrique": 2.5, "site": 2.0, "tête": 1.5, "texte": 1.0,
                "pied": 0.3, "intervenant": 0.3}
WHERE_FR = {"titre": "titre", "adresse": "adresse de la page", "rubrique": "rubrique de l'adresse",
            "site": "site d'une autorité locale", "tête": "en tête de page", "texte": "texte",
            "pied": "coordonnées ou pied de page", "intervenant": "ligne d'un intervenant"}
KEEP_ABSOLUTE = 1.0  # a place needs at least one plain mention in the text…
KEEP_RELATIVE = 0.3  # …and a share of the strongest place's weight
FALLBACK = 0.5  # when no place reaches the floor, the strongest one if it weighs this much…
# …except for a study, a barometer or a tool: a lone weak mention there is an example or the
# authors' town, not the area studied (dev: 0.854 → 0.856, regression unchanged).
NO_FALLBACK_KINDS = ("etude", "barometre", "outil")
HEAD_CHARS = 800
OVERVIEW_REGIONS = 3  # places in this many régions, none in the title or address: a national overview
PERIMETER = re.compile(
    r"(sur le territoire|territoire d|dans le departement|du departement|de la region|en region|a l'echelle"
    r"|eligible|implante|situe|base a|basee a|aura lieu|auront lieu|se tiendra|se deroulera|lieu\s*:|rendez-vous"
    r"|habitants d|communes d|structures d|associations d|acteurs d|du territoire|sur la commune|dans la commune"
    r"|quartier|a destination d|pour les habitants|agglomeration|metropole|ville de|commune de|ccas d|cias d)")
PASSING = re.compile(  # whole words: « une action à Lyon » is not « né à », « avenue de » not « venu de »
    r"(?<![a-z])(comme a|comme en|comme au|a l'instar|a l'image|par exemple|notamment a|ailleurs|exemple de|a l'exemple"
    r"|originaire"
    r"|ne a|nee a|natif|ancien |ancienne |venu de|venue de|apres avoir|precedente|precedent|l'an dernier a"
    r"|avait eu lieu|s'etait tenue|derniere edition)")
STREET = re.compile(r"(?<![a-z])(rue|avenue|av\.|boulevard|bd|place|route|chemin|quai|allee|impasse|cours|faubourg)"
                    r"\s+(de\s+la\s+|de\s+l'|de\s+|du\s+|des\s+|d')?$")
FOOTER_START = re.compile(r"^\W*(contacts?|coordonnees|nous contacter|contactez|adresse|siege|mentions legales"
                          r"|pour tout renseignement|renseignements|plus d'informations|informations?)\b\W*",
                          re.IGNORECASE)
CONTACT_LINE = re.compile(r"(@|\btel\b|\btél|\b0\d(?:[ .]?\d{2}){4}\b|\bcedex\b|\bbp \d|\bcs \d)", re.IGNORECASE)
SPEAKER_LINE = re.compile(
    r"^\W{0,3}[A-ZÉÈ][a-zéèëïç-]+\s+[A-ZÉÈ][\wÉÈ'-]+(?:\s+[A-ZÉÈ][\wÉÈ'-]+)?\s*[,(–-]\s*.{0,120}"
    r"(president|directeur|directrice|charge|chargee|responsable|chercheur|chercheuse|maire|adjoint|coordinat"
    r"|fondat|benevole|elu|elue|delegue|deleguee|vice|conseill|professeur|docteur|dieteticien|animat)", re.IGNORECASE)
NATIONAL = re.compile(r"(\bnational\b|\bnationale\b|en france\b|france entiere|partout en france|toute la france"
                      r"|des francais|au niveau national|a l'echelle nationale|dans tout le pays|de france\b)")


@dataclass(frozen=True)
class Place:
    kind: str  # region | departement
    code: str
    where: str
    how: str  # the words that named it
    weight: float
    commune: Commune | None = None


def _zones(text: str, chrome: set[str] | None = None) -> list[tuple[str, str]]:
    """(line, zone) of every line: tête, texte, pied or intervenant; `chrome` holds the lines the
    title's choice set aside as the site's (its name, banners), which weigh like its footer."""
    out = []
    seen = 0
    footer = False
    chrome = chrome or set()
    for line in text.splitlines():
        stripped = line.strip()
        if FOOTER_START.match(stripped) and len(stripped) < 60:
            footer = True
        if footer or CONTACT_LINE.search(stripped) or (stripped and stripped[:80] in chrome):
            zone = "pied"
        elif SPEAKER_LINE.search(stripped) and len(stripped) < 260:
            zone = "intervenant"
        elif seen < HEAD_CHARS:
            zone = "tête"
        else:
            zone = "texte"
        seen += len(line) + 1
        out.append((line, zone))
    return out


def _url_parts(url: str) -> tuple[list[str], str]:
    """The address's section names and its slug, as words (« provence alpes cote d azur », …)."""
    try:
        path = unquote(urlsplit(url or "").path)
    except ValueError:
        return [], ""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return [], ""
    words = [re.sub(r"[-_]+", " ", s) for s in segments]
    return words[:-1], re.sub(r"\.(html?|php|aspx?)$", "", words[-1])


@lru_cache(maxsize=1)
def _area_names() -> dict[str, tuple[str, str]]:
    """Accent-free names of régions and départements, for an address's sections."""
    data = cog()
    names = {fold(n).replace("-", " "): ("region", c) for c, n in data.region_names.items()}
    names.update({fold(n).replace("-", " "): ("departement", c) for c, n in data.dep_names.items()})
    for code, aliases in rules()["region_aliases"].items():
        for alias in aliases:
            names.setdefault(fold(alias).replace("-", " "), ("region", str(code)))
    for name, area in list(names.items()):  # « /reunion/saint-denis/ » (la1ere.francetvinfo.fr)
        bare = re.sub(r"^(la|le|les|l) ", "", name)
        names.setdefault(bare, area)
    return names


def _section_places(sections: list[str]) -> list[Place]:
    """« /provence-alpes-cote-d-azur/alpes-maritimes/nice/ », « /oise-60/ », « /martinique/ »."""
    names = _area_names()
    out = []
    for section in sections:
        words = fold(section).strip()
        words = re.sub(r"\s+(\d{2,3}|2[ab])$", "", words)
        if words in names:
            kind, code = names[words]
            out.append(Place(kind, code, "rubrique", f"/{section}/", WHERE_WEIGHT["rubrique"]))
    return out


def gather(title: str, text: str, url: str, chrome: set[str] | None = None) -> list[Place]:
    """Every place the page names, with its weight."""
    places: list[Place] = []
    regions, deps, host = host_territories(url)
    places += [Place("region", r, "site", host, WHERE_WEIGHT["site"]) for r in regions]
    places += [Place("departement", d, "site", host, WHERE_WEIGHT["site"]) for d in deps]
    sections, slug = _url_parts(url)
    places += _section_places(sections)
    lead = slug.split(" ", 3)
    slug = " ".join([w.capitalize() for w in lead[:3]] + lead[3:])  # « creuse la banque… »: a name may open it
    sources = [(title, "titre"), (slug, "adresse")] + _zones(clean_typography(text or "")[:30000], chrome)
    head_f = fold(f"{title}\n{text[:HEAD_CHARS]}")
    national_head = bool(NATIONAL.search(head_f))
    scanned = [(line, zone, line_places(line, lead=zone == "adresse") if line and line.strip() else [])
               for line, zone in sources]
    column = _listed_lines(scanned)
    for index, (line, zone, found) in enumerate(scanned):
        if not found:
            continue
        line_f = fold(line)
        factor = 1.0
        if zone in ("tête", "texte") and PERIMETER.search(line_f):
            factor = 1.5
        # An eligibility list: three départements on one line, or short lines naming one each.
        listed = index in column or sum(1 for item in found if item[0] == "departement") >= 3
        for kind, code, surface, cue, commune, start in found:
            weight = WHERE_WEIGHT[zone] * factor * (2.0 if listed and kind == "departement" else 1.0)
            before = fold(clean_typography(line)[max(0, start - 40):start])
            if STREET.search(before):
                continue  # « avenue de La Rochelle », « rue de Paris »: a street, not a place
            if PASSING.search(before):
                weight *= 0.3
            if cue == "code postal" and zone not in ("pied", "intervenant"):
                weight *= 0.6  # an address: often the organiser's
            elif cue == "code" or (kind == "departement" and _CODE_NEXT.match(line, start + len(surface))):
                weight *= 1.5  # « Gard (30) »: the page states the code
            if national_head and zone == "texte":
                weight *= 0.5
            places.append(Place(kind, code, zone, f"« {surface} »" + (f" ({cue})" if cue else ""), weight, commune))
    return _resolve_homonyms(places)


LIST_WINDOW = 12  # lines
_CODE_NEXT = re.compile(r"\s*\(\s*(\d{2,3}|2[AB])\s*\)")


def _listed_lines(scanned: list[tuple[str, str, list]]) -> set[int]:
    """Indexes of short lines that each name a département, three or more within a few lines."""
    short = [i for i, (line, zone, found) in enumerate(scanned)
             if found and len(line.strip()) <= 80 and zone in ("tête", "texte")
             and sum(1 for item in found if item[0] == "departement") == 1]
    out: set[int] = set()
    for position, index in enumerate(short):
        group = [j for j in short[position:] if j - index <= LIST_WINDOW]
        if len(group) >= 3:
            out.update(group)
    return out


def _resolve_homonyms(places: list[Place]) -> list[Place]:
    """« Saint-Denis »: the one the rest of the page points to (La Réunion or Seine-Saint-Denis)."""
    data = cog()
    context_deps = {p.code for p in places if p.kind == "departement" and p.commune is None}
    context_regions = {p.code for p in places if p.kind == "region"} | {data.dep_region.get(d) for d in context_deps}
    overseas = any(r in ("01", "02", "03", "04", "06") for r in context_regions)
    out = []
    for place in places:
        commune = place.commune
        options = data.homonyms.get(_key(commune.name)) if commune else None
        if not options:
            out.append(place)
            continue
        chosen = next((c for c in options if c.departement in context_deps), None) or next(
            (c for c in options if data.dep_region.get(c.departement) in context_regions), None)
        if chosen is None and not overseas:
            chosen = next((c for c in options if len(c.departement) == 2
                           and c.population >= 0.2 * options[0].population), None)
        chosen = chosen or options[0]
        out.append(Place("departement", chosen.departement, place.where, place.how, place.weight, chosen))
    return out


def _key(name: str) -> str:
    from normalizers.territories import key

    return key(name)


def decide(places: list[Place], kind: str = "") -> tuple[list[str], list[str], list[str]]:
    """Régions, départements, and why (French lines for --explain)."""
    data = cog()
    dep_score: dict[str, float] = defaultdict(float)
    region_score: dict[str, float] = defaultdict(float)
    said: dict[tuple[str, str], list[str]] = defaultdict(list)
    for place in places:
        (dep_score if place.kind == "departement" else region_score)[place.code] += place.weight
        said[(place.kind, place.code)].append(f"{place.how} — {WHERE_FR[place.where]}")
    top = max([*dep_score.values(), *region_score.values()], default=0.0)
    dep_floor = region_floor = max(KEEP_ABSOLUTE, KEEP_RELATIVE * top)
    deps = [d for d, v in dep_score.items() if v >= dep_floor]
    regions = [r for r, v in region_score.items() if v >= region_floor]
    # A lone address or mention is better than nothing.
    if not deps and not regions and top >= FALLBACK and kind not in NO_FALLBACK_KINDS:
        best = max([("departement", c, v) for c, v in dep_score.items()] + [("region", c, v) for c, v in
                                                                            region_score.items()], key=lambda x: x[2])
        (deps if best[0] == "departement" else regions).append(best[1])
    kept_regions = set(regions) | {data.dep_region.get(d) for d in deps}
    strong = {p.code for p in places if p.where in ("titre", "adresse", "rubrique", "site")}
    overview = len(kept_regions) >= OVERVIEW_REGIONS and not strong & (set(deps) | set(regions))
    if overview or len(kept_regions) > rules()["max_regions"]:
        # Sites of a national study, towns of a network: the page speaks for the whole country
        # unless its title or address names one of them.
        spread = len(kept_regions)
        deps = [d for d in deps if d in strong]
        regions = [r for r in regions if r in strong]
    why = []
    if overview or len(kept_regions) > rules()["max_regions"]:
        why.append(f"lieux répartis sur {spread} régions sans appui du titre ni de l'adresse : vue d'ensemble "
                   "nationale, seuls les lieux du titre ou de l'adresse restent")
    for kind, values, scores in (("région", regions, region_score), ("département", deps, dep_score)):
        for code in values:
            lines = said[("region" if kind == "région" else "departement", code)]
            why.append(f"{kind} {code} (poids {scores[code]:.1f}) : " + " ; ".join(lines[:3]))
    left = [(k, c, v) for (k, c), v in
            [(("region", c), v) for c, v in region_score.items()]
            + [(("departement", c), v) for c, v in dep_score.items()]
            if c not in regions and c not in deps]
    floor_of = {"departement": dep_floor, "region": region_floor}
    for kind, code, value in sorted(left, key=lambda x: -x[2])[:3]:
        name = "région" if kind == "region" else "département"
        reason = (f"sous le seuil {floor_of[kind]:.1f}" if value < floor_of[kind] else "vue d'ensemble nationale")
        why.append(f"écarté : {name} {code} (poids {value:.1f}, {reason}) : " + " ; ".join(said[(kind, code)][:2]))
    return regions, deps, why
