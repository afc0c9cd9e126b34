"""Aides-territoires: funding calls (JWT from an API key, then paginated /api/aids/)."""

from __future__ import annotations

import scrapy
from scrapy.http import Response

from spiders.api import ApiSpider

BASE = "https://aides-territoires.beta.gouv.fr"


class AidesTerritoiresSpider(ApiSpider):
    requires_key = True

    def api_requests(self):
        yield scrapy.Request(
            f"{BASE}/api/connexion/",
            method="POST",
            headers={"X-AUTH-TOKEN": self.key(), "Accept": "application/json"},
            callback=self.after_login,
            errback=self.on_error,
            dont_filter=True,
        )

    def after_login(self, response: Response):
        token = (self.load_json(response) or {}).get("token")
        if not token:
            self.fail(f"Authentification Aides-territoires refusée ({response.url})")
            return
        self.bearer = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        for url in self.source.entry_urls:
            yield self.request(url, self.parse, headers=self.bearer, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int):
        data = self.load_json(response)
        if data is None:
            return
        for aid in data.get("results", []):
            yield self.aid_document(response, aid)
        if data.get("next") and page < self.source.max_pages:
            yield self.request(data["next"], self.parse, headers=self.bearer, cb_kwargs={"page": page + 1})

    def aid_document(self, response: Response, aid: dict):
        url = aid.get("url") or ""
        return self.record(
            response,
            aid,
            url=BASE + url if url.startswith("/") else (url or response.url),
            title=aid.get("name", ""),
            summary=aid.get("description", ""),
            published=(aid.get("date_created") or "")[:10] or None,
            fields={
                "type_hint": "appel_a_projets" if aid.get("is_call_for_project") else None,
                "deadline": aid.get("submission_deadline"),
                "organisations": aid.get("financers") or [],
                "categories": aid.get("categories") or [],
                "audiences": aid.get("targeted_audiences") or [],
                "perimeter": aid.get("perimeter"),
                "perimeter_scale": aid.get("perimeter_scale"),
                "recurrence": aid.get("recurrence"),
            },
        )
