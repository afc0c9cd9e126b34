"""Every date of a page, with its year from the page's own context and its role.

A careful reader does not guess: « Jeudi 7 avril » on a page « Mise à jour : 8 avril 2016 » is
7 April 2016 (a Thursday), and « le 12 mars » on a page that gives no year anywhere is no date.
Roles are read from the words around each date, independently of the page's type: publication
or update, deadline, submission window, opening, registration, event or session, or another step
(fieldwork, a law's date, a jury). The type is decided afterwards (normalizers/types.py), partly
from these roles, and the resource's dates come from the roles its type calls for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from normalizers.dates import SCAN_LIMIT, WEEKDAYS, Expr, Part, day_of, locate
from normalizers.hours import hours_after
from normalizers.text import clean_typography, fold

PUBLISHED, UPDATED = "publication", "mise à jour"
DEADLINE, DEADLINE_WEAK, WINDOW, OPENING = "date limite", "date limite probable", "fenêtre de dépôt", "ouverture"
REGISTRATION, EVENT, OTHER, NONE = "inscription", "événement ou session", "autre étape", "sans rôle"

# Cues are matched on folded text (no accents, lower case, single spaces); `$` ties a cue to the
# date that follows it, `^` a cue to the date it follows.
_PUBLISHED_BEFORE = re.compile(
    r"(publie(?:e)?(?: le)?|date de (?:publication|parution)|mis(?:e)? en ligne(?: le)?|paru(?:e|tion)?(?: le)?"
    r"|poste(?:e)? le|redige(?:e)? le|posted on|post on|published on|uploaded on"
    r"|communique(?: de presse)?|article (?:du|publie)(?: [^.;!?\d]{0,40})?|actualite du"
    r"|cree(?:e)? le|(?:redige|ecrit|publie|poste|propose)(?:e)? par [^.;!?\d]{1,50} le|publication"
    r"|publication de (?:l'appel|l'aap|l'ami|l'avis|la page|l'article)[^.;!?\d]{0,30}"
    # SPIP's « Publié dans : Rubrique, mercredi 3 février 2016, par … »
    r"|publie(?:e)? dans\s*:?[^.;!?\d]{1,80},)\s*[:,|-]?\s*(?:le\s*)?$")
_OTHER_ARTICLE = re.compile(r"\b(notre|votre|un|cet|son|leur|precedent|dans l'|voir l')\s*$")
_UPDATED_BEFORE = re.compile(r"(mis(?:e)? a jour(?: le)?|derniere mise a jour(?: le)?|actualise(?:e)?(?: le)?"
                             r"|(?:date de (?:la )?)?(?:derniere )?actualisation(?: le)?"
                             r"|modifie(?:e)?(?: le)?|(?:derniere )?modification(?: le)?|maj)\s*[:,|-]?\s*(?:le\s*)?$")
_DEADLINE_BEFORE = re.compile(
    r"(date limite|date butoir|cloture|clotur|fermeture|limite de (?:depot|candidature|reponse|reception|remise)"
    r"|au plus tard|echeance|fin des (?:candidatures|depots|inscriptions)|depot(?:s)? (?:des|de votre|du) "
    r"|remise des|retour des|envoi des|a (?:deposer|renvoyer|retourner|transmettre|envoyer|remettre|adresser)"
    r"|candidatures? |dossiers? |reponses? attendues?|candidater|deposer|repondre|soumettre|postuler"
    r"|(?:appel|aap|ami) (?:est )?ouvert(?:e)? jusqu|\bclos(?:e|es)?\b|se clot|se cloturera|prendra fin)"
    r"[^.;!?]{0,60}$")
_DEADLINE_DIRECT = re.compile(r"(date limite|date butoir|cloture|echeance|au plus tard|date de fin de depot"
                              r"|limite de depot|fermeture|fin des (?:candidatures|depots))[^.;!?]{0,50}$")
_DEADLINE_AFTER = re.compile(r"^\s*(?:[:(=]|-\s|\s-)\W{0,3}(?:[a-z]{0,3}\s)?(date limite|date butoir|cloture"
    r"|fin (?:du|des) depot"
                             r"|limite de depot|fermeture|dernier delai|echeance)")
_WEAK_BEFORE = re.compile(r"(jusqu'?\s?(?:au|a)|avant le|d'ici le|au plus tard le)\s*$")
_OPENING_BEFORE = re.compile(r"(a partir du|a compter du|des le|ouverture\b[^.;!?:]{0,40}|ouvert(?:e)?s? (?:le"
    r"|du|depuis le)"
                             r"|lancement\b[^.;!?:]{0,40}|date d'ouverture|lance(?:e)? le"
                             r"|debut (?:des candidatures|du depot))"
                             r"\s*[:,-]?\s*(?:le\s*)?$")
_REGISTRATION_BEFORE = re.compile(r"(inscri(?:ption|re|vez)[^.;!?]{0,40}|reservation[^.;!?]{0,30})$")
_REGISTRATION_AFTER = re.compile(r"^\s*(?:[:(=]|-\s|\s-)\W{0,3}(date limite d'inscription|fin des inscriptions"
    r"|inscriptions?\b)")
# « Nicole Mari le Vendredi 21 Janvier 2022 à 21:36 »: an author's line (matched on the raw text).
_BYLINE = re.compile(r"^\s*(?:par\s+)?[A-ZÉÈ][a-zéèëïç'-]+(?:\s+(?:[A-ZÉÈ][\w'-]+|de|du|d'|le|la)){1,3},?\s+le\s*$")
# « initialement fixée le 15 mars, est reportée au lundi 29 mars 2021 »: the first date is replaced,
# the second is the deadline when the sentence is about one, the event's day otherwise.
_SUPERSEDED_BEFORE = re.compile(r"\b(initialement (?:fixee?s?|prevue?s?|programmee?s?|annoncee?s?)?"
                                r"\s*(?:le|au|du|pour le)?)\s*$")
_POSTPONED_BEFORE = re.compile(r"\b((?:reporte|repousse|prolonge|decale|differe)e?s? (?:au|jusqu'au|a)(?: le)?)\s*$")
_DEADLINE_WORDS = re.compile(r"\b(date limite|cloture|depot|candidature|dossiers?|inscriptions?|appel)\b")
# « 6 novembre 2023 à 17h34 par Élodie Quesnel »: the date of an author's line (matched on the raw text).
_BYLINE_AFTER = re.compile(r"^\s*(?:[-,|·]\s*)?(?:à\s*\d{1,2}\s?[h:]\s?\d{2}\s*)?(?:[-,|·]\s*)?par\s+[A-ZÉÈ]")
# In the page's head: « Par Violaine X, chargée d'études - 16.06.2022 » (an author and role, then
# the date) and « Intercommunalité sociale | 29/10/2018 » (a section label, then the date).
_HEAD_BYLINE = re.compile(r"^\s*(?:par\s+[A-ZÉÈ][^\n]{2,120}?\s[-–|·]|[^|\n\d]{2,40}\|)\s*$", re.IGNORECASE)
# « 23/10/2014 - Article du Dauphiné Libéré »: a partner's repost of a press article, dated first.
_REPOST_AFTER = re.compile(r"^\s*[-–|:]\s*(?:article|paru|publi|extrait|source)", re.IGNORECASE)
# « Par Marie Dupont, France Bleu Drôme-Ardèche dimanche 11 décembre 2016 à 9:58 »
_TIMED_BYLINE = re.compile(r"^\s*[Pp]ar\s+[A-ZÉÈ][\w'-]+\s+[A-ZÉÈ][^\n]{2,120}?\s$")
_TIME_ONLY = re.compile(r"^\s*(?:à|-)\s*\d{1,2}\s?[h:]\s?\d{2}\s*$")
# A blog's byline: « Par Isabelle X • En Une • Mardi 21/10/2008 • 6 commentaires » (viabloga, overblog).
_DAYNAME = f"(?:{'|'.join(WEEKDAYS)})"
_BULLET_BYLINE = re.compile(r"^\s*(?i:publi[ée]e?\s+)?(?i:par)\s+[A-ZÉÈ][^\n•]{1,60}(?:•[^\n•]{0,40})*•\s*"
                            rf"(?i:{_DAYNAME}\s+)?(?i:le\s+)?$")
_BULLET_TAIL = re.compile(r"^\s*(?:•\s*(?:\d+\s+commentaires?|[^\n•]{0,40}))*\s*$", re.IGNORECASE)
# « Ce jeudi 20 novembre, le Secours Catholique rend public son rapport »: a release day.
_RELEASE_AROUND = re.compile(r"(rend(?:ent)? public|publie(?:nt)?|parait|paraissent|devoile(?:nt)?"
    r"|presente(?:nt)? (?:son|sa|ses|leur)"
                             r"|sort(?:ent)? (?:son|sa|leur)|rendu(?:e)? public)")
_WINDOW_WORDS = re.compile(r"(calendrier|depo(?:t|se)|candidat|dossier|appel|periode|campagne|ouvert|soumi|saisie"
                           r"|vague|duree|postuler|repondre|inscri)")
_OTHER_BEFORE = re.compile(
    r"\b(depuis(?: le)?|cree(?:e)? (?:le|en)|fonde(?:e)?|loi (?:n\S* )?(?:\d+\S* )?du|decret (?:n\S* )?(?:\d+\S* )?du"
    r"|arrete (?:n\S* )?du|circulaire|ordonnance|au 31|au 1er|au 30|terrain|enquete (?:realisee|menee|conduite)"
    r"|realise(?:e)?s? (?:du|entre|le)|menee(?:s)? (?:du|entre|le)|interroge(?:e)?s?|collecte des donnees|recueil"
    r"|jury|comite de selection|selection|notification|resultats|laureats|annonce|acheve|achevement|fin des projets"
    r"|realisation des projets|mise en oeuvre|conventionnement|versement|instruction|commission|comite|audition"
    r"|paiement|demarrage des projets|debut des projets|projets? (?:devront|doivent) (?:etre )?(?:realise|demarr|debut)"
    r"|decision|deliberation|signature|vote|adopte|promulgu|naissance|ne(?:e)? le|entre le|echeancier)"
    r"[^.;!?\n]{0,35}$")
_EVENT_BEFORE = re.compile(
    r"(aura lieu|auront lieu|se tiendra|se tiendront|se deroulera|se derouleront|rendez-vous|rdv|date(?:s)?(?: de"
    r" l'evenement| de la formation| de la session| et lieu)?\s*:|quand\s*\??\s*:|session|seance|module"
    r"|journee|rencontre|webinaire|webinar|colloque|conference|atelier|visite|forum|seminaire|reunion|salon"
    r"|festival|formation|matinee|apres-midi|soiree|table ronde|collecte|assemblee|ciné|projection|evenement"
    r"|le rendez-vous|lieu\s*:|programme|ouvert a tous|inscrivez-vous|participez|venez|vous invite|convie"
    r"|debut(?: du cours| des cours| de la formation| de la session| du module)?\s*:|demarre|commence)"
    r"[^.;!?]{0,60}$")
_EVENT_END_BEFORE = re.compile(r"(?:^|[.;]\s*)(fin(?: du cours| des cours| de la formation| de la session| du module)?"
                               r"|se termine(?:ra)?(?: le)?|jusqu'au|au)\s*:?\s*$")
_TIME_AFTER = re.compile(r"^\W{0,3}(?:de\s|des\s|a\s|a partir de\s|entre\s|,\s*)?\d{1,2}\s?h(?:\s?\d{2})?(?!\w)"
    r"|^\d{1,2}\s?h\s?\d{2}")
_YEAR_TOKEN = re.compile(r"(?<![\w/.-])((?:19|20)\d{2})(?![\w/-]|\s*(?:-|à|a)\s*(?:19|20)\d{2})")
_YEAR_NOT = re.compile(r"^\s*(?:personnes|euros|€|beneficiaires|familles|foyers|repas|tonnes|colis|benevoles|k€"
                       r"|places|habitants|menages|enfants|adherents|salaries)")
_RELATIVE_AFTER = re.compile(r"^\s*(derniers?|dernieres?|prochains?|prochaines?)\b")
_HEAD_LINES = 10  # a date alone on a line of the page's head (before its prose) is the page's date


@dataclass
class DateEvidence:
    """One date of the page, with where its year comes from and what it is for."""

    start: date
    end: date
    pos: int
    endpos: int
    expression: str
    role: str
    cue: str = ""  # the words that gave the role
    year_from: str = "écrite"
    has_time: bool = False
    hours: tuple[str | None, str | None] = (None, None)  # « de 14 h à 16 h » right after it
    in_title: bool = False
    weekday_checked: bool = False
    where: str = "texte"  # texte | titre | adresse | relatif (« ce samedi », from the page's own date)

    @property
    def span(self) -> bool:
        return self.end != self.start

    def describe(self) -> str:
        when = self.start.isoformat() if not self.span else f"{self.start.isoformat()} → {self.end.isoformat()}"
        year = "" if self.year_from == "écrite" else f", année {self.year_from}"
        if self.where == RELATIVE_DAY:
            year = f", le jour le plus proche de la date de la page ({self.year_from})"
        cue = f" (« {self.cue.strip()} »)" if self.cue.strip() else ""
        return f"« {self.expression} » = {when} : {self.role}{cue}{year}"


@dataclass
class PageDates:
    """The dates of a page: the published date found, every dated mention, the ones dropped."""

    evidence: list[DateEvidence] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (expression, why) in French
    published: date | None = None
    published_why: str = ""
    text: str = ""

    def between(self, where: str, start: int, end: int) -> str | None:
        return self.text[start:end] if where == "texte" else None

    def with_role(self, *roles: str) -> list[DateEvidence]:
        return [e for e in self.evidence if e.role in roles]


def _fold_window(text: str) -> str:
    return fold(text).strip()


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def _left_context(text: str, pos: int, title_span: tuple[int, int] = (-1, -1)) -> str:
    """The words before a date on its line, or the label line above it when the date stands alone
    (never the title: a date under the title is not labelled by it)."""
    start, _ = _line_bounds(text, pos)
    left = text[max(start, pos - 120):pos]
    if len(left.strip(" -•*·:\t")) <= 3 and start > 0:
        prev_end = start - 1
        while prev_end > 0 and text[prev_end - 1] == "\n":
            prev_end -= 1
        prev_start, _ = _line_bounds(text, max(0, prev_end - 1))
        above = text[prev_start:prev_end].strip()
        if 0 < len(above) <= 70 and prev_start != title_span[0]:
            left = f"{above} : {left}"
    return left


def _right_context(text: str, endpos: int) -> str:
    _, end = _line_bounds(text, endpos)
    return text[endpos:min(end, endpos + 70)]


def _hours(text: str, endpos: int, one_day: bool) -> dict:
    """A date's hour fields from what follows it: an hour at all, and « de 14 h à 16 h » for one day."""
    right = fold(_right_context(text, endpos))
    return {"has_time": bool(_TIME_AFTER.match(right)), "hours": hours_after(right) if one_day else (None, None)}


# A year after these words dates a statistic or a period (« en 2022, 10 % des… », « depuis 2019 »),
# not the page: it never gives a year-less date its year.
_STAT_BEFORE = re.compile(r"(?:\ben|depuis|des|d'ici|fin|debut|entre|de|a|au|et|avant|apres|jusqu'en|vers|mi"
    r"|courant|dans les annees"
                          r"|par rapport a|qu'en|contre|annee|annees|periode|exercice|budget|loi|decret|plan"
                          r"|strategie|pna\d?)\s*$")


@lru_cache(maxsize=64)
def _year_tokens(text: str) -> tuple[tuple[int, int, bool], ...]:
    """(position, year, page_year) of the years written alone; page years date the page or its
    event (« édition 2021 », « Programme 2024 », a heading), the others are statistics or periods."""
    found = []
    for match in _YEAR_TOKEN.finditer(text):
        if _YEAR_NOT.match(fold(text[match.end():match.end() + 14])):
            continue
        before = fold(text[max(0, match.start() - 25):match.start()])
        found.append((match.start(), int(match.group(1)), not _STAT_BEFORE.search(before)))
    return tuple(found)


def _page_years(text: str) -> list[tuple[int, int]]:
    return [(p, y) for p, y, page in _year_tokens(text) if page]


_URL_DATES = (
    (re.compile(r"/((?:19|20)\d{2})/([01]\d)/([0-3]\d)(?=/|$)"), (1, 2, 3)),
    (re.compile(r"/([0-3]\d)/([01]\d)/((?:19|20)\d{2})(?=/|$)"), (3, 2, 1)),
    (re.compile(r"(?<=[-_/])((?:20)\d{2})([01]\d)([0-3]\d)(?=[-_/.]|$)"), (1, 2, 3)),
    (re.compile(r"(?<=[-_/])([0-3]\d)-([01]\d)-((?:19|20)\d{2})(?=[-_/.]|$)"), (3, 2, 1)),
    (re.compile(r"(?<=[-_/])((?:19|20)\d{2})-([01]\d)-([0-3]\d)(?=[-_/.]|$)"), (1, 2, 3)),
    # a time stamp in the path: actu,20170113103732,9.html, _AV-202211220621.html
    (re.compile(r"(?<=[-_/,])(20\d{2})([01]\d)([0-3]\d)(?:[0-2]\d[0-5]\d(?:[0-5]\d)?)(?=[-_/.,]|$)"), (1, 2, 3)),
)


def url_date(url: str) -> date | None:
    """The day an address gives (/2023/05/17/, /17/03/2023/, -20240229-, -10-03-2020-): the day
    the page was published, as news sites and blogs file their pages. The path only: a query
    string's dates are a mailing's or a tracker's."""
    path = (url or "").split("?", 1)[0]
    for pattern, (y, m, d) in _URL_DATES:
        match = pattern.search(path)
        if match:
            try:
                value = date(int(match[y]), int(match[m]), int(match[d]))
            except ValueError:
                continue
            if MIN_URL_YEAR <= value.year <= MAX_URL_YEAR:
                return value
    return None


MIN_URL_YEAR, MAX_URL_YEAR = 1995, 2060
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/([01]\d)/(?![0-3]\d(?:/|$))")


def url_month(url: str) -> date | None:
    """The first day of the month an address files its page under (/events/2021/10/…, WordPress
    uploads): not a publication date, but the year a year-less date of the page belongs to."""
    match = _URL_MONTH.search((url or "").split("?", 1)[0])
    if not match or not 1 <= int(match[2]) <= 12 or not MIN_URL_YEAR <= int(match[1]) <= MAX_URL_YEAR:
        return None
    return date(int(match[1]), int(match[2]), 1)


def slug_text(url: str) -> str:
    """The last segment of an address as words (« …/evenements-du-jeudi-17-octobre-2019-0 »)."""
    from urllib.parse import unquote, urlsplit

    try:
        path = unquote(urlsplit(url or "").path)
    except ValueError:
        return ""
    segment = [s for s in path.split("/") if s][-1:] or [""]
    return re.sub(r"[-_]+", " ", re.sub(r"\.(html?|php|aspx?)$", "", segment[0]))


def _weekday_ok(part: Part, value: date | None) -> bool:
    return value is not None and (part.weekday is None or value.weekday() == part.weekday)


@dataclass
class _YearContext:
    text: str
    complete: list[tuple[int, date]]  # (position, date) of the dates written with their year
    title_years: list[int]
    anchor: date | None  # the page's own date (publication or update)
    anchor_from: str

    def candidates(self, expr: Expr) -> list[tuple[int, str]]:
        """Years to try for a year-less expression, best first, with where each comes from."""
        pos, text = expr.pos, self.text
        tried: list[tuple[int, str]] = []
        start, end = _line_bounds(text, pos)
        page_years = _page_years(text)
        line_years = [(abs(p - pos), y) for p, y in page_years if start <= p < end]
        tried += [(y, "de la phrase") for _, y in sorted(line_years)]
        for p, value in reversed(self.complete):  # nearest written date before, in the same passage
            if p < pos and pos - p <= 600 and "\n\n\n" not in text[p:pos]:
                tried.append((value.year, "de la date voisine"))
                if expr.last.month < value.month:  # « 12 décembre 2024 … puis le 9 janvier »
                    tried.append((value.year + 1, "de la date voisine"))
                break
        for p, value in self.complete:
            if p > pos and p - pos <= 200 and "\n\n" not in text[pos:p]:
                tried += [(value.year, "de la date voisine")]
                break
        heading = [y for p, y in page_years if p < pos and pos - p <= 400
                   and len(text[_line_bounds(text, p)[0]:_line_bounds(text, p)[1]].strip()) <= 70]
        if heading:
            tried.append((heading[-1], "de l'intertitre"))
        tried += [(y, "du titre") for y in self.title_years]
        if expr.last.weekday is not None:
            # A weekday fixes the year among those the page names (its own date, its years).
            near = sorted(page_years, key=lambda item: abs(item[0] - pos))
            tried += [(y, "de la page") for _, y in near]
            tried += [(d.year, "d'une date de la page") for _, d in self.complete]
        return tried

    def from_anchor(self, part: Part, relative: str) -> tuple[date, str] | None:
        """The occurrence nearest the page's date, ahead rather than behind (announcements look
        forward); « prochain » strictly after it, « dernier » strictly before."""
        if self.anchor is None:
            return None
        options = []
        for year in (self.anchor.year - 1, self.anchor.year, self.anchor.year + 1):
            value = day_of(part, year)
            if not _weekday_ok(part, value):
                continue
            delta = (value - self.anchor).days
            if relative.startswith("prochain") and delta <= 0 or relative.startswith("dernier") and delta >= 0:
                continue
            if abs(delta) > 366:
                continue
            options.append((delta if delta >= 0 else -3 * delta, value))
        if not options:
            return None
        return min(options)[1], self.anchor_from


def _resolve(expr: Expr, ctx: _YearContext, relative: str) -> tuple[date, date, str] | None:
    """Start, end and the origin of the year of a year-less expression; None when the page does not say."""
    last = expr.last
    if last.year is not None:
        end = day_of(last)
        first = day_of(expr.first) if expr.first.year else day_of(expr.first, end.year if end else None)
        if first and end and first > end:
            first = day_of(expr.first, end.year - 1)
        return (first, end, "écrite") if first and end else None
    chosen: tuple[date, str] | None = None
    if relative:
        chosen = ctx.from_anchor(last, relative)
    if chosen is None:
        for year, origin in ctx.candidates(expr):
            value = day_of(last, year)
            if _weekday_ok(last, value):
                chosen = (value, origin)
                break
            if last.weekday is not None:
                continue  # the weekday says this year is wrong: try the next candidate
    if chosen is None:
        chosen = ctx.from_anchor(last, relative)
    if chosen is None and relative.startswith("prochain"):
        # « le jeudi 12 septembre prochain », « les 5, 6 et 7 mars prochains » on a page whose
        # latest year is 2021 (« la Collecte 2021 »): written in it or just before.
        years = {y for _, y, _ in _year_tokens(ctx.text)} | {d.year for _, d in ctx.complete}
        latest = max(years, default=None)
        for year in ((latest, latest + 1) if latest else ()):
            value = day_of(last, year)
            if _weekday_ok(last, value):
                chosen = (value, "de l'année la plus récente de la page")
                break
    if chosen is None and last.weekday is None:
        years = {y for _, y in _page_years(ctx.text)} | {d.year for _, d in ctx.complete} | set(ctx.title_years)
        if len(years) == 1:  # one year in the whole page: it is the page's year
            year = years.pop()
            value = day_of(last, year)
            chosen = (value, "de la page") if value else None
    if chosen is None:
        return None
    end, origin = chosen
    first = day_of(expr.first, end.year) if expr.first.year is None else day_of(expr.first)
    if first and first > end:
        first = day_of(expr.first, end.year - 1)
    if first is None or (expr.first.weekday is not None and first.weekday() != expr.first.weekday):
        if expr.first is not expr.last and first is None:
            return None
    return first, end, ("du jour de la semaine" if last.weekday is not None and origin != "écrite" else origin)


def _role(text: str, expr: Expr, top: bool, title_line: bool, title_span: tuple[int, int]) -> tuple[str, str]:
    """The role of one date from the words around it, and those words."""
    left_raw = _left_context(text, expr.pos, title_span)
    left = _fold_window(left_raw)
    right = _fold_window(_right_context(text, expr.endpos))
    if match := _UPDATED_BEFORE.search(left):
        return UPDATED, match.group(1)
    if match := _PUBLISHED_BEFORE.search(left):
        # « notre article du 4 novembre 2021 » points to another page
        elsewhere = match.group(1).startswith("article") and _OTHER_ARTICLE.search(left[:match.start()])
        if not _EVENT_BEFORE.search(left[:match.start()]) and not elsewhere:
            return PUBLISHED, match.group(1)
    line_at, line_end = _line_bounds(text, expr.pos)
    line_start, line_rest = text[line_at:expr.pos], text[expr.endpos:line_end]
    if top and _BYLINE_AFTER.match(line_rest):
        return PUBLISHED, "ligne d'auteur en tête de page"
    if top and not line_start.strip() and _REPOST_AFTER.match(line_rest):
        return PUBLISHED, "date d'un article repris"
    if top and _TIMED_BYLINE.match(line_start) and _TIME_ONLY.match(line_rest):
        return PUBLISHED, "ligne d'auteur en tête de page"
    if _BULLET_BYLINE.match(line_start) and _BULLET_TAIL.match(line_rest):
        return PUBLISHED, "ligne d'auteur d'un billet"
    if title_line and line_start.rstrip().endswith("(") and re.fullmatch(r"\s*\)\s*", line_rest) and expr.complete:
        return PUBLISHED, "date entre parenthèses après le titre"
    if expr.complete and re.search(r"\baujourd'hui\s*,?\s*$", left):
        return PUBLISHED, "aujourd'hui"
    if top and _HEAD_BYLINE.match(line_start) and not line_rest.strip(" .") and \
            not _EVENT_BEFORE.search(fold(line_start)):
        return PUBLISHED, "ligne d'auteur ou de rubrique en tête de page"
    if (_BYLINE.match(line_start) and not _EVENT_BEFORE.search(fold(line_start))) or \
            (line_at == 0 and re.fullmatch(r"\s*date\s+", line_start, re.IGNORECASE)) or \
            re.match(r"\s*article\b[^.;!?\d]{0,40}$", fold(line_start)):
        return PUBLISHED, "ligne d'auteur ou de date"
    if re.search(r"\bce\s*$", left) and expr.first.weekday is not None and \
            _RELEASE_AROUND.search(fold(text[max(0, expr.pos - 80):expr.endpos + 120])):
        return PUBLISHED, "jour de parution"
    if match := _SUPERSEDED_BEFORE.search(left):
        return OTHER, match.group(1)
    if match := _POSTPONED_BEFORE.search(left):
        sentence = fold(text[max(0, expr.pos - 200):expr.pos]).split(".")[-1]
        return (DEADLINE if _DEADLINE_WORDS.search(sentence) else EVENT), match.group(1)
    if match := _REGISTRATION_AFTER.match(right):
        return REGISTRATION, match.group(1)
    if match := _DEADLINE_AFTER.match(right):
        return DEADLINE, match.group(1)
    if match := _EVENT_END_BEFORE.search(left):
        if re.search(r"(debut|commence|demarre|du cours|de la formation)", fold(text[max(0, expr.pos - 160):expr.pos])):
            return EVENT, match.group(1)
    if match := _DEADLINE_DIRECT.search(left):
        return DEADLINE, match.group(1)
    if match := _REGISTRATION_BEFORE.search(left):
        if not re.search(r"candidat|dossier|depot", match.group(1)):
            return REGISTRATION, match.group(1)
    windows = list(_WINDOW_WORDS.finditer(left)) if expr.first != expr.last and expr.sep == "au" else []
    if windows and not _EVENT_BEFORE.search(left[windows[-1].end():]):  # « un appel … le week-end de collecte du »
        return WINDOW, windows[0].group(1)
    if match := _OPENING_BEFORE.search(left):
        return OPENING, match.group(1)
    if match := _WEAK_BEFORE.search(left):
        strong = _DEADLINE_BEFORE.search(left)
        return (DEADLINE, strong.group(1)) if strong else (DEADLINE_WEAK, match.group(1))
    if _RELATIVE_AFTER.match(right) and right.lstrip().startswith("dernier"):
        return OTHER, "dernier"
    if match := _OTHER_BEFORE.search(left):
        return OTHER, match.group(1)
    if match := _DEADLINE_BEFORE.search(left):
        if re.search(r"\b(le|au|avant|jusqu)\b[^a-z]*$", left):
            return DEADLINE, match.group(1)
    if match := _EVENT_BEFORE.search(left):
        return EVENT, match.group(1)
    if _TIME_AFTER.match(right):
        return EVENT, "heure"
    alone_on_top = top and expr.first == expr.last and _alone_on_line(text, expr)
    if alone_on_top and expr.first.year is not None:
        # « Vendredi 16 mars 2018 » alone under a title: the page's date; an agenda page's event
        # takes it back when it has no other date (decide_event's head fallback).
        return PUBLISHED, "date en tête de page"
    if expr.first.weekday is not None or expr.last.weekday is not None:
        return EVENT, "jour de la semaine"
    if alone_on_top:
        return PUBLISHED, "date en tête de page"
    if title_line:
        return EVENT, "titre"
    return NONE, ""


def _alone_on_line(text: str, expr: Expr) -> bool:
    start, end = _line_bounds(text, expr.pos)
    rest = fold(text[start:expr.pos] + " " + text[expr.endpos:end])
    rest = re.sub(r"\b(article|actualite|actualites|communique|le|publie|par|news|info|infos|a la une|mis en ligne)\b",
                  "", rest)
    return len(re.sub(r"[\W\d_]+", "", rest)) <= 12 and not re.search(r"\d{1,2}\s?h", rest)


def _head_end(text: str) -> int:
    """Where the page's head ends: its first paragraph of prose, or its tenth line."""
    lines = 0
    index = 0
    while lines < _HEAD_LINES:
        nl = text.find("\n", index)
        line = text[index:(len(text) if nl < 0 else nl)].strip()
        if len(line) > 160 or (len(line) > 80 and line.endswith(".")):
            return index
        if line:
            lines += 1
        if nl < 0:
            return len(text)
        index = nl + 1
    return index


def _title_span(text: str, title: str) -> tuple[int, int]:
    """Where the title's line is in the text (-1, -1 when the text does not hold it)."""
    if not title:
        return -1, -1
    pos = text.find(title[:80], 0, 3000)
    if pos < 0:
        return -1, -1
    return _line_bounds(text, pos)


def read_dates(title: str, text: str, url: str = "", published: date | None = None) -> PageDates:
    """Every date the page states, with its year and role; `published` is the source's own date."""
    text = clean_typography(text or "")[:SCAN_LIMIT]
    title = clean_typography(title or "")
    result = PageDates()
    title_start, title_end = _title_span(text, title)
    head_end = _head_end(text)
    slug = slug_text(url)
    # (source text, expression, where): the text, then the title and the address when the text
    # does not hold them; an address's worded dates (« …-jeudi-17-octobre-2019 ») name its event.
    raw: list[tuple[str, Expr, str]] = [(text, e, "texte") for e in locate(text)]
    if title and title_start < 0:
        raw += [(title, e, "titre") for e in locate(title)]
    raw += [(slug, e, "adresse") for e in locate(slug) if re.search(r"[a-z]{3}", slug[e.pos:e.endpos].lower())]
    roles: list[tuple[str, str]] = []
    for source, expr, where in raw:
        in_title = where != "texte" or title_start <= expr.pos < title_end
        if where == "adresse":
            roles.append((EVENT, "adresse de la page"))
        else:
            roles.append(_role(source, expr, where == "texte" and expr.pos < head_end, in_title,
                               (title_start, title_end) if where == "texte" else (-1, -1)))
    # The page's own date anchors every year-less date: the source's, else a publication line, else the address.
    anchor, anchor_from = published, "de la date de la source"
    if anchor is None:
        for (_, expr, where), (role, _) in zip(raw, roles, strict=True):
            if role in (PUBLISHED, UPDATED) and expr.complete and where == "texte":
                anchor, anchor_from = day_of(expr.first), "de la date de publication"
                if role == PUBLISHED:
                    break
    if anchor is None and (found := url_date(url)):
        anchor, anchor_from = found, "de l'adresse de la page"
    raw_days = _this_weekdays(text, anchor) if anchor is not None else []  # a day of the page, not its month
    if anchor is None and (found := url_month(url)):
        anchor, anchor_from = found, "du mois de l'adresse de la page"
    title_years = [y for _, y, _ in _year_tokens(title)] + [day_of(e.last).year for s, e, w in raw
                                                          if w == "titre" and e.complete]
    complete = [(e.pos, day_of(e.last)) for s, e, w in raw if w == "texte" and e.complete]
    ctx = _YearContext(text, [(p, d) for p, d in complete if d], title_years, anchor, anchor_from)
    slug_ctx = _YearContext(slug, [], title_years, anchor, anchor_from)
    for (source, expr, where), (role, cue) in zip(raw, roles, strict=True):
        expression = source[expr.pos:expr.endpos]
        relative_match = _RELATIVE_AFTER.match(fold(source[expr.endpos:expr.endpos + 12]))
        relative = relative_match.group(1) if relative_match else ""
        resolved = _resolve(expr, ctx if where == "texte" else slug_ctx if where == "adresse" else
                            _YearContext(source, [], title_years, anchor, anchor_from), relative)
        if resolved is None or resolved[0] is None or resolved[1] is None or resolved[0] > resolved[1]:
            result.dropped.append((expression, "année introuvable dans la page"))
            continue
        start, end, year_from = resolved
        if relative.startswith("dernier") and role in (EVENT, NONE):
            role, cue = OTHER, relative
        result.evidence.append(DateEvidence(
            start, end, expr.pos, expr.endpos, expression, role, cue, year_from,
            **_hours(source, expr.endpos, start == end),
            in_title=where != "texte" or title_start <= expr.pos < title_end,
            weekday_checked=expr.last.weekday is not None, where=where))
    for expr in raw_days:
        in_title = title_start <= expr.pos < title_end
        role, cue = _role(text, expr, expr.pos < head_end, in_title, (title_start, title_end))
        if role not in (EVENT, NONE):
            continue
        result.evidence.append(DateEvidence(
            day_of(expr.first), day_of(expr.last), expr.pos, expr.endpos, text[expr.pos:expr.endpos], EVENT, cue,
            anchor_from, **_hours(text, expr.endpos, expr.first == expr.last), weekday_checked=True,
            where=RELATIVE_DAY))
    _drop_contradicted(result)
    result.published, result.published_why = _published(result, published, url)
    result.text = text
    return result


# « ce week-end, de vendredi à dimanche », « ce week-end sa grande collecte, de vendredi à dimanche », « ce
# vendredi ou ce samedi »; not « ce mardi de l'ESS » (a series)
_THIS_WEEKDAY = re.compile(
    rf"(?<![\w-])(?:ce|cette)\s+(?:(?P<weekend>week-?end)(?:[^.\n]{{0,60}}?[\s,]+(?:de|du)\s+(?P<from>vendredi|samedi)"
    rf"\s+(?:à|au)\s+(?P<to>samedi|dimanche|lundi))?|(?P<a>{_DAYNAME})(?:\s+(?:et|ou)\s+(?:ce\s+)?(?P<b>{_DAYNAME}))?)"
    r"(?![\w-])"
    r"(?!\s+(?:de\s+l'|d'|du\s|des\s|de\s+la\s)|\s*(?:\d|1\s?er|premier))",  # « ce jeudi 16 mai » is written
    re.IGNORECASE)
RELATIVE_DAY = "relatif"
_THIS_REACH = 3  # « ce samedi » is the nearest Saturday: at most three days behind the page's date


def _nearest(anchor: date, weekday: int) -> date:
    ahead = (weekday - anchor.weekday()) % 7
    return anchor + timedelta(days=ahead if ahead <= _THIS_REACH else ahead - 7)


def _this_weekdays(text: str, anchor: date) -> list[Expr]:
    """« ce vendredi ou ce samedi », « ce week-end » of a dated page (a press article, a post): the
    days nearest the page's own date. Bare weekdays (« du lundi au vendredi ») are opening hours."""
    found = []
    for match in _THIS_WEEKDAY.finditer(text):
        if match["weekend"]:
            first = _nearest(anchor, 5)
            last = first + timedelta(days=1)
            if match["from"]:
                first = first - timedelta(days=(5 - WEEKDAYS.index(match["from"].lower())) % 7)
                last = first + timedelta(days=(WEEKDAYS.index(match["to"].lower()) - first.weekday()) % 7)
        else:
            first = _nearest(anchor, WEEKDAYS.index(match["a"].lower()))
            last = first
            if match["b"]:
                last = first + timedelta(days=(WEEKDAYS.index(match["b"].lower()) - first.weekday()) % 7)
        found.append(Expr(Part(first.day, first.month, first.year, first.weekday()),
                          Part(last.day, last.month, last.year, last.weekday()), match.start(), match.end(),
                          "et" if last != first else ""))
    return found


def _drop_contradicted(result: PageDates) -> None:
    """A day written elsewhere with a weekday that fits no year of the page is no surer without it."""
    doubtful = set()
    for expression, _ in result.dropped:
        for expr in locate(expression):
            if expr.last.weekday is not None and expr.last.year is None:
                doubtful.add((expr.last.day, expr.last.month))
    if not doubtful:
        return
    kept = []
    for item in result.evidence:
        if item.year_from != "écrite" and (item.end.day, item.end.month) in doubtful:
            result.dropped.append((item.expression, "le même jour, écrit avec son jour de la semaine, ne tombe"
                                                    " aucune année de la page"))
        else:
            kept.append(item)
    result.evidence = kept


def _published(result: PageDates, given: date | None, url: str) -> tuple[date | None, str]:
    if given:
        return given, "date donnée par la source"
    for role in (PUBLISHED, UPDATED):
        for item in result.with_role(role):
            if item.year_from == "écrite" or item.weekday_checked:
                return item.start, item.describe()
    found = url_date(url)
    if found and not any(e.role == EVENT and e.start == found and e.where != RELATIVE_DAY for e in result.evidence):
        return found, f"date dans l'adresse de la page ({found.isoformat()})"
    return None, ""


WEEKDAY_NAMES = WEEKDAYS


@dataclass
class DateDecision:
    """A resource's date (or span) and why, in French; the runner-up when there was one."""

    start: str | None = None
    end: str | None = None
    why: str = ""
    runner_up: str = ""
    start_time: str | None = None  # « HH:MM » in Paris time, events only
    end_time: str | None = None


_DEADLINE_ORDER = (DEADLINE, WINDOW, DEADLINE_WEAK)


def decide_deadline(dates: PageDates) -> DateDecision:
    """The closing date of submissions: a stated deadline, else the end of a submission window,
    else a date after « jusqu'au » or « avant le »; an opening or a jury's date is none. Of
    several closings of the same kind (waves), the first one."""
    for role in _DEADLINE_ORDER:
        candidates = sorted(dates.with_role(role), key=lambda e: (e.end, e.pos))
        if candidates:
            best = candidates[0]
            others = [e for role2 in _DEADLINE_ORDER for e in dates.with_role(role2) if e.end != best.end]
            return DateDecision(best.end.isoformat(), best.end.isoformat(), best.describe(),
                                others[0].describe() if others else "")
    return DateDecision(why="aucune date de clôture dans la page")


def _event_score(item: DateEvidence) -> int:
    score = 0
    if item.in_title and item.where != "adresse":
        score += 3
    if item.role == EVENT:
        score += 2
    if item.has_time:
        score += 2
    if item.weekday_checked:
        score += 1
    if item.where == RELATIVE_DAY:
        score -= 3  # « ce samedi » read from the page's date: any written date of a session comes first
    return score


_JOINED = re.compile(r"^[\s,;]*(?:et|puis|,|;|-)?[\s,;]*(?:le|les|du|au|et)?\s*$", re.IGNORECASE)
SESSION_GAP = 7  # days between two parts of one event (« Jeudi 28 novembre… Samedi 30 novembre… »)


def _extend(best: DateEvidence, dates: PageDates, text_between) -> date:
    """The last day of an event announced in several dated parts that follow each other."""
    end = best.end
    following = [e for e in dates.evidence if e.where == best.where and e.pos > best.pos and e.role == EVENT]
    for item in sorted(following, key=lambda e: e.pos):
        gap = (item.start - end).days
        joined = _JOINED.match(text_between(best.where, best.endpos, item.pos) or "")
        closing = item.cue.startswith(("fin", "se termine")) and 0 < gap <= 400
        if 0 < gap <= SESSION_GAP or (joined and 0 < gap <= 45) or closing:
            end = max(end, item.end)
            best = item
        elif item.start > end:
            break
    return end


def decide_event(dates: PageDates, text_between=lambda where, a, b: None, head_fallback: bool = False) -> DateDecision:
    """When an event or training takes place: the date its words, hour or weekday mark as a
    session, else the first date with no other role; parts that follow within a week extend it."""
    candidates = [e for e in dates.evidence if e.role in (EVENT, NONE)]
    if not candidates:
        head = [e for e in dates.evidence if e.cue == "date en tête de page"]
        if head and head_fallback:  # an agenda page's date under its title is the day of its event
            return DateDecision(head[0].start.isoformat(), head[0].end.isoformat(),
                                f"{head[0].describe()}, seule date de la page d'un événement")
        return DateDecision(why="aucune date d'événement ou de session dans la page")
    ranked = sorted(candidates, key=lambda e: (-_event_score(e), e.where == "adresse", e.pos))
    best = ranked[0]
    end = _extend(best, dates, text_between) if best.role == EVENT else best.end
    others = [e for e in ranked[1:] if (e.start, e.end) != (best.start, best.end)]
    why = best.describe() + (f" ; suite jusqu'au {end.isoformat()}" if end != best.end else "")
    start_time, end_time = best.hours
    if end != best.end:  # the hours written belong to its first day
        end_time = None
    if start_time:
        why += f" ; à {start_time}" + (f", jusqu'à {end_time}" if end_time else "")
    return DateDecision(best.start.isoformat(), end.isoformat(), why, others[0].describe() if others else "",
                        start_time, end_time)
