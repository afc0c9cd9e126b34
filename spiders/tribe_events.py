"""The Events Calendar (WordPress plugin « Tribe ») REST API: `/wp-json/tribe/events/v1/events`.

Its structured dates, venue and categories become event_start / event_end / location, so
agendas of partner sites need no selector at all.
"""

from __future__ import annotations

from scrapy.http import Response

from pipelines.extract import html_fragment_to_text
from spiders.api import PagedApiSpider


def venue_text(venue) -> str | None:
    """« Lieu, adresse, code postal ville » from a Tribe venue object."""
    if not isinstance(venue, dict) or not venue:
        return None
    city = " ".join(p for p in (venue.get("zip"), venue.get("city")) if p)
    parts = [venue.get("venue"), venue.get("address"), city]
    return ", ".join(html_fragment_to_text(p) for p in parts if p) or None


class TribeEventsSpider(PagedApiSpider):
    items_key = "events"
    empty_message = "Agenda sans événement"

    def next_url(self, data: dict, response: Response) -> str | None:
        return data.get("next_rest_url")

    def item_document(self, response: Response, event: dict):
        description = event.get("description") or ""
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
                "location": venue_text(event.get("venue")),
                "categories": [c.get("name") for c in event.get("categories") or [] if c.get("name")],
                "organisations": [
                    html_fragment_to_text(o.get("organizer", "")) for o in event.get("organizer") or []
                    if isinstance(o, dict) and o.get("organizer")
                ],
                "cost": event.get("cost") or None,
            },
        )
