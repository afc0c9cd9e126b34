"""What a title says for matching: its informative words, and the markers that tell editions apart.

Two titles that differ only by a year (« Baromètre … 2023 » / « … 2024 »), an ordinal
(« 17e baromètre » / « 18e ») or a recap word (« Webinaire X » / « Retour sur le webinaire X »)
are different resources even when every other word is the same, so those markers are taken out
of the words that are compared and checked on their own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from dedup.folding import fold
from dedup.territories import territories

STOPWORDS = frozenset(
    "a au aux avec ce ces cet cette d dans de des du en et l la le les leur leurs n ou par pour qu que qui "
    "s sa se ses son sur un une vers y est sont the of and to in on for".split()
)
# Words of section names and generic titles (« Offre d'emploi : chargé de mission », « Rapport
# d'activité »): a title made only of them names nothing in particular.
GENERIC_WORDS = frozenset(
    "actualite activite agenda annuel appel assemblee bilan breve candidature charge communique contact "
    "dossier edito emploi evenement generale information lettre mission newsletter offre presse projet "
    "publication rapport recrutement ressource stage webinaire".split()
)
EDITION_WORDS = frozenset("edition editions numero no vol volume tome annee".split())
ORDINAL_WORDS = {
    "premier": 1, "premiere": 1, "deuxieme": 2, "second": 2, "seconde": 2, "troisieme": 3,
    "quatrieme": 4, "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8, "neuvieme": 9,
    "dixieme": 10, "onzieme": 11, "douzieme": 12, "treizieme": 13, "quatorzieme": 14,
    "quinzieme": 15, "seizieme": 16, "vingtieme": 20, "trentieme": 30,
}
ORDINAL = re.compile(r"^(\d{1,3})(?:e|er|ere|eme|re|nd|nde|th|st|rd)$")
YEAR = re.compile(r"^(?:19[5-9]\d|20\d\d)$")
NUMBER = re.compile(r"^\d+$")
# Words that turn an event or a publication into its aftermath: a separate resource.
RECAP = re.compile(
    r"\b(?:retour sur|retours sur|bilan|compte[ -]rendu|synthese|actes|restitution|replay|revivez|en images|"
    r"ce qu.il faut retenir|temps forts)\b"
)
SITE_SUFFIX = re.compile(r"\s+[|]\s+[^|]{1,60}$")
# A genre label a relay puts before the title (« Étude : X », « [Agenda] X », « Financement - X »).
GENRE_PREFIX = re.compile(
    r"^\s*[\[(]?\s*(?:a lire|etude|financement|agenda|actualites?|actu|ressources?|publication|formation|"
    r"webinaire|evenement|appel a projets|aap|nouveau|nouvelle|info|focus|zoom|a la une|on en parle|"
    r"a noter|breve|communique)\s*(?:[\])]\s*[:\-–|]?|[:\-–|])\s+"
)


def _without_genre_prefix(title: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c)).lower()
    match = GENRE_PREFIX.match(plain)
    return title[match.end():] if match and match.end() < len(title) - 10 else title


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss") else word


@dataclass(frozen=True, slots=True)
class TitleInfo:
    words: tuple[str, ...]  # informative words, stemmed, sorted, unique
    ordered: str  # the same words in title order: robust to a typo that would reorder a sorted key
    years: frozenset[int]
    ordinals: frozenset[int]
    numbers: frozenset[int]  # other numbers (department codes, volumes…)
    recap: bool
    places: frozenset[str]  # régions and départements named in the title

    @property
    def generic(self) -> bool:
        """Only section-name words: matching it across organisations would merge unrelated pages."""
        return all(w in GENERIC_WORDS for w in self.words)

    @property
    def key(self) -> str:
        """The string the fuzzy stage compares: sorted words (order and markers do not count)."""
        return " ".join(self.words)

    @property
    def full_key(self) -> str:
        """Words and markers: equal full keys mean the very same title."""
        marks = sorted(self.years) + sorted(self.ordinals) + sorted(self.numbers)
        return self.key + "|" + " ".join(map(str, marks)) + ("|r" if self.recap else "")

    @property
    def edition(self) -> int | None:
        """The edition a title names: its year, else its ordinal."""
        if self.years:
            return max(self.years)
        if self.ordinals:
            return min(self.ordinals)
        return None


@lru_cache(maxsize=65536)
def analyse_title(title: str) -> TitleInfo:
    """Words and edition markers of a title (cached: relays repeat titles)."""
    title = _without_genre_prefix(SITE_SUFFIX.sub("", title or ""))
    folded = fold(title)
    words, years, ordinals, numbers = set(), set(), set(), set()
    in_order: list[str] = []
    for token in folded.split():
        if YEAR.match(token):
            years.add(int(token))
        elif match := ORDINAL.match(token):
            ordinals.add(int(match.group(1)))
        elif token in ORDINAL_WORDS:
            ordinals.add(ORDINAL_WORDS[token])
        elif NUMBER.match(token):
            numbers.add(int(token))
        elif token not in STOPWORDS and token not in EDITION_WORDS and len(token) > 1:
            stem = _stem(token)
            if stem not in words:
                words.add(stem)
                in_order.append(stem)
    return TitleInfo(
        words=tuple(sorted(words)), ordered=" ".join(in_order), years=frozenset(years), ordinals=frozenset(ordinals),
        numbers=frozenset(numbers), recap=bool(RECAP.search(folded)), places=territories(folded),
    )


def strip_markers(title: str) -> str:
    """A series title: the title without its years and ordinals (« Baromètre de la pauvreté »)."""
    text = re.sub(r"\b(?:19[5-9]\d|20\d\d)\b", "", title or "")
    text = re.sub(r"\b\d{1,3}\s?(?:e|er|ère|ere|ème|eme|re)\b", "", text, flags=re.I)
    text = re.sub(r"[\s–-]*\b[ée]dition\s*$", "", text.strip(), flags=re.I)  # « … – édition 2025 »
    text = re.sub(r"^\s*[ée]dition\s+(?:de la |des |du |de l'|d'|de )?", "", text, flags=re.I)
    text = re.sub(r"\s+([,.;)])", r"\1", re.sub(r"\s{2,}", " ", text))
    return text.strip(" :–-,;()")
