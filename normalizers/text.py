"""Text helpers: whitespace, accent folding and clean summaries.

Summaries come from the source's own description when it has one; otherwise from the first
sentences that read like prose, so navigation menus and cookie banners never reach the portal.
"""

from __future__ import annotations

import re
import unicodedata

# Lines that are site chrome rather than content (checked on folded, lower-case text).
BOILERPLATE = re.compile(
    r"(cookie|javascript|aller au contenu|passer au contenu|menu principal|fil d'ariane|vous etes ici"
    r"|partager (sur|cet|l'article|la page)|^partager|imprimer|se connecter|mon compte|newsletter"
    r"|inscrivez-vous a (notre|la) lettre|publie le|mis a jour le|mis en ligne le|temps de lecture"
    r"|tous droits reserves|mentions legales|politique de confidentialite|plan du site|^accueil\b"
    r"|accepter|tout refuser|parametrer|lire la suite|en savoir plus|retour (a la liste|au sommaire)"
    r"|^sommaire$|^credit photo|^photo ?:|^©)"
)
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"A-ZÀ-Ý0-9])")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "\u00a0": " ", "\u202f": " ", "–": "-", "—": "-"})


def squash(text: str | None) -> str:
    """One line, single spaces: what every field shown to people should look like."""
    return re.sub(r"\s+", " ", text or "").strip()


def clean_typography(text: str) -> str:
    """Straight apostrophes, plain spaces and hyphens, so patterns stay simple."""
    return (text or "").translate(_APOSTROPHES)


def fold(text: str | None, lower: bool = True) -> str:
    """Accent-free text for keyword matching (« Épicerie » → « epicerie »); other symbols dropped."""
    text = clean_typography(text or "").replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", text.lower() if lower else text)


def truncate(text: str, limit: int) -> str:
    """Cut on a word boundary and mark the cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


def _is_prose(line: str, title_key: str) -> bool:
    """A line that reads like a sentence of content, not chrome."""
    if len(line) < 60 or line.count(" ") < 8:
        return False
    folded = fold(line)
    if BOILERPLATE.search(folded) or folded == title_key:
        return False
    letters = [c for c in line if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) > 0.5 * len(letters):
        return False
    return sum(c.islower() for c in letters) >= 0.6 * len(letters)


def make_summary(summary: str, text: str, limit: int = 320, title: str = "") -> str:
    """The source's description if usable, else the first meaningful sentences of the text."""
    given = squash(summary)
    if len(given) >= 40 and not BOILERPLATE.search(fold(given)[:80]):
        return truncate(given, limit)
    title_key = fold(squash(title))
    kept: list[str] = []
    size = 0
    for raw in (text or "")[:20000].splitlines():
        line = squash(raw).lstrip("•-*· ").strip()
        if not _is_prose(line, title_key):
            continue
        kept.append(line)
        size += len(line) + 1
        if size >= limit:
            break
    result = " ".join(kept)
    if not result:
        return truncate(given, limit)
    if len(result) <= limit:
        return result
    # Prefer ending on a full sentence when one fits reasonably.
    sentences = SENTENCE_END.split(result)
    out = ""
    for sentence in sentences:
        if len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out if len(out) >= limit // 2 else truncate(result, limit)
