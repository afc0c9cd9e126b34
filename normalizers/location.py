"""Where an event or a training takes place: a venue, an address, a commune, or « En ligne »."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from normalizers.dates import find_mentions
from normalizers.keywords import keyword_data
from normalizers.territories import commune_named, find_communes
from normalizers.text import clean_typography, fold, squash

ONLINE = "En ligne"
SCAN_LIMIT = 4000
_ONLINE = re.compile(r"\b(en ligne|en visio(?:conf[ée]rence)?|par visio(?:conf[ée]rence)?|à distance|en distanciel"
                     r"|100 ?% distanciel|webinaire|webinar|sur zoom|via zoom|sur teams|via teams|classe virtuelle"
                     r"|\(zoom\)|\(teams\))", re.IGNORECASE)
_IN_PERSON = re.compile(r"\b(en présentiel|sur place|présentiel)\b", re.IGNORECASE)
_LABELLED = re.compile(r"^\s*(?:lieu|adresse|où\s*\??|localisation|rendez-vous|site)\s*(?:\?|:)\s*(?P<place>.{3,120})$",
                       re.IGNORECASE | re.MULTILINE)
_ADDRESS = re.compile(
    r"\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|chemin|place|allée|quai|route|impasse|cours"
    r"|square|esplanade|parvis|promenade|faubourg)\b[^\n]{2,80}?\b\d{5}\s+[A-ZÀ-Ý][\w'’ -]+",
    re.IGNORECASE)
_LEADING_PREP = re.compile(r"^(?:à|au|aux|en|dans|chez|sur)\s+(?:l[ae]\s+|l')?", re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}\s?h\s?(?:\d{2})?(?:\s?[-–à]\s?\d{1,2}\s?h\s?(?:\d{2})?)?", re.IGNORECASE)


@lru_cache(maxsize=1)
def _venue_pattern() -> re.Pattern:
    words = sorted({fold(w) for w in keyword_data()["places"]}, key=len, reverse=True)
    return re.compile(rf"^(?:{'|'.join(re.escape(w) for w in words)})\b")


def clean_place(place: str) -> str | None:
    """« au Palais du Travail - Narbonne. » → « Palais du Travail - Narbonne »."""
    place = squash(clean_typography(place)).strip(" .;,:-")
    if not place:
        return None
    if _ONLINE.match(place) and len(place) < 25:
        return ONLINE
    place = _LEADING_PREP.sub("", place, count=1)
    return place[:1].upper() + place[1:120] if place else None


def _is_venue(text: str) -> bool:
    return bool(_venue_pattern().match(fold(_LEADING_PREP.sub("", text.strip()))))


def _has_commune(part: str) -> bool:
    return commune_named(part) is not None


def _place_in_line(line: str) -> str | None:
    """A short line naming a venue and/or a commune (« Palais du Travail - Narbonne »), once its
    date and times are removed (« 24 septembre 2026 – Dijon, Palais des congrès » → « Dijon, … »)."""
    for mention in reversed(find_mentions(line)):
        line = line[:mention.pos] + " " + line[mention.endpos:]
    line = _TIME.sub(" ", line)
    line = re.sub(r"^\W*(?:(?:du|le|les|au|aux|et|de|à|la|l')(?:\b|(?<=')|$)\W*)*", "", squash(line),
                  flags=re.IGNORECASE).strip(" -–,|.")
    line = re.sub(r"^(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b\W*", "", line, flags=re.I)
    if not (3 <= len(line) <= 100) or line.endswith(("?", "!")) or line.count(" ") > 12:
        return None
    parts = [p for p in re.split(r"\s+[-–|]\s+|,\s*", line) if p]
    if any(_has_commune(p) for p in parts) or _is_venue(parts[0]):
        return line
    return None


def _near_dates(lines: list[str]) -> str | None:
    """The venue or commune stated on the event's date line or on the lines around it."""
    for index, line in enumerate(lines[:40]):
        if not find_mentions(line):
            continue
        for neighbour in (line, *lines[index + 1:index + 3], *lines[max(0, index - 2):index]):
            if neighbour.strip() and len(squash(neighbour)) <= 140:
                place = _place_in_line(neighbour)
                if place:
                    return place
        break
    return None


def _venue_phrase(text: str) -> str | None:
    """« … à la Halle Clemenceau : … » → « Halle Clemenceau »."""
    for match in re.finditer(r"\b(?:à|au|aux)\s+(?:la\s+|l'|le\s+)?(?P<place>[A-ZÀ-Ý][^.,;:!?\n()]{2,60})", text):
        if _is_venue(match["place"]):
            venue = match["place"].strip()
            around = text[max(0, match.start() - 60):match.end() + 60]
            communes = [c.name for c in find_communes(around) if c.name not in venue]
            return f"{venue}, {communes[0]}" if communes else venue
    return None


def find_location(title: str, text: str, fields: dict[str, Any]) -> str | None:
    """Explicit field first; then « Lieu : », online markers, an address, a venue line, « à <commune> »."""
    for name in ("location", "page_location"):
        if fields.get(name):
            return clean_place(str(fields[name]))
    text = clean_typography(text or "")[:SCAN_LIMIT]
    labelled = _LABELLED.search(text)
    if labelled:
        return clean_place(labelled["place"])
    head = f"{title}\n{text[:1500]}"
    if _ONLINE.search(head) and not _IN_PERSON.search(head):
        return ONLINE
    address = _ADDRESS.search(text)
    if address:
        line = next((squash(x) for x in text.splitlines() if address.group(0) in x), "")
        return clean_place(line if len(line) <= 100 and _is_venue(line) else address.group(0))
    lines = [line for line in text.splitlines() if line.strip() and squash(line) != squash(title)]
    place = _near_dates(lines) or _venue_phrase(text)
    if place:
        return clean_place(place)
    communes = find_communes(f"{title}\n{text}")
    if communes:
        return communes[0].name
    return ONLINE if _ONLINE.search(text) else None
