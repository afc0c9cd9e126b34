"""Aides-territoires: calls and permanent aids (JWT from an API key, then paginated /api/aids/).

The record shape is the API's own (AidController::getResultsSpe of aides-territoires-symfony).
`is_call_for_project` tells a call for projects from a permanent aid; both are funding, the
taxonomy's `appel_a_projets` type (« Appel à projets / financement »), stated by the connector
so that no word of the text makes a subsidy a training. `aid_nature` says which one it is.

The login URL is `api.login_url` in the registry, else `/api/connexion/` on the host of the entry
URL: a test registry (or a mirror) pointing elsewhere logs in there too.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

from spiders.api import ApiSpider

LOGIN_PATH = "/api/connexion/"


def login_url(entry_url: str, configured: str | None = None) -> str:
    if configured:
        return configured
    parts = urlsplit(entry_url)
    return urlunsplit((parts.scheme, parts.netloc, LOGIN_PATH, "", ""))


def aid_nature(aid: dict) -> str:
    return "appel à projets" if aid.get("is_call_for_project") else "aide permanente"


class AidesTerritoiresSpider(ApiSpider):
    requires_key = True

    def api_requests(self):
        yield scrapy.Request(
            login_url(self.source.entry_urls[0], self.source.api.get("login_url")),
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
        is_call = bool(aid.get("is_call_for_project"))
        return self.record(
            response,
            aid,
            url=response.urljoin(url) if url else response.url,
            title=aid.get("name", ""),
            summary=aid.get("description", ""),
            published=(aid.get("date_created") or "")[:10] or None,
            fields={
                "type_hint": "appel_a_projets",
                "aid_nature": aid_nature(aid),
                "is_call_for_project": is_call,
                "deadline": aid.get("submission_deadline"),
                "opening": aid.get("start_date"),
                "predeposit": aid.get("predeposit_date"),
                "application_url": aid.get("application_url"),
                "origin_url": aid.get("origin_url"),
                "aid_types": aid.get("aid_types") or [],
                "programs": aid.get("programs") or [],
                "instructors": aid.get("instructors") or [],
                "organisations": aid.get("financers") or [],
                "categories": aid.get("categories") or [],
                "audiences": aid.get("targeted_audiences") or [],
                "perimeter": aid.get("perimeter"),
                "perimeter_scale": aid.get("perimeter_scale"),
                "recurrence": aid.get("recurrence"),
            },
        )
