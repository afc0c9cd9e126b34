"""Keyword scoring shared by types, themes and audiences; the keywords live in keywords.yaml."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from normalizers.text import alternation, fold

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Vocabulary:
    """One section of keywords.yaml, compiled into a single regex (one pass over the text)."""

    slugs: tuple[str, ...]
    pattern: re.Pattern
    owners: dict[str, tuple[str, ...]]  # keyword -> slugs it points to
    weights: dict[str, int]  # keyword -> weight (1 unless the data says otherwise)
    title_weight: int
    text_window: int
    threshold: int
    short_text: int  # below this many characters of text...
    short_threshold: int  # ...this threshold applies instead
    extra: dict[str, Any]

    def threshold_for(self, text: str) -> int:
        return self.short_threshold if len(text) < self.short_text else self.threshold


@lru_cache(maxsize=1)
def keyword_data() -> dict[str, Any]:
    return yaml.safe_load((HERE / "keywords.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def vocabulary(section: str) -> Vocabulary:
    spec = keyword_data()[section]
    owners: dict[str, list[str]] = {}
    weights: dict[str, int] = {}
    for slug, words in spec["keywords"].items():
        for item in words:
            pairs = item.items() if isinstance(item, dict) else [(item, 1)]
            for word, weight in pairs:
                owners.setdefault(fold(word), []).append(slug)
                weights[fold(word)] = int(weight)
    words = alternation(owners)
    known = ("keywords", "title_weight", "text_window", "threshold", "short_text", "short_threshold")
    extra = {k: v for k, v in spec.items() if k not in known}
    return Vocabulary(
        slugs=tuple(spec["keywords"]),
        pattern=re.compile(rf"(?<![a-z0-9])(?:{words})"),
        owners={k: tuple(v) for k, v in owners.items()},
        weights=weights,
        title_weight=int(spec.get("title_weight", 2)),
        text_window=int(spec.get("text_window", 5000)),
        threshold=int(spec.get("threshold", 2)),
        short_text=int(spec.get("short_text", 0)),
        short_threshold=int(spec.get("short_threshold", spec.get("threshold", 2))),
        extra=extra,
    )


def hits(vocab: Vocabulary, folded: str) -> Counter:
    """How many times each keyword occurs in already folded text."""
    return Counter(vocab.pattern.findall(folded))  # the pattern has no group: findall gives whole matches


def lead(title: str) -> str:
    """The head of a title, before « : » or « – » (« Formation : … », « Webinaire – … »)."""
    head = re.split(r"\s[:–-]\s|:\s", title, maxsplit=1)[0]
    return head if len(head) < len(title) else " ".join(title.split()[:3])


def scores(vocab: Vocabulary, title: str, text: str, extra_title: str = "", lead_weight: int = 0) -> dict[str, int]:
    """Score of every slug: title hits weigh more; each text keyword counts at most twice."""
    result = dict.fromkeys(vocab.slugs, 0)
    text_f = fold(text[: vocab.text_window]) + " "
    parts = [(fold(f"{title} {extra_title}") + " ", vocab.title_weight, 1), (text_f, 1, 2)]
    if lead_weight:
        parts.append((fold(lead(title)) + " ", lead_weight, 1))
    for folded, factor, cap in parts:
        for word, count in hits(vocab, folded).items():
            for slug in vocab.owners[word]:
                result[slug] += factor * vocab.weights.get(word, 1) * min(count, cap)
    return result


def labels(vocab: Vocabulary, title: str, text: str, given: list[str] | None = None) -> list[str]:
    """Slugs scoring at least the threshold, plus those an explicit source field names."""
    threshold = vocab.threshold_for(text)
    chosen = [s for s, v in scores(vocab, title, text).items() if v >= threshold]
    for value in given or []:
        value_f = fold(str(value)) + " "
        if value_f.strip() in vocab.slugs:
            chosen.append(value_f.strip())
            continue
        for word in hits(vocab, value_f):
            chosen.extend(vocab.owners[word])
    return [s for s in vocab.slugs if s in set(chosen)]
