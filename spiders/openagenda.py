"""OpenAgenda API v2: events of curated agendas (`/v2/agendas/{uid}/events`).

The public key travels in the `key` header, never in the URL: recorded URLs and logs stay
free of secrets. Pagination follows the `after` cursor the API returns; the registry asks for
300 events a call (`size`, the API's maximum) and `longDescriptionFormat=HTML`.

Public page of an event: `canonicalUrl` when the API gives it, else the forms the API's own
code uses: `https://openagenda.com/{agendaSlug}/events/{eventSlug}` when the registry gives
the agenda's slug (`api.agenda_slug`), else `https://openagenda.com/agendas/{agendaUid}/events/{eventUid}`.

`status` (1 scheduled, 2 rescheduled, 3 moved online, 4 postponed, 5 full, 6 cancelled) becomes
fields.event_status; the normalizer shows a cancelled, postponed or full event as such.
`location.insee`, `department` and `region` are kept: the commune's code places the event
without guessing from its name.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.http import Response

from pipelines.extract import html_fragment_to_text
from spiders.api import PagedApiSpider

SLUG_EVENT_URL = "https://openagenda.com/{agenda}/events/{event}"
UID_EVENT_URL = "https://openagenda.com/agendas/{agenda}/events/{event}"
# OpenAgenda's event status codes -> fields.event_status (normalizers/titles.py reads them).
STATUSES = {1: "programme", 2: "reprogramme", 3: "en_ligne", 4: "reporte", 5: "complet", 6: "annule"}


def text_of(value) -> str:
    """OpenAgenda strings are plain with monolingual=fr, else {"fr": ...}."""
    if isinstance(value, dict):
        value = value.get("fr") or next(iter(value.values()), "")
    return value or ""


def with_after(url: str, after: list) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "after[]"]
    query += [("after[]", str(a)) for a in after]
    return urlunsplit(parts._replace(query=urlencode(query)))


def location_text(location) -> str | None:
    if not isinstance(location, dict):
        return None
    city = " ".join(p for p in (location.get("postalCode"), location.get("city")) if p)
    parts = [location.get("name"), location.get("address")]
    text = ", ".join(p for p in parts if p)
    if city and city not in text:
        text = f"{text}, {city}" if text else city
    return text or None


def event_url(event: dict, agenda_uid: str, agenda_slug: str | None) -> str:
    if event.get("canonicalUrl"):
        return event["canonicalUrl"]
    if agenda_slug and event.get("slug"):
        return SLUG_EVENT_URL.format(agenda=agenda_slug, event=event["slug"])
    return UID_EVENT_URL.format(agenda=agenda_uid, event=event.get("uid", ""))


def event_status(event: dict) -> str | None:
    try:
        return STATUSES.get(int(event.get("status")))
    except (TypeError, ValueError):
        return None


class OpenAgendaSpider(PagedApiSpider):
    requires_key = True

    items_key = "events"
    empty_message = "Agenda OpenAgenda sans événement"

    def request_headers(self) -> dict[str, str]:
        return {"key": self.key() or "", "Accept": "application/json"}

    def next_url(self, data: dict, response: Response) -> str | None:
        after = data.get("after")
        return with_after(response.url, after) if after else None

    def item_document(self, response: Response, event: dict):
        agenda = urlsplit(response.url).path.split("/")[3] if "/agendas/" in response.url else ""
        timings = event.get("timings") or []
        first = event.get("firstTiming") or (timings[0] if timings else {})
        last = event.get("lastTiming") or (timings[-1] if timings else {})
        keywords = event.get("keywords")
        if isinstance(keywords, dict):
            keywords = keywords.get("fr") or []
        location = event.get("location") if isinstance(event.get("location"), dict) else {}
        status = event_status(event)
        place = location_text(location)
        if status == "en_ligne" or not place:
            place = "En ligne" if (status == "en_ligne" or event.get("onlineAccessLink")) else None
        return self.record(
            response,
            event,
            url=event_url(event, agenda, self.source.api.get("agenda_slug")),
            title=text_of(event.get("title")),
            summary=text_of(event.get("description")),
            text=html_fragment_to_text(text_of(event.get("longDescription"))),
            published=(event.get("createdAt") or "")[:10] or None,
            fields={
                "type_hint": "evenement",
                "type_hint_weak": True,  # a mapped category (« Formation ») may say otherwise
                "event_start": first.get("begin"),
                "event_end": last.get("end"),
                "event_status": status,
                "location": place,
                "location_insee": location.get("insee"),
                "location_department": location.get("department"),
                "location_region": location.get("region"),
                "categories": list(keywords or []),
                "organisations": [a["title"] for a in [event.get("originAgenda") or {}] if a.get("title")],
            },
        )
