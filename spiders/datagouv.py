"""data.gouv.fr API v1: datasets about food aid (`/api/1/datasets/?q=...`), paginated by `next_page`."""

from __future__ import annotations

from scrapy.http import Response

from spiders.api import PagedApiSpider


class DataGouvSpider(PagedApiSpider):
    items_key = "data"
    empty_message = "Aucun jeu de données"

    def next_url(self, data: dict, response: Response) -> str | None:
        return data.get("next_page")

    def item_document(self, response: Response, dataset: dict):
        organization = dataset.get("organization") or {}
        slug = dataset.get("slug") or dataset.get("id")
        return self.record(
            response,
            dataset,
            url=dataset.get("page") or f"https://www.data.gouv.fr/fr/datasets/{slug}/",
            title=dataset.get("title", ""),
            summary=dataset.get("description", ""),
            published=(dataset.get("created_at") or "")[:10] or None,
            fields={
                "categories": dataset.get("tags") or [],
                "organisations": [organization["name"]] if organization.get("name") else [],
                "modified": (dataset.get("last_update") or dataset.get("last_modified") or "")[:10] or None,
                "frequency": dataset.get("frequency"),
                "licence": dataset.get("license"),
                "resources": [
                    {"title": r.get("title"), "url": r.get("url"), "format": r.get("format")}
                    for r in dataset.get("resources") or []
                ],
            },
        )
