"""Group documents into resources, stage by stage, every link recorded.

Stages, strongest first: `url` (same canonical URL), `pdf_parent` (a PDF joins the page that
links to it), `pdf_hash` (the same PDF file), `content_hash` (same title and body), `title`
(fuzzy title confirmed by type, dates, organisation), then `manual` (editors' merges).
Editors' splits are constraints checked at every union, so they win over every stage.
A fuzzy union is also refused when any pair across the two groups is a hard negative, so a
chain of close titles cannot glue editions together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dedup.blocking import candidate_pairs
from dedup.match import confirm, hard_conflict
from dedup.options import DedupOptions
from dedup.records import DocRecord

STAGE_RANK = {"url": 0, "pdf_parent": 1, "pdf_hash": 2, "content_hash": 3, "title": 4, "manual": 5}


@dataclass
class Member:
    record: DocRecord
    stage: str = "first"  # the strongest link attaching it: see STAGE_RANK
    score: float = 1.0


@dataclass
class Cluster:
    members: list[Member] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        """Keys remembered in resource_keys so the resource keeps its id."""
        keys = {m.record.url_key for m in self.members if m.record.url_key}
        return keys | {f"doc:{m.record.id}" for m in self.members}

    @property
    def document_ids(self) -> list[str]:
        return sorted(m.record.id for m in self.members)


@dataclass(frozen=True)
class Decisions:
    """Editors' decisions as document-id pairs (the CLI resolves resource ids to documents)."""

    merges: tuple[tuple[str, str], ...] = ()
    splits: frozenset[frozenset[str]] = frozenset()


class _Groups:
    """Union-find that keeps each group's members, so unions can be vetoed."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members = [[i] for i in range(n)]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if (len(self.members[ra]), -ra) < (len(self.members[rb]), -rb):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members[rb])
        self.members[rb] = []


def _exact_edges(records: Sequence[DocRecord], opts: DedupOptions) -> Iterable[tuple[str, int, int]]:
    by_url: dict[str, list[int]] = defaultdict(list)
    by_pdf: dict[str, list[int]] = defaultdict(list)
    by_body: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        if r.url_key:
            by_url[r.url_key].append(i)
        if r.content_hash and r.kind == "pdf":
            by_pdf[r.content_hash].append(i)
        elif r.content_hash and r.long_text:
            by_body[r.content_hash].append(i)
    for group in by_url.values():
        yield from (("url", group[0], j) for j in group[1:])
    children: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        if r.kind == "pdf" and r.parent_key and r.parent_key in by_url:
            children[r.parent_key].append(i)
    for parent, pdfs in children.items():
        if len(pdfs) <= opts.max_pdfs_per_page:
            page = next((j for j in by_url[parent] if records[j].kind != "pdf"), by_url[parent][0])
            yield from (("pdf_parent", page, i) for i in pdfs)
    for stage, groups in (("pdf_hash", by_pdf), ("content_hash", by_body)):
        for group in groups.values():
            yield from ((stage, group[0], j) for j in group[1:])


def _generic(records: Sequence[DocRecord], opts: DedupOptions) -> set[int]:
    """Records whose exact title a single source repeats: section names, never fuzzy-matched."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in records:
        counts[(r.source_id, r.title.full_key)] += 1
    return {i for i, r in enumerate(records)
            if not r.title.words or counts[(r.source_id, r.title.full_key)] >= opts.generic_title_repeats}


def cluster_records(records: Sequence[DocRecord], opts: DedupOptions | None = None,
                    decisions: Decisions | None = None) -> list[Cluster]:
    """Deterministic: the same records (in any order) give the same clusters in the same order."""
    opts = opts or DedupOptions()
    decisions = decisions or Decisions()
    records = sorted(records, key=lambda r: r.id)
    index = {r.id: i for i, r in enumerate(records)}
    groups = _Groups(len(records))
    best: dict[int, tuple[int, float, str]] = {}  # record -> (stage rank, -score, stage)
    banned: dict[int, set[int]] = defaultdict(set)
    for pair in decisions.splits:
        a, b = sorted(pair)
        if a in index and b in index:
            banned[index[a]].add(index[b])
            banned[index[b]].add(index[a])

    def vetoed(ra: int, rb: int) -> bool:
        left, right = groups.members[ra], groups.members[rb]
        if banned and any(banned[i] & set(right) for i in left):
            return True
        return False

    def link(stage: str, i: int, j: int, score: float = 1.0) -> bool:
        ri, rj = groups.find(i), groups.find(j)
        if ri == rj or vetoed(ri, rj):
            return ri == rj
        if stage == "title" and _fuzzy_veto(records, groups.members[ri], groups.members[rj], opts):
            return False
        groups.union(i, j)
        for k in (i, j):
            mark = (STAGE_RANK[stage], -score, stage)
            if k not in best or mark < best[k]:
                best[k] = mark
        return True

    for stage, i, j in _exact_edges(records, opts):
        link(stage, i, j)
    generic = _generic(records, opts)
    eligible = [i for i in range(len(records)) if i not in generic]
    subset = [records[i] for i in eligible]
    scored = sorted(
        (-score, eligible[a], eligible[b]) for score, a, b in candidate_pairs(subset, opts)
    )
    for neg, i, j in scored:
        if confirm(records[i], records[j], -neg, opts) is None:
            link("title", i, j, round(-neg / 100, 3))
    for a, b in decisions.merges:
        if a in index and b in index:
            link("manual", index[a], index[b])
    clusters = []
    for root in range(len(records)):
        if groups.find(root) != root:
            continue
        members = sorted(groups.members[root])
        clusters.append(Cluster(members=[
            Member(records[i], *(best[i][2], -best[i][1]) if i in best else ("first", 1.0)) for i in members
        ]))
    clusters.sort(key=lambda c: c.members[0].record.id)
    return clusters


def _fuzzy_veto(records: Sequence[DocRecord], left: list[int], right: list[int], opts: DedupOptions) -> bool:
    """Complete linkage on hard negatives: no two documents of one source, no edition conflicts."""
    for i in left:
        for j in right:
            a, b = records[i], records[j]
            if a.source_id == b.source_id and a.kind != "pdf" and b.kind != "pdf":
                return True
            if hard_conflict(a, b, opts):
                return True
    return False
