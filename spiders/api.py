"""Base of the JSON API spiders; each API client is one small module registered here."""

from __future__ import annotations

import json
from typing import Any

from scrapy.http import Response

from spiders.base import SourceSpider


class ApiSpider(SourceSpider):
    """Loads JSON safely and skips the source with a clear message when its key is missing."""

    requires_key = False

    def initial_requests(self):
        if self.requires_key and not self.key():
            self.fail(
                f"Clé d'API absente : définissez la variable d'environnement {self.source.api_key_env} "
                f"pour collecter {self.source.id} ; source ignorée."
            )
            return
        yield from self.api_requests()

    def key(self) -> str | None:
        key = self.source.api_key()
        if not key and self.settings.getbool("GLANEUR_OFFLINE"):
            return "cle-hors-ligne"  # recorded responses do not check it
        return key

    def api_requests(self):
        raise NotImplementedError

    def load_json(self, response: Response) -> Any | None:
        try:
            return json.loads(response.text)
        except (ValueError, AttributeError) as exc:
            self.fail(f"Réponse JSON illisible : {response.url} ({exc})")
            return None

    def record(self, response: Response, payload: dict, **values: Any):
        """A document whose raw payload is the API record itself."""
        return self.document(
            response,
            kind="record",
            raw=json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8"),
            raw_format="json",
            **values,
        )


class PagedApiSpider(ApiSpider):
    """A JSON API that lists items page by page: subclasses say where the items and the next
    page are, and how one item becomes a document."""

    items_key = "results"
    empty_message = "Réponse sans élément"

    def api_requests(self):
        for url in self.source.entry_urls:
            yield self.request(url, self.parse, headers=self.request_headers(), cb_kwargs={"page": 1})

    def request_headers(self) -> dict[str, str]:
        return {}

    def next_url(self, data: dict, response: Response) -> str | None:
        return None

    def item_document(self, response: Response, item: dict):
        raise NotImplementedError

    def parse(self, response: Response, page: int = 1):
        data = self.load_json(response)
        if data is None:
            return
        items = data.get(self.items_key) or []
        if not items and page == 1:
            self.fail(f"{self.empty_message} : {response.url}")
        for item in items:
            yield self.item_document(response, item)
        next_url = self.next_url(data, response) if items else None
        if next_url and page < self.source.max_pages:
            yield self.request(next_url, self.parse, headers=self.request_headers(), cb_kwargs={"page": page + 1})


def api_clients() -> dict[str, type[ApiSpider]]:
    # Imported late: the client modules import this one.
    from spiders.aides_territoires import AidesTerritoiresSpider
    from spiders.datagouv import DataGouvSpider
    from spiders.hal import HalSpider
    from spiders.openagenda import OpenAgendaSpider
    from spiders.tribe_events import TribeEventsSpider
    from spiders.wordpress import WordPressSpider

    return {
        "aides_territoires": AidesTerritoiresSpider,
        "datagouv": DataGouvSpider,
        "hal": HalSpider,
        "openagenda": OpenAgendaSpider,
        "tribe_events": TribeEventsSpider,
        "wordpress": WordPressSpider,
    }
