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
