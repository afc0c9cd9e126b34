"""Stable resource ids: a resource keeps its id across rebuilds, merges and new relays.

Every cluster votes with its keys (canonical URLs and `doc:<document id>`) for the ids those keys
had at the previous build. The id with most votes goes to the cluster that holds most of its keys;
an id that loses (two resources merged into one) becomes an alias of the winner, so old links can
be redirected. A cluster with no previous id gets a hash of its smallest URL key, as before.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence


def new_id(*parts: str, length: int = 12) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:length]


def assign_ids(cluster_keys: Sequence[set[str]], known: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """Ids for each cluster (same order), and aliases {lost id: id it now lives in}."""
    votes = [Counter(known[k] for k in keys if k in known) for keys in cluster_keys]
    claims = sorted(
        (-count, old, n) for n, counter in enumerate(votes) for old, count in counter.items()
    )
    ids: list[str | None] = [None] * len(cluster_keys)
    taken: set[str] = set()
    previous = set(known.values())
    for _, old, n in claims:
        if ids[n] is None and old not in taken:
            ids[n] = old
            taken.add(old)
    for n, keys in enumerate(cluster_keys):
        if ids[n] is not None:
            continue
        ordered = sorted(keys, key=lambda k: (k.startswith("doc:"), k))
        candidate = new_id(ordered[0]) if ordered else new_id(str(n))
        salt = 0
        while candidate in taken or (candidate in previous and candidate not in votes[n]):
            salt += 1
            candidate = new_id(ordered[0] if ordered else str(n), str(salt))
        ids[n] = candidate
        taken.add(candidate)
    aliases: dict[str, str] = {}
    for _count, old, n in claims:  # most votes first: a lost id points where most of it went
        if old not in taken and old not in aliases:
            aliases[old] = ids[n]
    return [i for i in ids if i is not None], aliases
