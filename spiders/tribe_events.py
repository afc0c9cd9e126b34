"""The Events Calendar (WordPress plugin « Tribe ») REST API: `/wp-json/tribe/events/v1/events`.

Its structured dates, venue and categories become event_start / event_end / location, so
agendas of partner sites need no selector at all.

Every request asks for the events from the crawl day on (`start_date`, set here from the
reference day, whatever the registry's URL says) and 50 a page, the API's maximum (`per_page`,
unless the registry asks for fewer). `venue` is an object, an empty list when the event has
none, or a list of objects when it has several.
"""

from __future__ import annotations

from scrapy.http import Response
from w3lib.url import add_or_replace_parameters, url_query_parameter

from glaneur.today import reference_today
from pipelines.extract import html_fragment_to_text
from spiders.api import PagedApiSpider

MAX_PER_PAGE = 50


def venue_text(venue) -> str | None:
    """« Lieu, adresse, code postal ville » from a Tribe venue object."""
    if not isinstance(venue, dict) or not venue:
        return None
    city = " ".join(p for p in (venue.get("zip"), venue.get("city")) if p)
    parts = [venue.get("venue"), venue.get("address"), city]
    return ", ".join(html_fragment_to_text(p) for p in parts if p) or None


def venues_of(event: dict) -> list[dict]:
    """The event's venues, whether the API gave one object or a list."""
    venue = event.get("venue")
    venues = venue if isinstance(venue, list) else [venue]
    return [v for v in venues if isinstance(v, dict) and v]


def main_venue(venues: list[dict]) -> dict | None:
    """The first venue with an address or a city (the one that places the event), else the first."""
    located = [v for v in venues if v.get("address") or v.get("city") or v.get("zip")]
    return (located or venues or [None])[0]


def dated_url(url: str, day: str) -> str:
    """The entry URL asking for events from `day` on, at most MAX_PER_PAGE a page."""
    try:
        per_page = min(int(url_query_parameter(url, "per_page", MAX_PER_PAGE)), MAX_PER_PAGE)
    except ValueError:
        per_page = MAX_PER_PAGE
    return add_or_replace_parameters(url, {"start_date": day, "per_page": str(per_page)})


class TribeEventsSpider(PagedApiSpider):
    items_key = "events"
    empty_message = "Agenda sans événement"

    def api_requests(self):
        day = reference_today().isoformat()
        for url in self.source.entry_urls:
            yield self.request(dated_url(url, day), self.parse, headers=self.request_headers(),
                               cb_kwargs={"page": 1})

    def next_url(self, data: dict, response: Response) -> str | None:
        return data.get("next_rest_url")

    def item_document(self, response: Response, event: dict):
        description = event.get("description") or ""
        venues = venues_of(event)
        places = [text for v in venues if (text := venue_text(v))]
        return self.record(
            response,
            event,
            url=event.get("url") or response.url,
            title=html_fragment_to_text(event.get("title") or ""),
            summary=html_fragment_to_text(event.get("excerpt") or "") or html_fragment_to_text(description)[:400],
            text=html_fragment_to_text(description),
            published=(event.get("date") or "")[:10] or None,
            fields={
                "type_hint": "evenement",
                "type_hint_weak": True,  # a mapped category (« Formation ») may say otherwise
                "event_start": event.get("start_date"),
                "event_end": event.get("end_date"),
                "location": venue_text(main_venue(venues)),
                "venues": places if len(places) > 1 else [],
                "categories": [c.get("name") for c in event.get("categories") or [] if c.get("name")],
                "organisations": [
                    html_fragment_to_text(o.get("organizer", "")) for o in event.get("organizer") or []
                    if isinstance(o, dict) and o.get("organizer")
                ],
                "cost": event.get("cost") or None,
            },
        )
