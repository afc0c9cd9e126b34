"""The full-text index of resources and practical sheets, rebuilt after every build.

SQLite's unicode61 tokenizer neither stems French nor folds ligatures (« cœur »), so the index
holds an *analyzed* copy of the text: lower-cased, folded (accents, œ/æ), stemmed with the
Snowball French stemmer, plus one marker token per synonym group found (data/synonyms.csv).
Queries go through the same `analyze` (see `fts_query`), which the portal plugin installs in
place of Datasette's `escape_fts`, so `?_search=` on the resources table benefits too.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import snowballstemmer
import sqlite_utils

from glaneur.paths import DATA_DIR
from pipelines.workers import map_on_warm_pool

FTS_TOKENIZER = "unicode61 remove_diacritics 2"
SYNONYMS_FILE = DATA_DIR / "synonyms.csv"
# bm25 weights of title, summary, text: a word in the title counts more than in the body.
BM25_WEIGHTS = (10.0, 4.0, 1.0)

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


def tokens(text: str) -> list[str]:
    """Folded, stemmed tokens; elisions (l', d') and one-letter words are dropped.

    Words are [a-z0-9] runs, so folding to ASCII in C (encode/ignore) gives the same words as
    `fold` at a fraction of the cost on long texts.
    """
    folded = _decomposed(text).encode("ascii", "ignore").decode("ascii")
    return [stem(w) for w in _WORD.findall(folded) if len(w) > 1]


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


def fts_query(query: str) -> str:
    """FTS5 query for what a person typed: every analyzed term must match (a synonym counts once).

    A phrase from a synonym group (« appel à projets », « AAP ») becomes the group's marker, so
    it matches every way of writing it. Terms are quoted: FTS5 operators typed by a user are inert.
    """
    seq = tokens(query)
    terms: list[str] = []
    for marker, phrases in load_synonyms():
        for phrase in sorted(phrases, key=len, reverse=True):
            at = _find(seq, phrase)
            while at >= 0:
                seq[at:at + len(phrase)] = [marker]
                at = _find(seq, phrase)
    for term in seq:
        if term not in terms:
            terms.append(term)
    return " ".join(f'"{t}"' for t in terms) if terms else '""'


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
    """Rebuild resources_fts (external content: Datasette finds it and `?_search=` uses it)."""
    _create_fts(db, "resources_fts", "resources")
    rows = db.execute("select rowid, title, summary, text from resources").fetchall()
    with db.conn:
        db.conn.executemany(
            "insert into resources_fts (rowid, title, summary, text) values (?, ?, ?, ?)",
            map_on_warm_pool(_analyzed_rows, rows),
        )


def _analyzed_rows(rows: list[tuple]) -> list[tuple]:
    """Index rows of resources: title and summary alone (weighted in bm25), then all three."""
    return [(rid, analyze(t or ""), analyze(s or ""), analyze(f"{t or ''} {s or ''} {x or ''}"))
            for rid, t, s, x in rows]


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
