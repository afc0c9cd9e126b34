"""Clean summaries: the given description, else the first meaningful sentences of the text."""

from __future__ import annotations

import re

BOILERPLATE = re.compile(
    r"(cookie|javascript|menu|aller au contenu|partager|newsletter|se connecter|publié le|temps de lecture)",
    re.IGNORECASE,
)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def make_summary(summary: str, text: str, limit: int = 320) -> str:
    summary = squash(summary)
    if len(summary) >= 40:
        return summary if len(summary) <= limit else summary[: limit - 1].rsplit(" ", 1)[0] + "…"
    lines = [squash(line) for line in (text or "").splitlines()]
    kept = [line for line in lines if len(line) > 60 and not BOILERPLATE.search(line)]
    result = " ".join(kept)[: limit * 2]
    if len(result) <= limit:
        return result or summary
    return result[: limit - 1].rsplit(" ", 1)[0] + "…"
