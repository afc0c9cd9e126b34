"""The best scores kept at build time (glaneur/search_best.py) give /recherche the pages and
counts SQLite's own scoring gives, and are left unused once the index they were read on changes."""

from __future__ import annotations

import sqlite3

import sqlite_utils

import glaneur.search_best as search_best
from glaneur.corrections import _reindex
from glaneur.recherche import register_functions, search
from scripts.bench.resources import TODAY, build

QUERIES = ["formations", "coopératives", "AAP", "banque alimentaire", "coeur", "jardin", "webinaire",
           "ramasse invendus", "alimentaire"]


def _pages(conn: sqlite3.Connection) -> dict:
    found = {}
    for q in QUERIES:
        for sort in ("pertinence", "date", "echeance"):
            for page in (1, 2, 9):
                result = search(conn, q, TODAY.isoformat(), sort, page)
                found[(q, sort, page)] = ([r["id"] for r in result.results], result.total)
    return found


def test_kept_scores_give_the_same_pages_and_are_dropped_when_the_index_changes(tmp_path, monkeypatch):
    path = tmp_path / "glaneur.db"
    build(path, 1500)  # too few resources for the real threshold: nothing kept
    conn = sqlite3.connect(path)
    register_functions(conn)
    assert conn.execute(f"select count(*) from {search_best.PHRASES}").fetchone()[0] == 0
    expected = _pages(conn)

    # Kept for phrases of 100 matches or more, 60 scores each: the rounds of 200 and more ask SQLite.
    with conn:
        kept = search_best.refresh_best_scores(conn, min_matches=100, kept=60)
    assert kept >= 5
    phrase = '"format"*'
    best = search_best.best_scores(conn, phrase)
    assert best is not None and len(best.scores) == 60 and not best.complete
    assert best.total == conn.execute("select count(*) from resources_fts where resources_fts match ?",
                                      (phrase,)).fetchone()[0]
    assert best.scores == conn.execute("select rowid, bm25(resources_fts, 10.0, 4.0, 1.0) from resources_fts "
                                       "where resources_fts match ? order by 2 limit 60", (phrase,)).fetchall()
    used = []

    def spy(*args, **kwargs):
        used.append(search_best.best_scores(*args, **kwargs))
        return used[-1]

    monkeypatch.setattr("glaneur.recherche.best_scores", spy)
    monkeypatch.setattr("glaneur.recherche.CANDIDATES", 20)  # rounds of 20, 80…: kept, then SQLite
    assert _pages(conn) == expected
    monkeypatch.setattr("glaneur.recherche.CANDIDATES", 200)
    assert _pages(conn) == expected
    assert sum(1 for u in used if u is not None) >= 5 * 3 * 3  # five kept phrases among QUERIES at least
    used.clear()

    # Scores no longer read from this index are never used: a write to the index changes its signature.
    conn.execute(f"update {search_best.SCORES} set score = score + 100")  # what stale scores would do
    conn.execute("insert into resources_fts (rowid, title, summary, text) values (999999, 'format', '', '')")
    conn.commit()  # FTS5 writes its records when the transaction ends
    assert search_best.best_scores(conn, phrase) is None
    conn.execute("insert into resources_fts (resources_fts, rowid, title, summary, text) "
                 "values ('delete', 999999, 'format', '', '')")
    conn.commit()
    assert search_best.best_scores(conn, phrase) is None  # the same content, another state of the index
    assert _pages(conn) == expected and not any(used)

    # An editor's correction rewrites index rows: the kept scores go.
    with conn:
        search_best.refresh_best_scores(conn, min_matches=100, kept=60)
    before = conn.execute("select rowid, title, summary, text, type, themes, audiences, regions, departements, "
                          "organisations from resources limit 1").fetchall()
    _reindex(sqlite_utils.Database(conn), before)
    assert conn.execute("select count(*) from sqlite_master where name = ?",
                        (search_best.PHRASES,)).fetchone()[0] == 0
    assert _pages(conn) == expected
    conn.close()

