"""Candidate pairs for the fuzzy stage without comparing all pairs.

Each document goes into the blocks of its few rarest informative words, and of every pair among
its four rarest words (a pair of common words is rare, and survives a typo in a third word).
Only documents sharing a block are scored, with rapidfuzz `ratio` on the sorted words and on the
words in title order (the better of both), one process.cdist matrix per block. Measured before
choosing: token_set_ratio scores 100 whenever a title is contained in another (hundreds of
thousands of false candidates on 20k titles); `ratio` on sorted words does not.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from itertools import combinations

import numpy as np
from rapidfuzz import fuzz, process

from dedup.options import DedupOptions
from dedup.records import DocRecord


def block_keys(records: Sequence[DocRecord], opts: DedupOptions) -> list[list[str]]:
    """For each record, its block keys (ties broken by spelling, so deterministic)."""
    df = Counter(w for r in records for w in r.title.words)
    out = []
    for r in records:
        rarest = [w for _, w in sorted((df[w], w) for w in r.title.words)]
        keys = [w for w in rarest[: opts.block_tokens] if df[w] <= opts.max_block_size]
        keys += [f"{a}+{b}" for a, b in combinations(sorted(rarest[:4]), 2)]
        out.append(keys)
    return out


def _scores(choices: list[str], cutoff: float, workers: int) -> np.ndarray:
    if len(choices) <= 8:
        n = len(choices)
        matrix = np.zeros((n, n), dtype=np.uint8)
        for x in range(n):
            for y in range(x + 1, n):
                matrix[x, y] = int(fuzz.ratio(choices[x], choices[y], score_cutoff=cutoff))
        return matrix
    return np.triu(process.cdist(choices, choices, scorer=fuzz.ratio, score_cutoff=cutoff,
                                 dtype=np.uint8, workers=workers), k=1)


def candidate_pairs(records: Sequence[DocRecord], opts: DedupOptions) -> Iterator[tuple[float, int, int]]:
    """(score, i, j) with i < j for every pair of records sharing a block and scoring >= cutoff."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, keys in enumerate(block_keys(records, opts)):
        for key in keys:
            blocks[key].append(i)
    seen: set[tuple[int, int]] = set()
    for key in sorted(blocks):
        members = blocks[key]
        if len(members) < 2 or len(members) > opts.max_block_size:
            continue
        sorted_words = _scores([records[i].title.key for i in members], opts.title_cutoff, opts.workers)
        in_order = _scores([records[i].title.ordered for i in members], opts.title_cutoff, opts.workers)
        matrix = np.maximum(sorted_words, in_order)
        xs, ys = np.nonzero(matrix)
        for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
            i, j = members[x], members[y]
            if records[i].source_id == records[j].source_id:
                continue
            pair = (i, j) if i < j else (j, i)
            if pair not in seen:
                seen.add(pair)
                yield float(matrix[x, y]), pair[0], pair[1]
