"""Dates to ISO `YYYY-MM-DD`: publication, deadline of a call, dates of an event.

Date expressions are first *located* with regular expressions, then each one is *parsed* by
dateparser. Letting dateparser search free text splits « le 13 mars 2027 à minuit » into
« mars » and « 2027 »; locating first keeps day, month and year together. A date written
without a year is the next occurrence on or after the publication date (or `today`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import dateparser

from normalizers.text import clean_typography

_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "REQUIRE_PARTS": ["day", "month", "year"],
    # The expressions handed over are always absolute (« 13 mars 2027 »): skipping the relative
    # (« il y a 3 jours »), timestamp and other parsers halves the cost of each call, same results.
    "PARSERS": ["absolute-time"],
}
MIN_YEAR, MAX_YEAR = 1990, 2060
SCAN_LIMIT = 40000  # characters of text searched for dates: enough for any real page

# --- locating -----------------------------------------------------------------------------------
WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
DAY = r"(?:1\s?er|premier|[0-3]?\d)"
MONTH = (r"(?:janvier|janv\.?|f[ée]vrier|f[ée]vr?\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?"
         r"|ao[uû]t|septembre|sept\.?|octobre|oct\.?|novembre|nov\.?|d[ée]cembre|d[ée]c\.?)")
YEAR = r"(?:19|20)\d{2}"
_B = r"(?<![\w/.-])"  # not inside a number or a word
_E = r"(?![\w/])"

_PART = rf"(?:{WEEKDAY}\s+)?{DAY}(?:\s+{MONTH}(?:\s+{YEAR})?)?"
# « du 3 au 5 février 2027 », « les 13 et 14 novembre », « 13-14 novembre », « les 12, 19 et 26 mai »
RANGE = re.compile(
    rf"{_B}(?P<first>(?:{WEEKDAY}\s+)?{DAY}(?:\s+{MONTH}(?:\s+{YEAR})?)?)"
    rf"(?P<middle>(?:\s*,\s*{_PART})*)"
    rf"\s*(?P<sep>au|et|-|/)\s*"
    rf"(?P<last>(?:{WEEKDAY}\s+)?{DAY}\s+{MONTH}(?:\s+{YEAR})?){_E}",
    re.IGNORECASE,
)
SINGLE = re.compile(rf"{_B}(?:{WEEKDAY}\s+)?{DAY}\s+{MONTH}(?:\s+{YEAR})?{_E}", re.IGNORECASE)
NUMERIC = re.compile(r"(?<![\w/.-])([0-3]?\d)[/.]([01]?\d)[/.]((?:19|20)?\d{2})(?![\w/.]*\d)")
ISO = re.compile(r"(?<![\w-])((?:19|20)\d{2})-([01]\d)-([0-3]\d)(?![\d])")
_PARTS = re.compile(rf"(?P<d>{DAY})(?:\s+(?P<m>{MONTH})(?:\s+(?P<y>{YEAR}))?)?", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """One located date expression: a day, or a span of days (« du 3 au 5 février »)."""

    start: str
    end: str
    pos: int
    endpos: int


def plausible(value: date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR


@lru_cache(maxsize=8192)
def _parse_full(text: str) -> date | None:
    """dateparser on one complete « jour mois année » expression; None if impossible."""
    try:
        parsed = dateparser.parse(text, languages=["fr"], settings=_SETTINGS)
    except Exception:  # dateparser raises on some malformed inputs
        return None
    if parsed is None or not plausible(parsed.date()):
        return None
    return parsed.date()


def _day_month(day: str, month: str, year: int) -> date | None:
    day = re.sub(r"\s+", "", day.lower()).replace("premier", "1").replace("1er", "1")
    return _parse_full(f"{day} {month.lower().rstrip('.')} {year}")


def _resolve(day: str, month: str, year: str | None, ref: date | None, past: bool = False) -> date | None:
    """A day and month, with the year given or the next one on/after `ref` (before it if `past`)."""
    if year:
        return _day_month(day, month, int(year))
    ref = ref or date.today()
    for candidate_year in ((ref.year, ref.year - 1) if past else (ref.year, ref.year + 1)):
        value = _day_month(day, month, candidate_year)
        if value is None:
            continue
        if (value <= ref) if past else (value >= ref):
            return value
    return None


def _split_parts(expression: str) -> list[tuple[str, str | None, str | None]]:
    return [(m["d"], m["m"], m["y"]) for m in _PARTS.finditer(expression)]


def _mention_from_parts(parts, ref: date | None, past: bool, pos: int, endpos: int) -> Mention | None:
    """Fill missing months and years from the last part (« du 3 au 5 février 2027 »)."""
    last_day, last_month, last_year = parts[-1]
    if not last_month:
        return None
    end = _resolve(last_day, last_month, last_year, ref, past)
    if end is None:
        return None
    first_day, first_month, first_year = parts[0]
    start = _resolve(first_day, first_month or last_month, first_year or str(end.year), ref)
    if start is None:
        return None
    if start > end:  # « du 28 décembre au 3 janvier 2027 »
        start = _resolve(first_day, first_month or last_month, str(end.year - 1), ref)
        if start is None or start > end or (end - start).days > 366:
            return None
    return Mention(start.isoformat(), end.isoformat(), pos, endpos)


def _span_days(mention: Mention) -> int:
    return (date.fromisoformat(mention.end) - date.fromisoformat(mention.start)).days


def find_mentions(text: str, ref: date | None = None) -> list[Mention]:
    """Every date expression of the text, in reading order; impossible dates are dropped."""
    text = clean_typography(text or "")[:SCAN_LIMIT]
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for match in RANGE.finditer(text):
        past = text[match.end():match.end() + 10].lower().lstrip().startswith("dernier")
        mention = _mention_from_parts(_split_parts(match.group(0)), ref, past, match.start(), match.end())
        if mention and match["sep"] in "-/" and _span_days(mention) > 7:
            mention = None  # « Journée 1 - 12 mars » is a numbered item, not a span
        if mention:
            found.append(mention)
            taken.append((match.start(), match.end()))
    for match in SINGLE.finditer(text):
        if not free(match.start(), match.end()):
            continue
        past = text[match.end():match.end() + 10].lower().lstrip().startswith("dernier")
        parts = _split_parts(re.sub(rf"^{WEEKDAY}\s+", "", match.group(0), flags=re.I))
        mention = _mention_from_parts(parts[:1], ref, past, match.start(), match.end())
        if mention:
            found.append(mention)
            taken.append((match.start(), match.end()))
    for match in NUMERIC.finditer(text):
        if not free(match.start(), match.end()):
            continue
        day, month, year = match.groups()
        year_n = int(year) + (2000 if len(year) == 2 else 0)
        try:
            value = date(year_n, int(month), int(day))
        except ValueError:
            continue
        if plausible(value):
            found.append(Mention(value.isoformat(), value.isoformat(), match.start(), match.end()))
            taken.append((match.start(), match.end()))
    for match in ISO.finditer(text):
        if not free(match.start(), match.end()):
            continue
        try:
            value = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        if plausible(value):
            found.append(Mention(value.isoformat(), value.isoformat(), match.start(), match.end()))
    return sorted(found, key=lambda m: m.pos)


def parse_date(value, relative_to: date | None = None) -> str | None:
    """An ISO date from a date, an ISO string or a French date expression; None when unsure."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat() if plausible(value) else None
    text = str(value).strip()[:200]
    if not text:
        return None
    try:
        return parse_date(date.fromisoformat(text[:10]))
    except ValueError:
        pass
    try:  # RFC 822 dates of feeds, ISO datetimes with offsets
        return parse_date(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    mentions = find_mentions(text, relative_to)
    if mentions:
        return mentions[0].start
    if re.search(r"\d", text) and len(text) <= 60:
        return _parse_free(text)
    return None


@lru_cache(maxsize=4096)
def _parse_free(text: str) -> str | None:
    """Last resort for feed formats (« Tue, 04 Mar 2025 10:00:00 +0100 »)."""
    try:
        parsed = dateparser.parse(text, languages=["fr", "en"], settings=_SETTINGS)
    except Exception:
        return None
    return parsed.date().isoformat() if parsed and plausible(parsed.date()) else None


def parse_span(value, relative_to: date | None = None) -> tuple[str | None, str | None]:
    """Start and end of an explicit event date field (« du 3 au 5 février 2027 »)."""
    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        single = parse_date(value, relative_to)
        return single, single
    mentions = find_mentions(value, relative_to)
    if mentions:
        return mentions[0].start, mentions[0].end
    single = parse_date(value, relative_to)
    return single, single


# --- cues ---------------------------------------------------------------------------------------
PUBLISHED_CUE = re.compile(
    r"(publi[ée]e?\s+le|mise?\s+en\s+ligne\s+le|date\s+de\s+(?:publication|parution)|paru(?:e|tion)?\s+le"
    r"|publication\s*:|publi[ée]e?\s*:|communiqué(?:\s+de\s+presse)?\s*[-:|,])\s*:?\s*",
    re.IGNORECASE | re.MULTILINE)
# Strong cues name the deadline; weak ones only suggest it and are used when no strong one exists.
DEADLINE_STRONG = re.compile(
    r"(date\s+limite|date\s+de\s+cl[ôo]ture|cl[ôo]ture\s+(?:de\s+l'appel|des\s+(?:candidatures|dépôts|inscriptions"
    r"|dossiers))|cl[ôo]tur[ée]e?\s+le|limite\s+de\s+(?:dépôt|candidature|réponse|réception)"
    r"|[ée]ch[ée]ance|fin\s+des\s+candidatures|dépôt\s+des\s+(?:dossiers|candidatures|projets)"
    r"|candidatures?\s+(?:ouvertes?\s+|à\s+(?:déposer|envoyer|adresser)\s+|possibles?\s+)?jusqu"
    r"|dossiers?\s+(?:de\s+candidature\s+)?à\s+(?:déposer|remettre|renvoyer|transmettre|envoyer)"
    r"|au\s+plus\s+tard|réponses?\s+attendues?|inscriptions?\s+(?:ouvertes\s+)?jusqu)",
    re.IGNORECASE)
DEADLINE_WEAK = re.compile(r"(jusqu'?\s?au|avant\s+le|d'ici\s+le|cl[ôo]ture\s*:?)", re.IGNORECASE)
# A date right after these is not when an event happens.
NOT_EVENT_BEFORE = re.compile(
    r"(publi[ée]e?|mise?\s+en\s+ligne|mis\s+à\s+jour|actualis[ée]e?|date\s+limite|avant\s+le|jusqu'?\s?au"
    r"|inscriptions?|cl[ôo]ture|d'ici\s+le|candidatures?|au\s+plus\s+tard|modifi[ée]e?)[^.\n]{0,30}$",
    re.IGNORECASE)


def _mention_after(text: str, cue_end: int, mentions: list[Mention], window: int = 70) -> Mention | None:
    for mention in mentions:
        if cue_end <= mention.pos <= cue_end + window:
            between = text[cue_end:mention.pos]
            if "\n\n" in between or re.search(r"[.;]\s", between):
                return None
            return mention
        if mention.pos > cue_end + window:
            break
    return None


def find_published(text: str) -> str | None:
    """« Publié le 12 mars 2025 », « Date de publication : 03/02/2025 » (no year guessing here)."""
    text = clean_typography(text or "")[:SCAN_LIMIT]
    mentions: list[Mention] | None = None
    for cue in PUBLISHED_CUE.finditer(text):
        if mentions is None:
            mentions = find_mentions(text)
        found = _mention_after(text, cue.end(), mentions, window=25)
        if found and re.search(YEAR, text[found.pos:found.endpos]):
            return found.start
    return None


def find_deadline(text: str, ref: date | None) -> str | None:
    """The closing date of a call: after « date limite », « clôture », « jusqu'au », « avant le »…"""
    text = clean_typography(text or "")[:SCAN_LIMIT]
    mentions = find_mentions(text, ref)
    if not mentions:
        return None
    for cues in (DEADLINE_STRONG, DEADLINE_WEAK):
        for cue in cues.finditer(text):
            found = _mention_after(text, cue.end(), mentions)
            if found:
                return found.end
    return None


def find_event_dates(title: str, text: str, ref: date | None) -> tuple[str | None, str | None]:
    """First date in the title or text that is not a publication date or a deadline."""
    for chunk in (title or "", (text or "")[:SCAN_LIMIT]):
        chunk = clean_typography(chunk)
        for mention in find_mentions(chunk, ref):
            before = chunk[max(0, mention.pos - 45):mention.pos]
            if NOT_EVENT_BEFORE.search(before):
                continue
            if chunk[mention.endpos:mention.endpos + 10].lower().lstrip().startswith("dernier"):
                continue
            if ref and mention.end < (ref - timedelta(days=400)).isoformat():
                continue  # an old date quoted in the text, not the event announced
            return mention.start, mention.end
    return None, None
