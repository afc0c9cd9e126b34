"""The title of a page given as text: the first line is not always it.

Real pages open with a cookie banner (« Tout accepter », « Personnaliser »), the loading
placeholder of an agenda plugin, a section label (« ACTUALITÉ », « Chapô »), a breadcrumb, a
date, the site's name, or an author and reading-time line. The title is the first line that
reads like one; a page that opens on prose has none of its own, and its first sentence stands in.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from normalizers.dates import locate
from normalizers.page_dates import slug_text
from normalizers.text import fold, squash, truncate

SITE_CHROME = "habillage du site (bandeau, menu, étiquette, auteur)"
SITE_NAME = "le nom du site"
CHROME_REASONS = (SITE_CHROME, SITE_NAME)  # lines of the site, not of the page's content
HEAD_LINES = 14  # a title comes within the first lines of a page
_CHROME = re.compile(
    r"(cookie|tout accepter|tout refuser|accepter et fermer|personnaliser|parametrer|parametres des cookies"
    r"|consentement|nous utilisons|ce site utilise|gerer mes choix|en poursuivant votre navigation"
    r"|^chargement|chargement en cours|chargement de|^loading|veuillez patienter|^\.{3}$|aller au contenu"
    r"|passer au contenu|aller a la navigation|^menu\b|menu principal|^rechercher\b|^recherche$|^fermer$|^accueil\b"
    r"|vous etes ici|fil d'ariane|^partager\b|^imprimer|^se connecter|^connexion$|^mon compte|^retour\b"
    r"|temps de lecture|min(?:utes?)? de lecture|lecture \d+ min|^par [a-z]+(?: [a-z-]+){0,3}$"
    r"|^publie(?:e)? (?:le|par)|^mis(?:e)? (?:a jour|en ligne)|^derniere mise a jour|^credits? photo|^photo ?:"
    r"|^©|^lire (?:aussi|la suite)|derniere modification|^il y a \d|^en savoir plus$|^s'abonner|^newsletter$"
    r"|^english$|^fr$|^en$|^image$|aucun resultat|skip to|fermer la fenetre|^j'ai compris|retour a la liste"
    r"|^capture d.ecran|^views?$|\bviews$|^acced[ae]z a$|^commentaires?$|^s'identifier$|^download\b|^telecharger$"
    r"|^reagir\b|^illustration\b|^protected$|^transcript|mot de pas+e oublie|^theme\s*:|^visuel\b|^(?:#\w+\s*)+$"
    r"|si la page ne s'affiche|derniere mise a jour le|(?:agrandir|diminuer|reduire|taille) (?:du |le )?texte"
    r"|^recherche avancee$)")
_BREADCRUMB = re.compile(r"(\s[>›»/|]\s.*){1,}|^accueil\s*[>›»/|]")
_LABELS = {
    "actualite", "actualites", "actu", "actus", "agenda", "evenement", "evenements", "territoires", "chapo",
    "publications", "publication", "ressources", "a la une", "communique", "communique de presse", "news",
    "dossier", "dossiers", "presse", "info", "infos", "focus", "zoom", "portrait", "temoignage", "breve",
    "breves", "appels a projets", "appel a projets", "formations", "formation", "outils", "etudes", "article",
    "blog", "videos", "video", "replay", "webinaires", "solidarite", "solidarites", "social", "sante",
    "alimentation", "vie associative", "nos actions", "projets", "initiatives", "le mag", "magazine",
}
_PROSE_END = re.compile(r"[.;,]$")


def _is_chrome(line: str) -> bool:
    folded = fold(line).lstrip("•·▪*-–—<>«» ").strip()
    if not folded or _CHROME.search(folded):
        return True
    if folded in _LABELS or folded.rstrip(" :") in _LABELS:
        return True
    return bool(_BREADCRUMB.search(folded)) and len(folded) < 160 and folded.count(" > ") + folded.count(" / ") >= 1


def _is_date_line(line: str) -> bool:
    """A line that is only a date (« 10.11.2020 », « 12 mars 2024 », « novembre, 2020 »)."""
    rest = line
    for expr in reversed(locate(line)):
        rest = rest[:expr.pos] + rest[expr.endpos:]
    rest = re.sub(r"(?i)\b(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre"
                  r"|d[ée]cembre|(?:19|20)\d{2}|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|le|du|au)\b", "",
                  rest)
    return len(re.sub(r"[\W\d_]+", "", rest)) <= 3


def _site_words(url: str) -> str:
    host = urlsplit(url or "").hostname or ""
    parts = [p for p in host.split(".") if p not in ("www", "fr", "org", "com", "net", "gouv", "eu", "info", "asso")]
    return re.sub(r"[^a-z]", "", parts[0]) if parts else ""


def _is_site_name(line: str, site: str, following: str) -> bool:
    """« Ireps Guadeloupe - Instance régionale… » above the page's own content."""
    if len(site) < 4:
        return False
    compact = re.sub(r"[^a-z]", "", fold(line))
    if not compact.startswith(site[:max(4, len(site) - 2)]):
        return False
    # « CODES95, Education Santé Val d'Oise » twice: the logo's text, then the site's name
    return len(compact) <= 2 * len(site) + 6 or bool(re.search(r"\s[-|–]\s", line)) and bool(following) \
        or following == line


def _is_short_label(line: str, following: str) -> bool:
    """A short tag (« Banque des territoires ») set above a longer title."""
    words = line.split()
    return len(words) <= 3 and len(line) <= 30 and len(following) > len(line) + 10 and not _PROSE_END.search(following)


def _is_fragment(line: str) -> bool:
    """A lead-in (« Au programme : ») or the rest of a sentence (« des fiches actions »)."""
    return line.endswith((":", ",")) or line[:1].islower()


def _is_prose(line: str) -> bool:
    return len(line) > 200 or (len(line) > 90 and bool(_PROSE_END.search(line)) and line.count(" ") > 14)


_SLUG_STOP = {"les", "des", "une", "pour", "dans", "avec", "sur", "par", "aux", "est", "son", "ses", "leur",
              "leurs", "qui", "que", "dont", "plus", "the", "and", "html", "php", "aspx"}
SLUG_AGREEMENT = 0.6  # share of the address's words a line must hold to be taken for the title
KEPT_AGREEMENT = 0.34  # a first title sharing this much with the address is kept


def slug_words(url: str) -> list[str]:
    """The words of the address's last segment, which sites derive from the page's title."""
    words = re.split(r"[^a-z0-9]+", fold(re.sub(r"\.pdf$", "", slug_text(url), flags=re.IGNORECASE)))
    return [w for w in words if len(w) >= 3 and not w.isdigit() and w not in _SLUG_STOP]


_ELISION = re.compile(r"\b(qu|[cdjlmnst])['’]\s*")


def _agreement(line: str, words: list[str]) -> float:
    folded = fold(line)
    # « l'alimentation » is « lalimentation » in an address and « alimentation » in a sentence
    present = set(re.split(r"[^a-z0-9]+", folded)) | set(re.split(r"[^a-z0-9]+", _ELISION.sub(r"\1", folded)))
    return sum(w in present for w in words) / len(words) if words else 0.0


def _slug_title(lines: list[str], url: str, chosen: str) -> str | None:
    """The head line the address was written from, when the line taken first is not it
    (« S'identifier », « • Aucun résultat trouvé », a caption, a chapô)."""
    words = slug_words(url)
    if len(words) < 3 or _agreement(chosen, words) >= KEPT_AGREEMENT:
        return None
    best, score = None, SLUG_AGREEMENT
    for line in lines:
        if len(line) > 200 or _is_chrome(line) or _is_prose(line) or _is_fragment(line):
            continue
        value = _agreement(line, words)
        if value > score + 1e-9 or (best is None and value >= score):
            best, score = line, value
    return best


def choose_title(text: str, url: str = "") -> tuple[str, list[tuple[str, str]]]:
    """The title, and the first lines passed over with why (in French)."""
    lines = [squash(line) for line in (text or "").splitlines()]
    lines = [line for line in lines if line][:HEAD_LINES]
    if not lines:
        return "", []
    title, skipped = _first_title(lines, url)
    better = _slug_title(lines, url, title)
    if better and better != title:
        return better[:300], [*skipped, (title[:80], "ne reprend pas les mots de l'adresse de la page")]
    return title, skipped


def _first_title(lines: list[str], url: str) -> tuple[str, list[tuple[str, str]]]:
    site = _site_words(url)
    skipped: list[tuple[str, str]] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        why = ""
        if _is_chrome(line):
            why = SITE_CHROME
        elif _is_date_line(line):
            why = "une date seule"
        elif _is_prose(line):
            why = "un paragraphe, pas un titre"
        elif _is_site_name(line, site, following) or (line[:80], SITE_NAME) in skipped:
            why = SITE_NAME
        elif following and _is_short_label(line, following) and not _is_chrome(following) and not _is_prose(following):
            why = "une étiquette de rubrique"
        elif len(line) < 6:
            why = "trop court"
        if not why:
            return line[:300], skipped
        skipped.append((line[:80], why))
    sentence = re.split(r"(?<=[.!?])\s", lines[0], maxsplit=1)[0]
    return truncate(sentence, 160), [*skipped, ("", "aucune ligne de titre : la première phrase en tient lieu")]


def page_title(text: str, url: str = "") -> str:
    """The first line that reads like a title; else the page's first sentence, shortened."""
    return choose_title(text, url)[0]


# An event the source says is cancelled, postponed or full is shown as such wherever its title
# is (portal, agenda, feeds, digest), never as a normal event. fields.event_status: OpenAgenda's
# status (spiders/openagenda.py); rescheduled and moved-online events keep their title (new
# dates, « En ligne » as the place).
STATUS_PREFIXES = {"annule": "Annulé : ", "reporte": "Reporté : ", "complet": "Complet : "}


def status_title(title: str, status: str | None) -> str:
    prefix = STATUS_PREFIXES.get(str(status or ""))
    if not prefix or fold(title).startswith(fold(prefix.split(" ")[0])):
        return title
    return prefix + title
