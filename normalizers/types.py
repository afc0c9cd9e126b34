"""Resource type: the source's explicit hint first, then keywords of title and text."""

from __future__ import annotations

from normalizers.keywords import scores, vocabulary
from normalizers.text import fold

TYPES = ("etude", "barometre", "appel_a_projets", "formation", "evenement", "bonne_pratique", "outil", "actualite")


def _hint_type(hint: str | None) -> str | None:
    """A hint is a slug (« formation ») or a source's own label (« Appel à projets »)."""
    if not hint:
        return None
    if hint in TYPES:
        return hint
    vocab = vocabulary("types")
    found = scores(vocab, str(hint), "")
    best = max(found, key=lambda t: found[t])
    return best if found[best] else None


def classify_type(title: str, text: str = "", hint: str | None = None, default: str | None = None,
                  categories: list[str] | None = None) -> str:
    """Exactly one slug of the taxonomy.

    A title saying « bilan » or « retour sur » reports a past event: it is news, not an event.
    """
    explicit = _hint_type(hint)
    if explicit:
        return explicit
    vocab = vocabulary("types")
    found = scores(vocab, title, text, extra_title=" ".join(str(c) for c in categories or []),
                   lead_weight=vocab.title_weight)
    title_f = fold(title)
    if any(marker in title_f for marker in vocab.extra.get("report_markers", [])):
        found["evenement"] = 0
        found["formation"] = min(found["formation"], 1)
        found["actualite"] += vocab.threshold + 1
    order = vocab.extra.get("order", list(TYPES))
    best = max(order, key=lambda t: (found.get(t, 0), -order.index(t)))
    if found.get(best, 0) >= vocab.threshold:
        return best
    return default if default in TYPES else "actualite"
