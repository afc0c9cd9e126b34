"""Resource type: the source's explicit hint first, then weighted evidence.

A page is described by named pieces of evidence: the keywords of its title and text for each type
(keywords.yaml), the sections and slug of its address, its headings, the roles of its dates
(normalizers/page_dates.py), the kind of site it is on, and markers of a report, of winners, of a
coming event, of a recurring measure (type_evidence.yaml). Each type's score is a weighted sum of
them (type_model.json); the weights are fitted on the development part of the evaluation
(scripts/fit_type_model.py), never on the held-out part. Every contribution is kept, so
`glaneur extract --explain` shows why a page became what it became, and what came second.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from normalizers.keywords import hits, lead, vocabulary
from normalizers.page_dates import (
    DEADLINE,
    EVENT,
    NONE,
    OPENING,
    PUBLISHED,
    REGISTRATION,
    RELATIVE_DAY,
    UPDATED,
    WINDOW,
    PageDates,
)
from normalizers.text import alternation, fold

HERE = Path(__file__).parent
TYPES = ("etude", "barometre", "appel_a_projets", "formation", "evenement", "bonne_pratique", "outil", "actualite")
TYPE_LABELS_FR = {"etude": "étude", "barometre": "baromètre", "appel_a_projets": "appel à projets",
                  "formation": "formation", "evenement": "événement", "bonne_pratique": "pratique inspirante",
                  "outil": "outil", "actualite": "actualité"}
REPORT_MARGIN = 0.1  # a report on an event outranks what would have made it the event
SOURCES_FR = {"title": "titre", "text": "texte", "url": "rubrique de l'adresse", "slug": "adresse (titre de la page)",
              "head": "intertitres"}


@dataclass(frozen=True)
class Evidence:
    slug: str
    weight: float
    name: str  # the feature, or a rule's French words when `words` is None
    words: tuple[str, ...] | None = None

    @property
    def what(self) -> str:
        """French: « titre, mots de « formation » : « formation » », « rubrique de l'adresse … »."""
        return self.name if self.words is None else _describe(self.name, list(self.words))


@dataclass
class TypeDecision:
    slug: str
    rule: str
    scores: dict[str, float] = field(default_factory=dict)
    rules_evidence: list[Evidence] = field(default_factory=list)  # the source's habit, a report's title
    # (feature, value, (slug, weight)…) of each weighted feature, and the words each was read from
    weighed: list[tuple[str, float, tuple[tuple[str, float], ...]]] = field(default_factory=list)
    words: dict[str, Any] = field(default_factory=dict)

    @property
    def evidence(self) -> list[Evidence]:
        """Every weighted piece of evidence, in reading order, built only when asked (--explain):
        building it for every page cost 15 % of normalize()."""
        return [Evidence(slug, round(weight * value, 2), name, tuple(self.words[name]))
                for name, value, pairs in self.weighed for slug, weight in pairs] + self.rules_evidence

    @property
    def runner_up(self) -> tuple[str, float] | None:
        others = [(s, v) for s, v in self.scores.items() if s != self.slug]
        return max(others, key=lambda x: x[1]) if others else None


@lru_cache(maxsize=1)
def evidence_rules() -> dict[str, Any]:
    return yaml.safe_load((HERE / "type_evidence.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def model() -> dict[str, Any]:
    """Fitted weights: {"bias": {type: w}, "weights": {type: {feature: w}}}."""
    path = HERE / "type_model.json"  # JSON: a YAML file of this size takes a second to read
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"bias": {}, "weights": {}}


def _table(section: str, key: Any = fold) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = defaultdict(list)
    for slug, words in evidence_rules()[section].items():
        for word in words:
            table[key(word)].append(slug)
    return {word: tuple(slugs) for word, slugs in table.items()}


@lru_cache(maxsize=1)
def _url_sections() -> dict[str, tuple[str, ...]]:
    return _table("url_sections", key=str)


@lru_cache(maxsize=1)
def _headings() -> dict[str, tuple[str, ...]]:
    return _table("headings")


@lru_cache(maxsize=8)
def _marker_pattern(section: str) -> re.Pattern:
    words = [fold(w) for w in evidence_rules()[section]]
    return re.compile(rf"(?<![a-z])(?:{alternation(words)})(?![a-z])")


@lru_cache(maxsize=1)
def _weights() -> tuple[dict[str, float], dict[str, tuple[tuple[str, float], ...]]]:
    """The fitted model by feature: each feature's weight for each type it counts for."""
    fitted = model()
    bias = {slug: float(fitted["bias"].get(slug, 0.0)) for slug in TYPES}
    table: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for slug in TYPES:
        for name, weight in fitted["weights"].get(slug, {}).items():
            table[name].append((slug, float(weight)))
    return bias, {name: tuple(pairs) for name, pairs in table.items()}


def _hint_type(hint: str | None) -> str | None:
    """A hint is a slug (« formation ») or a source's own label (« Appel à projets »)."""
    if not hint:
        return None
    if hint in TYPES:
        return hint
    vocab = vocabulary("types")
    found: dict[str, int] = defaultdict(int)
    for word, count in hits(vocab, fold(str(hint)) + " ").items():
        for slug in vocab.owners[word]:
            found[slug] += vocab.weights.get(word, 1) * count
    return max(found, key=lambda s: found[s]) if found else None


class Features:
    """Named feature values of one page, each with the words that gave it (for explanations)."""

    def __init__(self) -> None:
        self.values: dict[str, float] = defaultdict(float)
        self.words: dict[str, list[str]] = defaultdict(list)

    def add(self, name: str, value: float, word: str) -> None:
        self.values[name] += value
        if word and word not in self.words[name]:
            self.words[name].append(word)

    def finish(self) -> dict[str, float]:
        """Keyword sums grow with the text: their logarithm weighs the first hits most."""
        return {name: (math.log1p(v) if name.startswith(("kw_", "slug_")) else v) for name, v in self.values.items()}


def _keyword_features(out: Features, title: str, text: str, categories: str) -> None:
    vocab = vocabulary("types")
    head = lead(title)
    parts = [("title", fold(f"{title} {categories}") + " ", 1.0, 1)]
    if head != title:
        parts.append(("title", fold(head) + " ", 0.5, 1))
    parts.append(("text", fold(text[:vocab.text_window]) + " ", 1.0, 2))
    for where, folded, factor, cap in parts:
        for word, count in hits(vocab, folded).items():
            for slug in vocab.owners[word]:
                out.add(f"kw_{where}_{slug}", factor * vocab.weights.get(word, 1) * min(count, cap), word.strip())
            if factor == 1.0:
                out.add(f"w_{where}_{word.strip()}", 1.0, word.strip())


def _path(url: str) -> tuple[list[str], str, str]:
    """Section words of the address's path, its last segment as words, and its host."""
    try:
        parts = urlsplit(url or "")
        path = unquote(parts.path)
        host = (parts.hostname or "").lower()
    except ValueError:
        return [], "", ""
    segments = [s for s in fold(path).split("/") if s]
    if not segments:
        return [], "", host
    last = re.sub(r"\.(html?|php|aspx?|pdf)$", "", segments[-1])
    sections = [re.sub(r"[\s_]+", "-", s) for s in segments[:-1]]
    words = [w for s in segments[:-1] for w in re.split(r"[-_.\s]+", s) if w]
    return sections + words, re.sub(r"[-_]+", " ", last), host


def _url_features(out: Features, url: str, title: str) -> None:
    sections_table = _url_sections()
    words, slug_text, host = _path(url)
    seen: set[str] = set()
    for word in words:
        for slug in sections_table.get(word, ()):
            if slug not in seen:
                seen.add(slug)
                out.add(f"url_{slug}", 1.0, f"/{word}/")
    if slug_text and fold(slug_text) not in fold(title):
        vocab = vocabulary("types")
        for word, count in hits(vocab, fold(slug_text) + " ").items():
            for slug in vocab.owners[word]:
                out.add(f"slug_{slug}", vocab.weights.get(word, 1) * min(count, 1), word.strip())
    rules = evidence_rules()
    labels = set(re.split(r"[.-]", host))
    for name, section in (("host_press", "press_hosts"), ("host_documents", "document_hosts")):
        found = next((w for w in rules[section] if w in labels or w in host.split(".")), None)
        if found:
            out.add(name, 1.0, host)
    if host.endswith(".gouv.fr") or ".gouv.fr" in host:
        out.add("host_state", 1.0, host)


_HEADING_LINE = re.compile(r"^[\W\d]*(?P<h>[^\n]{3,60}?)\s*[:?]?\s*$")


def _heading_features(out: Features, text: str, title: str) -> None:
    table = _headings()
    counts: dict[str, int] = defaultdict(int)
    title_f = fold(title)
    for raw in text[:6000].splitlines():
        line = raw.strip()
        if not line or len(line) > 60 or line.endswith((".", ",", ";")):
            continue
        match = _HEADING_LINE.match(line)
        if not match:
            continue
        key = fold(match["h"]).strip(" :?-")
        if key == title_f:
            continue
        for slug in table.get(key, ()):
            if counts[slug] < evidence_rules()["heading_cap"]:
                counts[slug] += 1
                out.add(f"head_{slug}", 1.0, line)


_DATE_FEATURES = {DEADLINE: "date_deadline", WINDOW: "date_window", OPENING: "date_opening",
                  REGISTRATION: "date_registration", PUBLISHED: "date_published", UPDATED: "date_published"}


def _date_features(out: Features, dates: PageDates | None) -> None:
    if dates is None:
        return
    for item in dates.evidence:
        if item.where == RELATIVE_DAY:
            continue  # read from the page's own date: no evidence of its kind (the weights never saw it)
        name = _DATE_FEATURES.get(item.role)
        if item.role == EVENT:
            name = "date_event_time" if item.has_time else (
                "date_event_title" if item.in_title else "date_event")
        if name and name not in out.values:
            out.add(name, 1.0, f"{item.expression} ({item.start.isoformat()})")
        # A session dated before the page itself is reported, not announced.
        if item.role in (EVENT, NONE) and dates.published and item.where == "texte":
            name = "date_event_before" if item.end < dates.published else "date_event_after"
            if name not in out.values:
                out.add(name, 1.0, f"{item.expression} ({item.start.isoformat()})")


def _marker_features(out: Features, title: str, text: str) -> None:
    title_f = fold(title)
    text_f = fold(text[:3000])
    for name, section, where in (("title_winners", "winner_markers", title_f), ("title_past", "past_markers", title_f),
                                 ("text_past", "past_markers", text_f), ("text_future", "future_markers", text_f),
                                 ("title_recurring", "recurring_markers", title_f),
                                 ("text_recurring", "recurring_markers", text_f)):
        found = _marker_pattern(section).findall(where)
        if found:
            out.add(name, min(len(found), 3) if where is text_f else 1.0, ", ".join(dict.fromkeys(found)))
    if title.rstrip().endswith("?"):
        out.add("title_question", 1.0, title[-40:])


_WORD = re.compile(r"[a-z]{4,}")
# Single words count half as much as named evidence, so that under one penalty their weights pay
# four times more: dev cross-validated accuracy 0.770 -> 0.780 (scripts/fit_type_model.py).
WORD_VALUE = 0.5
LEAD_CHARS = 1200  # the page's opening words, where a page says what it is


def _word_features(out: Features, title: str, url: str, text: str) -> None:
    """Every word of the title and the address's slug, and of the page's opening."""
    _, slug, _ = _path(url)
    for word in set(_WORD.findall(fold(f"{title} {slug}"))):
        out.add(f"t_{word}", WORD_VALUE, word)
    for word in set(_WORD.findall(fold(text[:LEAD_CHARS]))):
        out.add(f"l_{word}", WORD_VALUE, word)


def type_features(title: str, text: str = "", url: str = "", categories: list[str] | None = None,
                  dates: PageDates | None = None) -> Features:
    """Every piece of evidence the type is decided from (see the module's docstring)."""
    out = Features()
    _keyword_features(out, title, text, " ".join(str(c) for c in categories or []))
    _url_features(out, url, title)
    _heading_features(out, text, title)
    _date_features(out, dates)
    _marker_features(out, title, text)
    _word_features(out, title, url, text)
    return out


def _describe(name: str, words: list[str]) -> str:
    shown = ", ".join(f"« {w} »" for w in words[:4])
    parts = name.split("_")
    if parts[0] == "w":
        return f"{SOURCES_FR[parts[1]]} : « {'_'.join(parts[2:])} »"
    if parts[0] in ("t", "l"):
        return f"{'mot du titre ou de l’adresse' if parts[0] == 't' else 'mot de l’ouverture de la page'} : {shown}"
    if parts[0] in ("kw", "slug", "url", "head"):
        source = SOURCES_FR["title" if parts[0] == "kw" and parts[1] == "title" else
                            "text" if parts[0] == "kw" else parts[0]]
        slug = "_".join(parts[2:] if parts[0] == "kw" else parts[1:])
        return f"{source}, mots de « {TYPE_LABELS_FR.get(slug, slug)} » : {shown}"
    labels = {"host_press": "site de presse", "host_documents": "site d'hébergement de documents",
              "host_state": "site de l'État", "title_winners": "lauréats dans le titre",
              "title_past": "compte rendu dans le titre", "text_past": "récit au passé",
              "text_future": "annonce d'un rendez-vous", "title_recurring": "mesure récurrente dans le titre",
              "text_recurring": "mesure récurrente dans le texte", "title_question": "titre en question",
              "date_deadline": "une date limite", "date_window": "une fenêtre de dépôt",
              "date_opening": "une date d'ouverture", "date_registration": "une date limite d'inscription",
              "date_published": "une date de publication", "date_event_time": "une date avec son heure",
              "date_event_title": "une date dans le titre", "date_event": "une date de session",
              "date_event_before": "une date de session antérieure à la page",
              "date_event_after": "une date de session postérieure à la page"}
    return f"{labels.get(name, name)} : {shown}"


DATED = ("evenement", "formation")  # the types whose resources carry an event's dates
DATED_SHARE = 0.40  # of the weighted evidence's probability, event and training together
REPORT_GAP = timedelta(days=2)


def _sessions_before_the_page(dates: PageDates | None) -> str:
    """The page's date when every session it dates ended days before it (dev: 10 news, 2 studies
    and 1 event of 14 such pages), else ""."""
    if dates is None or dates.published is None:
        return ""
    sessions = [item for item in dates.evidence if item.role == EVENT and item.where == "texte"]
    if sessions and all(item.end < dates.published - REPORT_GAP for item in sessions):
        return dates.published.isoformat()
    return ""


def _dated_share(scores: dict[str, float], allowed: list[str]) -> float:
    """Probability (softmax of the weighted scores) that the page announces a dated session."""
    top = max(scores[t] for t in allowed)
    odds = {t: math.exp(scores[t] - top) for t in allowed}
    return sum(v for t, v in odds.items() if t in DATED) / sum(odds.values())


def decide_type(title: str, text: str = "", url: str = "", hint: str | None = None, default: str | None = None,
                categories: list[str] | None = None, dates: PageDates | None = None) -> TypeDecision:
    """Exactly one slug of the taxonomy, with the evidence that decided it."""
    explicit = _hint_type(hint)
    if explicit:
        return TypeDecision(explicit, f"indication de la source : « {hint} »", {explicit: 1.0})
    features = type_features(title, text, url, categories, dates)
    values = features.finish()
    if not any(name.startswith(("kw_", "url_", "slug_", "head_")) for name in values):
        fallback = default if default in TYPES else "actualite"
        return TypeDecision(fallback, "aucun indice de type : type par défaut", {fallback: 0.0})
    bias, by_feature = _weights()
    scores = dict(bias)
    rules_evidence: list[Evidence] = []
    weighed = []
    for name, value in values.items():
        pairs = by_feature.get(name) if value else None
        if not pairs:
            continue
        for slug, weight in pairs:
            scores[slug] += weight * value
        weighed.append((name, value, pairs))
    scores = {slug: round(total, 3) for slug, total in scores.items()}
    if default in TYPES:
        weight = evidence_rules()["default_weight"]
        scores[default] += weight
        rules_evidence.append(Evidence(default, weight, "type habituel de la source"))
    # Two readings no weight overturns: a title that reports on a past meeting is no announcement
    # of it (« Bilan du webinaire »), and a title naming a call's winners is no call.
    ruled_out: dict[str, str] = {}
    if "title_past" in values:
        why = "compte rendu dans le titre : " + ", ".join(features.words["title_past"])
        ruled_out.update(dict.fromkeys(("evenement", "formation"), why))
        if max(TYPES, key=lambda t: scores[t]) not in ("etude", "barometre"):  # a report is news, or a study
            scores["actualite"] = max(scores.values()) + REPORT_MARGIN
            rules_evidence.append(Evidence("actualite", REPORT_MARGIN, why))
    if (past := _sessions_before_the_page(dates)) and not ruled_out:
        ruled_out.update(dict.fromkeys(DATED, f"toutes ses sessions précèdent la date de la page ({past}) : "
                                              "un compte rendu, pas une annonce"))
    if "title_winners" in values:
        ruled_out["appel_a_projets"] = "lauréats dans le titre : " + ", ".join(features.words["title_winners"])
    allowed = [t for t in TYPES if t not in ruled_out]
    best = max(allowed, key=lambda t: scores[t])
    rule = "indices pondérés"
    dated = _dated_share(scores, allowed)
    if best not in DATED and dated >= DATED_SHARE:
        # Missing an announced session costs its dates in the agenda and the letter; reading a
        # report as an event costs less (5-fold CV on dev: events 0.656 → 0.688, type 0.767 → 0.769).
        runner = best
        best = max((t for t in allowed if t in DATED), key=lambda t: scores[t])
        rule += (f" ; {TYPE_LABELS_FR[best]} retenu devant {TYPE_LABELS_FR[runner]} : une session datée est "
                 f"probable à {round(100 * dated)} % (événement et formation ensemble)")
    top = max(TYPES, key=lambda t: scores[t])
    if top != best and top in ruled_out:
        rule += f" ; {TYPE_LABELS_FR[top]} écarté ({ruled_out[top]})"
    return TypeDecision(best, rule, scores, rules_evidence, weighed, features.words)


def classify_type(title: str, text: str = "", hint: str | None = None, default: str | None = None,
                  categories: list[str] | None = None, url: str = "") -> str:
    return decide_type(title, text, url, hint, default, categories).slug
