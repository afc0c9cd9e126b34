"""Resource type: the source's explicit hint first, then keywords of title and text."""

from __future__ import annotations

import re
import unicodedata

TYPES = ("etude", "barometre", "appel_a_projets", "formation", "evenement", "bonne_pratique", "outil", "actualite")

# Keyword stems per type, accent-free and lower-case; title hits weigh more than text hits.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "barometre": ("barometre", "enquete annuelle", "observatoire annuel"),
    "appel_a_projets": ("appel a projet", "appel a manifestation", "appel a candidature", "subvention",
                        "date limite de depot", "financement", "aap "),
    "formation": ("formation", "mooc", "module de formation", "se former"),
    "evenement": ("webinaire", "webinar", "rencontre", "journee", "colloque", "seminaire", "atelier",
                  "visite apprenante", "conference", "table ronde"),
    "etude": ("etude", "rapport", "enquete", "diagnostic", "evaluation", "recherche", "these"),
    "outil": ("guide", "boite a outils", "kit", "fiche pratique", "methode", "referentiel", "outil"),
    "bonne_pratique": ("pratique inspirante", "retour d'experience", "initiative", "projet", "experimentation"),
}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", text.lower())


def classify_type(title: str, text: str = "", hint: str | None = None, default: str | None = None) -> str:
    """Exactly one slug of the taxonomy."""
    if hint in TYPES:
        return hint
    title_f, text_f = fold(title), fold(text[:3000])
    scores = {t: 3 * sum(k in title_f for k in keys) + sum(k in text_f for k in keys) for t, keys in KEYWORDS.items()}
    best = max(scores, key=lambda t: scores[t])
    if scores[best] >= 2:
        return best
    return default if default in TYPES else "actualite"
