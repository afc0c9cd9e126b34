"""Pairwise rules of the fuzzy stage: can two documents with close titles be one resource?

The title score only proposes; these checks confirm. Each returns the reason a pair is refused
(for `glaneur dedup explain` and the tests) or None when the pair is compatible.
"""

from __future__ import annotations

from datetime import date

from dedup.options import DedupOptions
from dedup.records import DocRecord

# Types a relay may give to the same resource (a network announces a study as news, etc.).
TYPE_FAMILIES = (
    frozenset({"etude", "barometre", "outil"}),
    frozenset({"evenement", "formation"}),
    frozenset({"outil", "bonne_pratique"}),
    frozenset({"etude", "bonne_pratique"}),
)


def types_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b or a == b or "actualite" in (a, b):
        return True
    return any(a in family and b in family for family in TYPE_FAMILIES)


def _far(a: date | None, b: date | None, days: int) -> bool:
    return a is not None and b is not None and abs((a - b).days) > days


def hard_conflict(a: DocRecord, b: DocRecord, opts: DedupOptions) -> str | None:
    """Differences that keep two documents apart whatever their titles: editions, recaps, dates."""
    ta, tb = a.title, b.title
    if ta.years and tb.years and ta.years != tb.years:
        return "années différentes"
    if ta.ordinals != tb.ordinals:
        return "numéros d'édition différents"
    if ta.numbers and tb.numbers and ta.numbers != tb.numbers:
        return "nombres différents"
    if ta.recap != tb.recap:
        return "événement et son compte rendu"
    if ta.places and tb.places and ta.places != tb.places:
        return "territoires différents"
    for info, other in ((ta, b), (tb, a)):  # a relay that drops the year must date from that year
        if info.years and not other.title.years and other.published:
            if not info.years & {other.published.year + d for d in (-1, 0, 1)}:
                return "année du titre loin de la date de publication"
    if _far(a.deadline, b.deadline, opts.deadline_tolerance):
        return "dates limites différentes"
    if _far(a.event_start, b.event_start, opts.event_tolerance):
        return "dates d'événement différentes"
    if _far(a.published, b.published, opts.published_window):
        return "publications trop éloignées"
    return None


def confirm(a: DocRecord, b: DocRecord, score: float, opts: DedupOptions) -> str | None:
    """None when a title match of `score` between a and b is accepted, else the reason."""
    if a.source_id == b.source_id:
        return "même source"
    if not types_compatible(a.type, b.type):
        return "types incompatibles"
    if reason := hard_conflict(a, b, opts):
        return reason
    shared_org = bool(a.organisations & b.organisations)
    short = min(len(a.title.words), len(b.title.words)) < opts.short_title_tokens
    if short or a.title.generic or b.title.generic:
        if score < opts.short_title_score or not shared_org:
            return "titre trop court sans organisation commune"
        return None
    if min(len(a.title.words), len(b.title.words)) < opts.brief_title_tokens and score < opts.brief_title_score:
        return "titre bref trop différent"
    if score >= opts.title_strong:
        return None
    close = a.published and b.published and abs((a.published - b.published).days) <= opts.close_published
    if shared_org or close:
        return None
    return "titre proche sans organisation ni date commune"
