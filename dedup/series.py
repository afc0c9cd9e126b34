"""Series: recurring publications (yearly barometer, annual report, successive calls for projects).

Editions are different resources, never merged; they are linked instead. Resources of one
organisation and one type whose titles carry an edition marker (a year or an ordinal) and share
their words once the markers are out (the same words, or one title's words all within the other's:
« 16e baromètre de la pauvreté Ipsos / Secours populaire » and « 19e baromètre de la pauvreté et de
la précarité Ipsos / Secours populaire français – édition 2025 ») form a series when at least two
distinct editions exist. The edition is a year: the title's, else the year of publication.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from dedup.folding import fold
from dedup.ids import new_id
from dedup.titles import TitleInfo, analyse_title, strip_markers

MAX_FUZZY_BUCKET = 300  # distinct titles of one organisation and type compared pairwise


@dataclass(frozen=True)
class SeriesInput:
    resource_id: str
    title: str
    type: str
    organisation: str  # the publisher (first organisation of the resource)
    published: str | None


@dataclass(frozen=True)
class Series:
    id: str
    title: str
    organisation: str
    type: str
    editions: tuple[tuple[int, str], ...]  # (edition, resource id), oldest first

    @property
    def latest_resource_id(self) -> str:
        return self.editions[-1][1]


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _edition(info: TitleInfo, published: str | None) -> tuple[int, int] | None:
    """(year, ordinal) of an edition; the ordinal alone when no date is known."""
    ordinal = min(info.ordinals) if info.ordinals else 0
    if info.years:
        return max(info.years), ordinal
    if published and published[:4].isdigit():
        return int(published[:4]), ordinal
    return (ordinal, ordinal) if ordinal else None


def _related(a: frozenset[str], b: frozenset[str]) -> bool:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return small == large or (len(small) >= 3 and small <= large)


def _group_keys(keys: list[frozenset[str]]) -> list[list[int]]:
    """Connected groups of related word sets (exact only in very large buckets)."""
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if len(keys) <= MAX_FUZZY_BUCKET:
        for i in range(len(keys)):
            for j in range(i + 1, len(keys)):
                if _related(keys[i], keys[j]):
                    parent[find(j)] = find(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(keys)):
        groups[find(i)].append(i)
    return list(groups.values())


def detect_series(resources: Sequence[SeriesInput]) -> list[Series]:
    """Series in a deterministic order (by id); resources outside every series are left out."""
    buckets: dict[tuple[str, str], dict[frozenset[str], list]] = defaultdict(lambda: defaultdict(list))
    for res in sorted(resources, key=lambda r: r.resource_id):
        info = analyse_title(res.title)
        if not (info.years or info.ordinals) or not info.words or not res.organisation or info.recap:
            continue
        edition = _edition(info, res.published)
        if edition is None:
            continue
        buckets[(fold(res.organisation), res.type)][frozenset(info.words)].append(
            (edition, res.published or "", res.resource_id, res))
    found = []
    for (org_key, type_), by_words in sorted(buckets.items()):
        keys = sorted(by_words, key=lambda k: sorted(k))
        for group in _group_keys(keys):
            items = sorted((item for i in group for item in by_words[keys[i]]), key=lambda item: item[:3])
            if len({edition for edition, *_ in items}) < 2:
                continue
            latest = items[-1][3]
            words = " ".join(sorted(keys[min(group)]))
            found.append(Series(
                id=new_id("series", org_key, type_, words),
                title=_capitalized(strip_markers(latest.title) or latest.title),
                organisation=latest.organisation,
                type=type_,
                editions=tuple((edition[0], rid) for edition, _, rid, _ in items),
            ))
    return sorted(found, key=lambda s: s.id)
