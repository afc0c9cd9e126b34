"""The best bm25 scores of the most frequent one-phrase searches, kept with the index.

/recherche by relevance starts from the best raw bm25 scores of a search (glaneur/recherche.py,
`_relevance_page`). For a word most resources hold (« formation », « alimentaire »), SQLite
computes bm25 for every match to keep 200 of them: 50 ms at 100k resources, 500 ms at a million.
A published file never changes, so neither do those scores: the build keeps the best `KEPT` of
each phrase matched by `MIN_MATCHES` resources or more, with the phrase's count and a signature
of the index they were read on (its structure and averages records, which every write to the
index changes). A search reads them when the signature still holds, and otherwise asks SQLite as
before: the same scores either way, read from the same index.
"""

from __future__ import annotations

import bisect
import hashlib
import sqlite3
from dataclasses import dataclass
from itertools import accumulate

from glaneur.search_index import BM25_ARGS, PREFIX_MIN_LETTERS, load_synonyms

MIN_MATCHES = 5_000  # below this, SQLite scores every match in a few milliseconds
KEPT = 800  # the rounds of 200 and 800 candidates; larger ones ask SQLite
MAX_PHRASES = 400
PHRASES = "recherche_meilleures_phrases"
SCORES = "recherche_meilleures"


@dataclass(frozen=True)
class BestScores:
    total: int  # resources the phrase matches
    scores: list[tuple[int, float]]  # (rowid, raw bm25), best first: the first `KEPT` of them

    @property
    def complete(self) -> bool:
        return self.total <= len(self.scores)


def _has(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("select 1 from sqlite_master where name = ?", (name,)).fetchone() is not None


def index_signature(conn: sqlite3.Connection) -> str:
    """What changes with every write to resources_fts: its averages (id 1) and structure (id 10) records."""
    blocks = conn.execute("select block from resources_fts_data where id in (1, 10) order by id").fetchall()
    return hashlib.sha256(b"".join(bytes(b) for (b,) in blocks)).hexdigest()[:32]


def frequent_phrases(conn: sqlite3.Connection, min_matches: int) -> list[str]:
    """One-phrase searches that may match `min_matches` resources: the prefix of a stem (what a
    one-word search asks, « "format"* »), most frequent first, and every synonym group's marker.

    A stem's frequency is bounded by the resources holding a word whose stem starts with it
    (`recherche_vocabulaire`); the build counts the candidates exactly before keeping them."""
    rows = conn.execute("select racine, sum(ressources) from recherche_vocabulaire group by racine "
                        "order by racine").fetchall() if _has(conn, "recherche_vocabulaire") else []
    stems = [r[0] for r in rows]
    sums = [0, *accumulate(r[1] for r in rows)]
    estimates = []
    for i, stem in enumerate(stems):
        if len(stem) >= PREFIX_MIN_LETTERS:
            end = bisect.bisect_left(stems, stem + "\uffff", lo=i)
            if sums[end] - sums[i] >= min_matches:
                estimates.append((sums[end] - sums[i], stem))
    phrases = [f'"{stem}"*' for _, stem in sorted(estimates, key=lambda e: (-e[0], e[1]))]
    return phrases[:MAX_PHRASES] + [f'"{marker}"' for marker, _ in load_synonyms()]


def refresh_best_scores(conn: sqlite3.Connection, min_matches: int = MIN_MATCHES, kept: int = KEPT) -> int:
    """Keep the best scores of the frequent phrases of the index as it is now; the number kept."""
    forget_best_scores(conn)
    if not _has(conn, "resources_fts"):
        return 0
    conn.execute(f"create table {PHRASES} (id integer primary key, phrase text unique, total integer, "
                 "signature text)")
    conn.execute(f"create table {SCORES} (phrase_id integer, position integer, resource_rowid integer, "
                 "score real, primary key (phrase_id, position)) without rowid")
    signature = index_signature(conn)
    count = 0
    for phrase in frequent_phrases(conn, min_matches):
        total = conn.execute("select count(*) from resources_fts where resources_fts match ?", (phrase,)).fetchone()[0]
        if total < min_matches:
            continue
        best = conn.execute(f"select rowid, bm25(resources_fts, {BM25_ARGS}) from resources_fts "
                            f"where resources_fts match ? order by 2 limit {int(kept)}", (phrase,)).fetchall()
        count += 1
        conn.execute(f"insert into {PHRASES} (id, phrase, total, signature) values (?, ?, ?, ?)",
                     (count, phrase, total, signature))
        conn.executemany(f"insert into {SCORES} values (?, ?, ?, ?)",
                         [(count, position, rowid, score) for position, (rowid, score) in enumerate(best)])
    return count


def forget_best_scores(conn: sqlite3.Connection) -> None:
    """The index changed (an editor's correction): the kept scores no longer hold."""
    conn.execute(f"drop table if exists {SCORES}")
    conn.execute(f"drop table if exists {PHRASES}")


def best_scores(conn: sqlite3.Connection, phrase: str, scores: bool = True) -> BestScores | None:
    """The kept scores of a phrase, or None: not kept, or kept on another state of the index.
    Without `scores`, its count alone (a search sorted by date)."""
    if not _has(conn, PHRASES):
        return None
    found = conn.execute(f"select id, total, signature from {PHRASES} where phrase = ?", (phrase,)).fetchone()
    if found is None or found[2] != index_signature(conn):
        return None
    best = conn.execute(f"select resource_rowid, score from {SCORES} where phrase_id = ? order by position",
                        (found[0],)).fetchall() if scores else []
    return BestScores(found[1], [(rowid, score) for rowid, score in best])
