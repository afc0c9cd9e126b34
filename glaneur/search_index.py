"""The full-text index of resources and practical sheets, rebuilt after every build.

SQLite's unicode61 tokenizer neither stems French nor folds ligatures (« cœur »), so the index
holds an *analyzed* copy of the text: lower-cased, folded (accents, œ/æ), stemmed with the
Snowball French stemmer, plus one marker token per synonym group found (data/synonyms.csv).
Queries go through the same `analyze` (see `fts_query`), which the portal plugin installs in
place of Datasette's `escape_fts`, so `?_search=` on the resources table benefits too.

Besides its title, summary and text, each resource is indexed with the French labels the facets
show: type, themes, audiences, regions and départements (COG names), organisations. Stop words
(data/mots-vides.txt) are dropped from queries, never from the index, and the last word of a
query matches as a prefix (« secours pop »). `recherche_vocabulaire` holds the indexed words
with their most frequent spelling, for the « Vouliez-vous dire … ? » of the search page.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import snowballstemmer
import sqlite_utils

from glaneur.paths import DATA_DIR
from pipelines.workers import map_on_warm_pool

FTS_TOKENIZER = "unicode61 remove_diacritics 2"
SYNONYMS_FILE = DATA_DIR / "synonyms.csv"
STOP_WORDS_FILE = DATA_DIR / "mots-vides.txt"
PREFIX_MIN_LETTERS = 3  # a shorter last word is matched whole (« pa* » would match half the index)
RELAXED_PREFIX = 7  # with few results, longer stems match by their first 7 letters (« diagnos* »)
# Columns indexed beside the text, rows[4:10] of the index rows (resource_labels reads them by position).
INDEXED_COLUMNS = ("type", "themes", "audiences", "regions", "departements", "organisations")
# bm25 weights of title, summary, text: a word in the title counts more than in the body.
BM25_WEIGHTS = (10.0, 4.0, 1.0)
BM25_ARGS = ", ".join(str(x) for x in BM25_WEIGHTS)  # as written in `bm25(resources_fts, …)`

# Spelt out with str.replace, not str.translate: a table of multi-letter replacements sends
# translate down its slow path (half of `analyze` on a 1,700-character resource).
_LIGATURES = (("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae"), ("’", "'"), ("ß", "ss"))
_WORD = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("french")


def _decomposed(text: str) -> str:
    """Lower-case, ligatures spelt out, accents split from their letters (NFKD)."""
    text = text or ""
    for ligature, letters in _LIGATURES:
        if ligature in text:
            text = text.replace(ligature, letters)
    return unicodedata.normalize("NFKD", text.lower())


def fold(text: str) -> str:
    """Lower-case, without accents or ligatures: « Cœur Épicé » → « coeur epice »."""
    return "".join(c for c in _decomposed(text) if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball French stem of a folded word (cached: the vocabulary is small)."""
    return _STEMMER.stemWord(word)


def words(text: str) -> list[str]:
    """Folded words; elisions (l', d') and one-letter words are dropped.

    Words are [a-z0-9] runs, so folding to ASCII in C (encode/ignore) gives the same words as
    `fold` at a fraction of the cost on long texts.
    """
    folded = _decomposed(text).encode("ascii", "ignore").decode("ascii")
    return [w for w in _WORD.findall(folded) if len(w) > 1]


def tokens(text: str) -> list[str]:
    """Folded, stemmed tokens (see `words`)."""
    return [stem(w) for w in words(text)]


@lru_cache(maxsize=4)
def stop_words(path: Path = STOP_WORDS_FILE) -> frozenset[str]:
    """Folded stop words of data/mots-vides.txt."""
    if not Path(path).exists():
        return frozenset()
    lines = (line.split("#", 1)[0] for line in Path(path).read_text(encoding="utf-8").splitlines())
    return frozenset(fold(w) for line in lines for w in line.split())


@lru_cache(maxsize=4)
def load_synonyms(path: Path = SYNONYMS_FILE) -> list[tuple[str, list[tuple[str, ...]]]]:
    """Synonym groups from CSV (groupe,expression): each group gets one marker token."""
    groups: dict[str, list[tuple[str, ...]]] = {}
    if not Path(path).exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            phrase = tuple(tokens(row["expression"]))
            if phrase:
                groups.setdefault(row["groupe"].strip(), []).append(phrase)
    return [("zsyn" + re.sub(r"[^a-z0-9]", "", fold(name)), phrases) for name, phrases in groups.items()]


def _find(seq: list[str], phrase: tuple[str, ...]) -> int:
    n = len(phrase)
    for i in range(len(seq) - n + 1):
        if tuple(seq[i:i + n]) == phrase:
            return i
    return -1


@lru_cache(maxsize=4)
def synonym_patterns(path: Path = SYNONYMS_FILE) -> list[tuple[str, tuple[str, ...]]]:
    """Each group's phrases as space-delimited strings, for substring search in C."""
    return [(marker, tuple(f" {' '.join(p)} " for p in phrases)) for marker, phrases in load_synonyms(path)]


def analyze(text: str) -> str:
    """Indexed form of a text: stemmed tokens followed by the markers of the synonyms it contains."""
    indexed = " ".join(tokens(text))
    padded = f" {indexed} "
    markers = [marker for marker, patterns in synonym_patterns() if any(p in padded for p in patterns)]
    return " ".join([indexed, *markers]) if markers else indexed


def query_terms(query: str) -> list[tuple[str, bool]]:
    """The FTS terms of what a person typed, each with whether it matches as a prefix.

    A phrase from a synonym group (« appel à projets », « AAP ») becomes the group's marker, so
    it matches every way of writing it; stop words go, unless nothing else is left; the last
    word, if it is a word of at least PREFIX_MIN_LETTERS letters, matches as a prefix.
    """
    typed = words(query)
    seq: list[tuple[str, str | None]] = [(stem(w), w) for w in typed]  # (term, folded word or None)
    for marker, phrases in load_synonyms():
        for phrase in sorted(phrases, key=len, reverse=True):
            at = _find([t for t, _ in seq], phrase)
            while at >= 0:
                seq[at:at + len(phrase)] = [(marker, None)]
                at = _find([t for t, _ in seq], phrase)
    stops = stop_words()
    kept = [(t, w) for t, w in seq if w is None or w not in stops] or seq
    last_typed = typed[-1] if typed else None
    terms: list[tuple[str, bool]] = []
    for i, (term, word) in enumerate(kept):
        prefix = (i == len(kept) - 1 and word is not None and word == last_typed
                  and len(word) >= PREFIX_MIN_LETTERS and not word.isdigit())
        if prefix:
            terms = [(t, p) for t, p in terms if t != term]
        if (term, prefix) not in terms and (term, True) not in terms:
            terms.append((term, prefix))
    return terms


def fts_query(query: str, any_term: bool = False) -> str:
    """FTS5 query for what a person typed: every term must match.

    With `any_term`, the looser query of few results: any term may match, and a stem longer than
    RELAXED_PREFIX letters by its first letters (« diagnostic » finds « diagnostiquer »).
    Terms are quoted: FTS5 operators typed by a user are inert.
    """
    terms = []
    for term, prefix in query_terms(query):
        if any_term and len(term) >= RELAXED_PREFIX and not term.startswith("zsyn"):
            term, prefix = term[:RELAXED_PREFIX], True
        terms.append(f'"{term}"*' if prefix else f'"{term}"')
    return (" OR " if any_term else " ").join(terms) if terms else '""'


def fts_query_any(query: str) -> str:
    return fts_query(query, any_term=True)


def _create_fts(db: sqlite_utils.Database, name: str, content: str) -> None:
    """External-content FTS5 (content=resources): Datasette detects it and `?_search=` uses it.

    detail=column was tried and measured slower on broad searches at 100k rows: keep the default.
    """
    db.execute(f"drop table if exists [{name}]")
    db.execute(
        f"create virtual table [{name}] using fts5 (title, summary, text, "
        f"content=[{content}], tokenize='{FTS_TOKENIZER}')"
    )


def refresh_search_index(db: sqlite_utils.Database) -> None:
    """Rebuild resources_fts (external content: Datasette finds it and `?_search=` uses it),
    then the vocabulary of the « Vouliez-vous dire … ? » suggestions and the best scores of the
    frequent one-word searches (glaneur/search_best.py)."""
    _create_fts(db, "resources_fts", "resources")
    present = db["resources"].columns_dict
    extra = "".join(f", [{c}]" if c in present else ", null" for c in INDEXED_COLUMNS)  # in place: read by position
    rows = db.execute(f"select rowid, title, summary, text{extra} from resources").fetchall()
    labels = _label_maps()
    with db.conn:
        db.conn.executemany(
            "insert into resources_fts (rowid, title, summary, text) values (?, ?, ?, ?)",
            map_on_warm_pool(_analyzed_rows, rows, labels),
        )
    refresh_vocabulary(db, rows, labels)
    from glaneur.search_best import refresh_best_scores  # it reads this module's constants

    with db.conn:
        refresh_best_scores(db.conn)


def _label_maps() -> dict[str, dict[str, str]]:
    """colonne → code → French label, as the facets show them (the rows of `libelles`)."""
    from glaneur.portal import label_rows  # portal imports this module

    maps: dict[str, dict[str, str]] = {}
    for row in label_rows():
        maps.setdefault(row["colonne"], {})[row["code"]] = row["libelle"]
    return maps


def _json_list(value) -> list:
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return parsed if isinstance(parsed, list) else [parsed]


def type_label(row: tuple, labels: dict[str, dict[str, str]]) -> str:
    rtype = row[4] or ""
    return labels.get("type", {}).get(rtype, rtype)


def resource_labels(row: tuple, labels: dict[str, dict[str, str]]) -> str:
    """The labels a resource's facets show, one sentence each: « Formation. Hérault (34). … »."""
    _, themes, audiences, regions, departements, organisations = row[4:10]
    parts = [type_label(row, labels)]
    for column, value in (("themes", themes), ("audiences", audiences), ("regions", regions),
                          ("departements", departements)):
        parts += [labels.get(column, {}).get(str(code), "") for code in _json_list(value)]
    parts += [str(o) for o in _json_list(organisations)]
    return ". ".join(p for p in parts if p)


def _analyzed_rows(rows: list[tuple], labels: dict[str, dict[str, str]]) -> list[tuple]:
    """Index rows of resources: the title, the summary with the type's label (« Formation »: what
    a resource is weighs like its summary), then everything with the labels of every facet."""
    out = []
    for row in rows:
        rid, t, s, x = row[:4]
        orgs = " ".join(str(o) for o in _json_list(row[9]))
        out.append((rid, analyze(t or ""), analyze(f"{s or ''} {type_label(row, labels)} {orgs}"),
                    analyze(f"{t or ''} {s or ''} {x or ''} {resource_labels(row, labels)}")))
    return out


_SPELLING = re.compile(r"[^\W\d_]{2,}")  # words as written (letters only), for the suggestions


def refresh_vocabulary(db: sqlite_utils.Database, rows: list[tuple], labels: dict[str, dict[str, str]]) -> None:
    """`recherche_vocabulaire`: each indexed word (folded), its most frequent spelling, its stem
    and how many resources hold it; `recherche_etat` names this build of the index."""
    documents: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    keys: dict[str, str | None] = {}  # written word → its key (None: not a word of letters); few distinct words
    for row in rows:
        text = f"{row[1] or ''} {row[2] or ''} {row[3] or ''} {resource_labels(row, labels)}".lower()
        seen = set()
        for written in _SPELLING.findall(text):
            if written not in keys:
                folded = fold(written)
                keys[written] = folded if folded.isascii() and folded.isalpha() else None
            key = keys[written]
            if key is None:
                continue
            spellings.setdefault(key, Counter())[written] += 1
            seen.add(key)
        documents.update(seen)
    vocabulary = [{"mot": key, "forme": spellings[key].most_common(1)[0][0], "racine": stem(key), "ressources": n}
                  for key, n in documents.items()]
    db["recherche_vocabulaire"].drop(ignore=True)
    db["recherche_vocabulaire"].insert_all(vocabulary, pk="mot", batch_size=5000)
    db["recherche_etat"].drop(ignore=True)
    # Named by its content, not at random: two builds of the same data give the same database.
    content = sorted((v["mot"], v["forme"], v["ressources"]) for v in vocabulary)
    digest = hashlib.sha256(repr(content).encode("utf-8")).hexdigest()[:32]
    db["recherche_etat"].insert({"cle": "construction", "valeur": digest}, pk="cle")


def refresh_sheets_index(db: sqlite_utils.Database) -> None:
    """Index the practical sheets the same way, for the portal's search page."""
    if not db["fiches"].exists():
        return
    _create_fts(db, "fiches_fts", "fiches")
    rows = db.execute("select rowid, title, summary, text from fiches").fetchall()
    with db.conn:
        db.conn.executemany(
            "insert into fiches_fts (rowid, title, summary, text) values (?, ?, ?, ?)",
            [(rid, analyze(t), analyze(s), analyze(f"{t} {s} {x}")) for rid, t, s, x in rows],
        )
