"""Date expressions: located with regular expressions, parsed by dateparser.

Letting dateparser search free text splits « le 13 mars 2027 à minuit » into « mars » and
« 2027 »; locating first keeps day, month and year together. A located expression may lack its
year (« Jeudi 7 avril »): `locate()` keeps it partial, and the page's own context gives the year
(normalizers/page_dates.py). `find_mentions()` resolves such dates against a reference day: it
serves explicit date fields of sources, where the source's own date is that reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
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
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun\.|mar\.|mer\.|jeu\.|ven\.|sam\.|dim\.)"
DAY = r"(?:1\s?er|premier|[0-3]?\d)"
MONTH = (r"(?:janvier|janv\.?|f[ée]vrier|f[ée]vr?\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?"
         r"|ao[uû]t|septembre|sept\.?|octobre|oct\.?|novembre|nov\.?|d[ée]cembre|d[ée]c\.?)")
YEAR = r"(?:19|20)\d{2}"
# A cheap look at the first character before the costly alternations (a weekday, « premier » or a
# digit): Python's regex engine would otherwise try every weekday name at every position.
_B = r"(?=[0-9lmjvsdpLMJVSDP])(?<![\w/.-])"  # not inside a number or a word
_E = r"(?![\w/])"

_S = r"[^\S\n]+"  # spaces within a line: a date never runs over two lines (« N° 8 \n JANVIER 2026 »)
_PART = rf"(?:{WEEKDAY},?{_S})?{DAY}(?:{_S}{MONTH}(?:,?{_S}{YEAR})?)?"
# A year may touch the next word (« Publié le 05 septembre 2022Descriptif »), a month may not.
_MONTH_END = rf"{MONTH}(?:,?{_S}{YEAR}(?![\d/])|{_E})"
# « du 3 au 5 février 2027 », « les 13 et 14 novembre », « 13-14 novembre », « les 12, 19 et 26 mai »,
# « du samedi 1er et du dimanche 2 décembre »
RANGE = re.compile(
    rf"{_B}(?P<first>(?:{WEEKDAY},?{_S})?{DAY}(?:{_S}{MONTH}(?:,?{_S}{YEAR})?)?)"
    rf"(?P<middle>(?:[^\S\n]*,[^\S\n]*{_PART})*)"
    rf"[^\S\n]*(?P<sep>au|et|-|/|à)[^\S\n]*(?:(?:du|le){_S}(?={WEEKDAY}))?"  # « samedi 1er et du dimanche 2 »
    rf"(?P<last>(?:{WEEKDAY},?{_S})?{DAY}{_S}{_MONTH_END})",
    re.IGNORECASE,
)
SINGLE = re.compile(rf"{_B}(?:{WEEKDAY},?{_S})?{DAY}{_S}{_MONTH_END}", re.IGNORECASE)
_NUM = r"[0-3]?\d[/.-][01]?\d[/.-](?:(?:19|20)\d{2}|\d{2})"
# A letter may touch the day (« Paru le17/12/2015 »), a digit or a separator may not.
NUMERIC = re.compile(r"(?=\d)(?<![\d/.-])([0-3]?\d)([/.])([01]?\d)\2((?:19|20)?\d{2})(?![\w/.]*\d)")
NUMERIC_DASH = re.compile(r"(?=\d)(?<![\w/.-])([0-3]?\d)-([01]?\d)-((?:19|20)\d{2})(?![\w/.-]*\d)")
NUMERIC_RANGE = re.compile(
    rf"(?=\d)(?<![\d/.-])(?P<a>{_NUM})[^\S\n]*(?:au|-|à|>)[^\S\n]*(?:{WEEKDAY},?{_S})?(?P<b>{_NUM})"
    r"(?![\w/.]*\d)",
    re.IGNORECASE)
ISO = re.compile(r"(?=[12])(?<![\w-])((?:19|20)\d{2})-([01]\d)-([0-3]\d)(?![\d])")
# « 10nov10 h 00 min »: the day glued to its month, as calendar plugins print it.
GLUED = re.compile(r"(?=\d)(?<![\w/.])([0-3]?\d)(janv|févr|fevr|mars|avr|mai|juin|juil|août|aout|sept|oct|nov|déc|dec)"
                   r"\.?(?=\d|\s|$)", re.IGNORECASE)
# « 8 January 2024 », « January 8, 2024 », « 02-Dec-2021 »: upload and byline dates of hosting
# sites and English templates; only with their year.
_EN_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
             r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)")
_EN_WEEKDAY = r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?[^\S\n]+)?"
ENGLISH = re.compile(
    rf"(?<![\w/.-]){_EN_WEEKDAY}(?:(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:[^\S\n]+|-)(?P<m>{_EN_MONTH})\.?(?:,?[^\S\n]+|-)"
    rf"(?P<y>{YEAR})|(?P<m2>{_EN_MONTH})\.?[^\S\n]+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?,?[^\S\n]+(?P<y2>{YEAR}))(?![\w/])",
    re.IGNORECASE)
_PARTS = re.compile(rf"(?:(?P<w>{WEEKDAY}),?{_S})?(?P<d>{DAY})(?:{_S}(?P<m>{MONTH})(?:,?{_S}(?P<y>{YEAR}))?)?",
                    re.IGNORECASE)


@dataclass(frozen=True)
class Part:
    """One day as written: the year may be missing, the weekday may be given."""

    day: int
    month: int
    year: int | None = None
    weekday: int | None = None  # 0 = lundi


@dataclass(frozen=True)
class Expr:
    """One located date expression: a day, or a span or list of days (« du 3 au 5 février »)."""

    first: Part
    last: Part
    pos: int
    endpos: int
    sep: str = ""  # « au », « et », « - »… for spans; "" for one day

    @property
    def complete(self) -> bool:
        return self.first.year is not None and self.last.year is not None


@dataclass(frozen=True)
class Mention:
    """One located date expression with its year known: ISO start and end."""

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


def _clean_day(day: str) -> int:
    return int(re.sub(r"\s+", "", day.lower()).replace("premier", "1").replace("1er", "1"))


@lru_cache(maxsize=512)
def month_number(month: str) -> int | None:
    """« févr. » → 2, read by dateparser on a leap year so that « 29 février » stays possible."""
    parsed = _parse_full(f"1 {month.lower().rstrip('.')} 2000")
    return parsed.month if parsed else None


@lru_cache(maxsize=64)
def _english_month(month: str) -> int | None:
    try:
        parsed = dateparser.parse(f"1 {month} 2000", languages=["en"], settings=_SETTINGS)
    except Exception:
        return None
    return parsed.month if parsed else None


def _weekday(name: str | None) -> int | None:
    if not name:
        return None
    head = name.lower().rstrip(".")[:3]
    return next((i for i, w in enumerate(WEEKDAYS) if w.startswith(head)), None)


def day_of(part: Part, year: int | None = None) -> date | None:
    """The date a part stands for in its own year, or in `year` when it has none."""
    year = part.year or year
    if year is None:
        return None
    try:
        value = date(year, part.month, part.day)
    except ValueError:
        return None
    return value if plausible(value) else None


def _word_parts(expression: str) -> list[Part] | None:
    """Parts of a worded expression, months and years carried back from the last part."""
    raw = [(m["w"], m["d"], m["m"], m["y"]) for m in _PARTS.finditer(expression)]
    if not raw or not raw[-1][2]:
        return None
    parts: list[Part] = []
    month = year = None
    for weekday, day, month_name, year_text in reversed(raw):
        if month_name:
            month = month_number(month_name)
            year = int(year_text) if year_text else (year if parts else None)
        elif year_text:
            year = int(year_text)
        if month is None:
            return None
        parts.append(Part(_clean_day(day), month, year, _weekday(weekday)))
    parts.reverse()
    return parts


def _span_year_fix(first: Part, last: Part) -> Part:
    """« du 28 décembre au 3 janvier 2027 »: the first day is in the year before."""
    if first.year is not None and first.year == last.year and (first.month, first.day) > (last.month, last.day):
        return Part(first.day, first.month, first.year - 1, first.weekday)
    return first


def _numeric_part(day: str, month: str, year: str) -> Part | None:
    year_n = int(year) + (2000 if len(year) == 2 else 0)
    part = Part(int(day), int(month), year_n)
    return part if day_of(part) else None


def _valid(expr: Expr) -> bool:
    """Every day exists (in its year, or in a leap year when the year is unknown)."""
    return all(day_of(p, None if p.year else 2000) for p in (expr.first, expr.last))


@lru_cache(maxsize=1024)
def locate(text: str) -> tuple[Expr, ...]:
    """Every date expression of the text, in reading order, with or without its year."""
    text = clean_typography(text or "")[:SCAN_LIMIT]
    found: list[Expr] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def keep(expr: Expr) -> None:
        if _valid(expr):
            found.append(expr)
            taken.append((expr.pos, expr.endpos))

    regions = _digit_regions(text)
    for match in _finditer(NUMERIC_RANGE, text, regions):
        first = _numeric_any(match["a"])
        last = _numeric_any(match["b"])
        if first and last and day_of(first) <= day_of(last):
            keep(Expr(first, last, match.start(), match.end(), "au"))
    for match in _finditer(RANGE, text, regions):
        if not free(match.start(), match.end()):
            continue
        parts = _word_parts(match.group(0))
        if not parts:
            continue
        first, last = _span_year_fix(parts[0], parts[-1]), parts[-1]
        probe_year = last.year or 2000
        a, b = day_of(first, probe_year), day_of(last, probe_year)
        if a is None or b is None:
            continue
        if a > b:  # « du 28 décembre au 3 janvier » without a year
            if last.year is not None:
                continue
            if (b.replace(year=b.year + 1) - a).days > 366:
                continue
        elif match["sep"] in "-/" and (b - a).days > 7:
            continue  # « Journée 1 - 12 mars » is a numbered item, not a span
        keep(Expr(first, last, match.start(), match.end(), match["sep"].lower()))
    for match in _finditer(SINGLE, text, regions):
        if not free(match.start(), match.end()):
            continue
        parts = _word_parts(match.group(0))
        if parts:
            keep(Expr(parts[0], parts[0], match.start(), match.end()))
    for pattern in (NUMERIC, NUMERIC_DASH):
        for match in _finditer(pattern, text, regions):
            if not free(match.start(), match.end()):
                continue
            groups = match.groups()
            day, month, year = (groups[0], groups[2], groups[3]) if pattern is NUMERIC else groups
            part = _numeric_part(day, month, year)
            if part:
                keep(Expr(part, part, match.start(), match.end()))
    for match in _finditer(ISO, text, regions):
        if not free(match.start(), match.end()):
            continue
        part = _numeric_part(match[3], match[2], match[1])
        if part:
            keep(Expr(part, part, match.start(), match.end()))
    for match in _finditer(GLUED, text, regions):
        if not free(match.start(), match.end()):
            continue
        month = month_number(match[2])
        if month:
            part = Part(int(match[1]), month)
            keep(Expr(part, part, match.start(), match.end()))
    for match in _finditer(ENGLISH, text, regions):
        if not free(match.start(), match.end()):
            continue
        month = _english_month(match["m"] or match["m2"])
        part = _numeric_part(match["d"] or match["d2"], str(month), match["y"] or match["y2"]) if month else None
        if part:
            keep(Expr(part, part, match.start(), match.end()))
    return tuple(sorted(found, key=lambda e: e.pos))


_DIGITS = re.compile(r"\d+")
_BEFORE_DIGIT, _AFTER_DIGIT = 24, 40  # « du mercredi 3 » … « 5 septembre, 2027 »


def _digit_regions(text: str) -> list[tuple[int, int]]:
    """Stretches of text around its digits, cut at spaces: every date expression lies in one, and
    the patterns need not try the prose between them."""
    regions: list[tuple[int, int]] = []
    for match in _DIGITS.finditer(text):
        start = text.rfind(" ", 0, max(0, match.start() - _BEFORE_DIGIT)) + 1
        end = text.find(" ", match.end() + _AFTER_DIGIT)
        end = len(text) if end < 0 else end
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(regions[-1][1], end))
        else:
            regions.append((start, end))
    return regions


def _finditer(pattern: re.Pattern, text: str, regions: list[tuple[int, int]]):
    for start, end in regions:
        yield from pattern.finditer(text, start, end)


def _numeric_any(value: str) -> Part | None:
    pieces = re.split(r"[/.-]", value)
    return _numeric_part(*pieces) if len(pieces) == 3 else None


# --- resolving against a reference day (explicit source fields) ---------------------------------
def _next_on_or_after(part: Part, ref: date, past: bool) -> date | None:
    for year in ((ref.year, ref.year - 1) if past else (ref.year, ref.year + 1)):
        value = day_of(part, year)
        if value is not None and ((value <= ref) if past else (value >= ref)):
            return value
    return None


def resolve_against(expr: Expr, ref: date | None, past: bool = False) -> Mention | None:
    """A year-less expression as the next occurrence on or after `ref` (before it if `past`)."""
    if expr.complete:
        start, end = day_of(expr.first), day_of(expr.last)
    else:
        ref = ref or date.today()
        end = day_of(expr.last) if expr.last.year else _next_on_or_after(expr.last, ref, past)
        if end is None:
            return None
        start = day_of(expr.first, end.year) if expr.first.year is None else day_of(expr.first)
        if start is not None and start > end:
            start = day_of(expr.first, end.year - 1)
    if start is None or end is None or start > end:
        return None
    return Mention(start.isoformat(), end.isoformat(), expr.pos, expr.endpos)


def find_mentions(text: str, ref: date | None = None) -> list[Mention]:
    """Every date expression of the text, year-less ones resolved against `ref` (see module doc)."""
    text = clean_typography(text or "")[:SCAN_LIMIT]
    found = []
    for expr in locate(text):
        past = text[expr.endpos:expr.endpos + 10].lower().lstrip().startswith("dernier")
        mention = resolve_against(expr, ref, past)
        if mention:
            found.append(mention)
    return found


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
