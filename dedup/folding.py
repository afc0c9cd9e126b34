"""Accent- and case-free text, the common ground of every comparison."""

from __future__ import annotations

import re
import unicodedata

LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """Lower case, no accents, apostrophes (’ too) and punctuation as spaces."""
    text = unicodedata.normalize("NFKD", (text or "").translate(LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[\W_]+", " ", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", text).strip()
