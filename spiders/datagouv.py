"""data.gouv.fr API v1: datasets about food aid (`/api/1/datasets/?q=...`), paginated by `next_page`."""

from __future__ import annotations

from scrapy.http import Response

from spiders.api import ApiSpider


class DataGouvSpider(ApiSpider):
    def api_requests(self):
        for url in self.source.entry_urls:
            yield self.request(url, self.parse, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int = 1):
        data = self.load_json(response)
        if data is None:
            return
        datasets = data.get("data") or []
        if not datasets and page == 1:
            self.fail(f"Aucun jeu de données : {response.url}")
        for dataset in datasets:
            yield self.dataset_document(response, dataset)
        if data.get("next_page") and page < self.source.max_pages:
            yield self.request(data["next_page"], self.parse, cb_kwargs={"page": page + 1})

    def dataset_document(self, response: Response, dataset: dict):
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
