"""data.gouv.fr API v1: datasets about food aid (`/api/1/datasets/?q=...`), paginated by `next_page`.

The dataset's `spatial.zones` (GeoZones ids: `country:fr`, `fr:region:76`, `fr:departement:31`…)
and `temporal_coverage` are kept as the API gives them; normalizers/territories.py reads the
zones. The description is Markdown (the site renders it): stored as its text.
"""

from __future__ import annotations

from scrapy.http import Response

from pipelines.extract import markdown_to_text
from spiders.api import PagedApiSpider

PAGE_URL = "https://www.data.gouv.fr/datasets/{slug}/"


class DataGouvSpider(PagedApiSpider):
    items_key = "data"
    empty_message = "Aucun jeu de données"

    def next_url(self, data: dict, response: Response) -> str | None:
        return data.get("next_page")

    def item_document(self, response: Response, dataset: dict):
        organization = dataset.get("organization") or {}
        slug = dataset.get("slug") or dataset.get("id")
        spatial = dataset.get("spatial") or {}
        temporal = dataset.get("temporal_coverage") or {}
        description = markdown_to_text(dataset.get("description") or "")
        return self.record(
            response,
            dataset,
            url=dataset.get("page") or PAGE_URL.format(slug=slug),
            title=dataset.get("title", ""),
            summary=description,
            published=(dataset.get("created_at") or "")[:10] or None,
            fields={
                "categories": dataset.get("tags") or [],
                "organisations": [organization["name"]] if organization.get("name") else [],
                "modified": (dataset.get("last_update") or dataset.get("last_modified") or "")[:10] or None,
                "frequency": dataset.get("frequency"),
                "licence": dataset.get("license"),
                "zones": [z for z in spatial.get("zones") or [] if isinstance(z, str)],
                "granularity": spatial.get("granularity"),
                "temporal_start": temporal.get("start"),
                "temporal_end": temporal.get("end"),
                "resources": [
                    {"title": r.get("title"), "url": r.get("url"), "format": r.get("format")}
                    for r in dataset.get("resources") or []
                ],
            },
        )
