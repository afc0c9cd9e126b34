"""The /recherche page's search, shared by the portal plugin and `glaneur eval --recherche`.

The plugin (datasette/plugins/glaneur_recherche.py) runs `search` on Datasette's connection
(`db.execute_fn`), the evaluation on a plain sqlite3 connection: what is measured is what a
visitor gets.

Relevance is bm25 (title ×10, summary ×4, text and labels ×1), scaled by what is still useful:
a closed call or a past event counts `USEFULNESS["expire"]` of its score, an item published more
than `RECENT_YEARS` ago `USEFULNESS["ancien"]`, so that at equal relevance open calls, upcoming
events and recent items come first. When every word together finds nothing, the search tries a
spelling correction (rapidfuzz over the indexed words, `recherche_vocabulaire`), then the
resources holding some of the words; with few results it offers the correction as
« Vouliez-vous dire … ? ».
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from glaneur.search_best import BestScores, best_scores
from glaneur.search_index import BM25_ARGS, fold, fts_query, fts_query_any, query_terms, stem, stop_words, words

PAGE_SIZE = 20
USEFULNESS = {"expire": 0.6, "ancien": 0.85}
RECENT_YEARS = 2
FEW_RESULTS = 3  # fewer than this: a spelling correction that finds more is offered
# bm25 is negative (lower is better): a factor below 1 moves a row down.
_SCORE = ("f.rank_score * (case when r.deadline < :today or coalesce(r.event_end, r.event_start) < :today "
          "then :expire else 1.0 end) * (case when r.published < :recent then :ancien else 1.0 end)")
SORTS = {
    # Each order ends on the key: pages are cut by offset, and rows tied across a cut must not move.
    "pertinence": ("Pertinence", f"{_SCORE}, r.published desc, r.id"),
    "date": ("Plus récentes", f"r.published desc nulls last, {_SCORE}, r.id"),
    "echeance": ("Date limite la plus proche", f"r.deadline is null, r.deadline, {_SCORE}, r.id"),
}
FACET_COLUMNS = {"type": "type", "themes": "themes__arraycontains", "audiences": "audiences__arraycontains",
                 "regions": "regions__arraycontains", "departements": "departements__arraycontains"}
FACET_NAMES = {"type": "du type", "themes": "du thème", "audiences": "du public", "regions": "de la région",
               "departements": "du département"}


@dataclass
class SearchPage:
    q: str
    sort: str = "pertinence"
    page: int = 1
    results: list[dict] = field(default_factory=list)
    total: int = 0
    sheets: list[dict] = field(default_factory=list)
    searched: str = ""  # the query whose results are shown (the correction when q found nothing)
    corrected: str | None = None  # q found nothing: these are the results of this correction
    suggestion: str | None = None  # q found little: « Vouliez-vous dire … ? »
    partial: bool = False  # few resources hold every word: those holding some follow (tous_les_mots = 0)
    facets: list[dict] = field(default_factory=list)  # facet values whose label is the query
    complete: int = 0  # with `partial`: how many resources hold every word
    browse: list[dict] = field(default_factory=list)  # nothing found: types and themes to browse


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the search needs on a connection (the plugin does it on Datasette's)."""
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("glaneur_fts_query", 1, fts_query, deterministic=True)
    conn.create_function("glaneur_fts_any", 1, fts_query_any, deterministic=True)


def _rows(conn: sqlite3.Connection, sql: str, params: dict) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("select 1 from sqlite_master where name = ?", (name,)).fetchone() is not None


def _resources(conn: sqlite3.Connection, q: str, today: str, sort: str, page: int, page_size: int,
               some_words: bool = False) -> tuple[list[dict], int]:
    """A page of resources holding every word of q and its count; with `some_words`, the
    resources holding any of them, those holding every word first (`tous_les_mots`)."""
    recent = (date.fromisoformat(today) - timedelta(days=365 * RECENT_YEARS)).isoformat()
    params = {"q": q, "today": today, "recent": recent, "limit": page_size, "offset": (page - 1) * page_size,
              "expire": USEFULNESS["expire"], "ancien": USEFULNESS["ancien"]}
    only_open = "and r.deadline >= :today" if sort == "echeance" else ""
    match = "glaneur_fts_any" if some_words else "glaneur_fts_query"
    every_word = ("f.rowid in (select rowid from resources_fts where resources_fts match glaneur_fts_query(:q))"
                  if some_words else "1")
    # The order first, on the few columns it needs; then the cards' columns of the page's rows only
    # (sorting 75,000 matches with every column they show costs a fifth more at 100k resources).
    kept = None if some_words else best_scores(conn, fts_query(q), scores=sort == "pertinence")
    order = _relevance_page(conn, match, params, kept) if sort == "pertinence" and not some_words else None
    if order is None:
        order = conn.execute(f"""
            with f as (select rowid, bm25(resources_fts, {BM25_ARGS}) as rank_score from resources_fts
                       where resources_fts match {match}(:q))
            select r.rowid, {every_word} as tous_les_mots
            from f join resources r on r.rowid = f.rowid
            where 1 {only_open}
            order by tous_les_mots desc, {SORTS[sort][1]} limit :limit offset :offset""", params).fetchall()
    rows = {row["rowid"]: row for row in _rows(conn, f"""
        select rowid, id, title, type, summary, published, deadline, event_start, event_end, location, themes,
               regions, departements, statut_echeance, organisations
        from resources where rowid in ({", ".join(str(int(rowid)) for rowid, _ in order) or "null"})""", {})}
    results = [{**rows[rowid], "tous_les_mots": every} for rowid, every in order]
    # The index holds exactly the rows of resources: without a condition on them, it counts alone
    # (looking 75,000 matches up in resources took 60 ms at 100k resources).
    if kept and not only_open:
        return results, kept.total
    total = conn.execute(
        "select count(*) from resources_fts f join resources r on r.rowid = f.rowid "
        f"where resources_fts match {match}(:q) {only_open}" if only_open else
        f"select count(*) from resources_fts where resources_fts match {match}(:q)", params).fetchone()[0]
    return results, total


CANDIDATES = 200  # the best raw bm25 scores read first, at least, for a page by relevance
CANDIDATES_MAX = 12_800  # beyond this, the whole ordering in one query


def _relevance_page(conn: sqlite3.Connection, match: str, params: dict,
                    kept: BestScores | None = None) -> list[tuple[int, int]] | None:
    """A page by relevance from the best raw bm25 scores only, or None when they cannot tell it.

    Usefulness only ever moves a row down (bm25 is negative, its factors are at most 1), so a row
    outside the best n raw scores scores no better than the n-th of them: when the page's last
    row scores strictly better, no other row can come before it. Joining every match with its
    dates to weigh it took half of /recherche at 100k resources (78,605 matches: 105 ms, 51 ms
    for the raw scores alone). `kept`: the phrase's best scores read at build time, used as far
    as they go (glaneur/search_best.py)."""
    if not all(0 < factor <= 1 for factor in (params["expire"], params["ancien"])):
        return None  # a factor above 1 could move a row up: only the whole ordering can tell
    wanted = params["offset"] + params["limit"]
    size = max(CANDIDATES, 4 * wanted)
    while size <= CANDIDATES_MAX:
        if kept and (size <= len(kept.scores) or kept.complete):
            raw = kept.scores[:size]  # read at build time on this very index (glaneur/search_best.py)
        else:
            raw = conn.execute(f"select rowid, bm25(resources_fts, {BM25_ARGS}) from resources_fts "
                               f"where resources_fts match {match}(:q) order by 2 limit {size}", params).fetchall()
        if not raw:
            return []
        named = {f"p{i}": v for i, v in enumerate(v for pair in raw for v in pair)}
        values = ", ".join(f"(:p{2 * i}, :p{2 * i + 1})" for i in range(len(raw)))
        ranked = conn.execute(f"""
            with f(rowid, rank_score) as (values {values})
            select r.rowid, {_SCORE} as score from f join resources r on r.rowid = f.rowid
            order by {SORTS["pertinence"][1]} limit :wanted""", {**params, **named, "wanted": wanted}).fetchall()
        if len(raw) < size or (len(ranked) == wanted and ranked[-1][1] < raw[-1][1]):
            return [(rowid, 1) for rowid, _ in ranked[params["offset"]:]]
        size *= 4
    return None


def _count(conn: sqlite3.Connection, q: str) -> int:
    kept = best_scores(conn, fts_query(q), scores=False)
    if kept:
        return kept.total
    return conn.execute("select count(*) from resources_fts where resources_fts match glaneur_fts_query(?)",
                        (q,)).fetchone()[0]


class _Vocabulary:
    """The indexed words of one build of the index, kept in memory (the served base is immutable)."""

    def __init__(self, conn: sqlite3.Connection):
        rows = conn.execute("select mot, forme, racine, ressources from recherche_vocabulaire").fetchall()
        self.words = [r[0] for r in rows]
        self.spelling = {r[0]: r[1] for r in rows}
        self.count = {r[0]: r[3] for r in rows}
        self.stems = {r[2] for r in rows}


_vocabularies: dict[str, _Vocabulary] = {}
_lock = threading.Lock()


def _vocabulary(conn: sqlite3.Connection) -> _Vocabulary | None:
    if not _has_table(conn, "recherche_etat"):
        return None
    build = conn.execute("select valeur from recherche_etat where cle = 'construction'").fetchone()[0]
    with _lock:
        if build not in _vocabularies:
            _vocabularies.clear()
            _vocabularies[build] = _Vocabulary(conn)
        return _vocabularies[build]


def correction(conn: sqlite3.Connection, q: str) -> str | None:
    """What was typed with each unknown word replaced by the closest indexed word, or None.

    A word is unknown when no indexed word shares its stem; its replacement is within one edit
    (words of up to five letters) or two, the most frequent among the closest. The last word
    may be a beginning (« secours pop »): it is left alone when some indexed word starts with it.
    """
    vocab = _vocabulary(conn)
    if vocab is None:
        return None
    typed = q.split()
    changed = False
    out = []
    for i, token in enumerate(typed):
        folded = words(token)
        if len(folded) != 1 or len(folded[0]) < 4 or folded[0] in stop_words() or stem(folded[0]) in vocab.stems:
            out.append(token)
            continue
        word = folded[0]
        if i == len(typed) - 1 and any(w.startswith(word) for w in vocab.words):
            out.append(token)
            continue
        limit = 1 if len(word) <= 5 else 2
        found = process.extract(word, vocab.words, scorer=Levenshtein.distance, score_cutoff=limit, limit=20)
        if not found:
            out.append(token)
            continue
        best = min(found, key=lambda m: (m[1], -vocab.count[m[0]]))[0]
        out.append(vocab.spelling[best])
        changed = True
    if not changed:
        return None
    # Shown to the visitor: the other words too in the index's spelling (« epicerie » → « épicerie »).
    return " ".join(vocab.spelling.get(fold(w), w) if w.islower() and w.isalpha() else w for w in out)


def suggestion(conn: sqlite3.Connection, q: str) -> str | None:
    """« Vouliez-vous dire … ? » for the table's `?_search=`, which searches what was typed: the
    corrected words when they find more than the words typed (functions of `register_functions`
    installed)."""
    q = (q or "").strip()
    if not q:
        return None
    found = _count(conn, q)
    if found >= FEW_RESULTS:
        return None
    fixed = correction(conn, q)
    return fixed if fixed and fold(fixed) != fold(q) and _count(conn, fixed) > found else None


def matching_facets(conn: sqlite3.Connection, q: str) -> list[dict]:
    """Facet values whose French label is what was typed (« Hérault », « Pays de la Loire »)."""
    if not _has_table(conn, "libelles"):
        return []
    wanted = " ".join(words(q))
    if not wanted:
        return []
    found = []
    for column, code, label in conn.execute(
            "select colonne, code, libelle from libelles where colonne in "
            "('type', 'themes', 'audiences', 'regions', 'departements')"):
        bare = label.rsplit(" (", 1)[0] if column == "departements" else label
        names = {" ".join(words(bare)), " ".join(words(label))} | {" ".join(words(p)) for p in bare.split(" / ")}
        if wanted in names:
            found.append({"colonne": column, "nom": FACET_NAMES[column], "code": code, "libelle": label,
                          "param": FACET_COLUMNS[column]})
    return found


def search(conn: sqlite3.Connection, q: str, today: str, sort: str = "pertinence", page: int = 1,
           page_size: int = PAGE_SIZE, exact: bool = False) -> SearchPage:
    """One page of results for what a visitor typed (functions of `register_functions` installed).

    With few results (fewer than FEW_RESULTS), an unknown word is corrected (`corrected`; with
    `exact`, the correction is only offered, as `suggestion`), then resources holding only some
    of the words follow those holding them all (`partial`).
    """
    q = (q or "").strip()
    sort = sort if sort in SORTS else "pertinence"
    result = SearchPage(q=q, sort=sort, page=page, searched=q)
    if not q:
        return result
    result.results, result.total = _resources(conn, q, today, sort, page, page_size)
    if result.total < FEW_RESULTS:
        fixed = correction(conn, q)
        if fixed and fold(fixed) != fold(q):
            if not exact and _count(conn, fixed) > result.total:
                # Every unknown word was replaced: what q found came from its other words only.
                result.results, result.total = _resources(conn, fixed, today, sort, page, page_size)
                result.corrected = result.searched = fixed
            else:
                result.suggestion = fixed
    if result.total < FEW_RESULTS and len(query_terms(result.searched)) > 1:
        found, total = _resources(conn, result.searched, today, sort, page, page_size, some_words=True)
        if total > result.total:
            result.complete = result.total
            result.results, result.total, result.partial = found, total, True
    if result.total == 0 and page == 1:
        found = _rows(conn, "select colonne, code, libelle from libelles where colonne in ('type', 'themes')",
                      {}) if _has_table(conn, "libelles") else []
        result.browse = sorted(found, key=lambda b: (b["colonne"] != "type", fold(b["libelle"])))
    if page == 1:
        result.facets = matching_facets(conn, q)
        if _has_table(conn, "fiches_fts"):
            match = "glaneur_fts_any" if result.partial else "glaneur_fts_query"
            result.sheets = _rows(conn, (
                "select s.slug, s.title, s.summary from fiches_fts f join fiches s on s.rowid = f.rowid "
                f"where fiches_fts match {match}(:q) order by bm25(fiches_fts, {BM25_ARGS}) limit 5"),
                {"q": result.searched})
    return result
