"""WordPress REST API (`/wp-json/wp/v2/posts`): one class serves every partner site on WordPress.

The REST API gives what an RSS feed hides: full content, categories and tags by name
(with `_embed`), modification dates and pagination headers, with no selector to maintain.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from scrapy.http import Response

from pipelines.extract import html_fragment_to_text
from spiders.api import ApiSpider


def with_query(url: str, **params: Any) -> str:
    """The URL with these query parameters set (others kept, order stable)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query, keep_blank_values=True)
    for key, value in params.items():
        query[key] = [str(value)]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def rest_endpoints(url: str, options: dict[str, Any]) -> list[str]:
    """REST URLs of an entry: a /wp-json/ URL is used as is, a site URL gets one per post type."""
    if "/wp-json/" in url:
        return [url]
    base = url.rstrip("/")
    params: dict[str, Any] = {"_embed": 1, "per_page": int(options.get("per_page", 20))}
    if options.get("categories"):
        params["categories"] = ",".join(str(c) for c in options["categories"])
    if options.get("search"):
        params["search"] = options["search"]
    return [
        with_query(f"{base}/wp-json/wp/v2/{post_type}", **params)
        for post_type in options.get("post_types", ["posts"])
    ]


def rendered(value: Any) -> str:
    """WordPress wraps text in {"rendered": "<html>"}; plain strings pass through."""
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return value or ""


def embedded_terms(post: dict) -> dict[str, list[str]]:
    """Names of the embedded terms per taxonomy (category, post_tag, custom ones)."""
    terms: dict[str, list[str]] = {}
    for group in (post.get("_embedded") or {}).get("wp:term") or []:
        for term in group or []:
            if isinstance(term, dict) and term.get("name"):
                terms.setdefault(term.get("taxonomy", "category"), []).append(html_fragment_to_text(term["name"]))
    return terms


class WordPressSpider(ApiSpider):
    """Posts (or pages, or custom post types) of a WordPress site through its REST API."""

    def api_requests(self):
        for url in self.source.entry_urls:
            for endpoint in rest_endpoints(url, self.source.wordpress):
                yield self.request(endpoint, self.parse, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int = 1):
        posts = self.load_json(response)
        if posts is None:
            return
        if not isinstance(posts, list):
            self.fail(f"Réponse WordPress inattendue (liste d'articles attendue) : {response.url}")
            return
        if not posts and page == 1:
            self.fail(f"API WordPress sans article : {response.url}")
        for post in posts:
            yield self.post_document(response, post)
        total_pages = int(response.headers.get("X-WP-TotalPages", b"1") or 1)
        if page < min(total_pages, self.source.max_pages):
            yield self.request(with_query(response.url, page=page + 1), self.parse, cb_kwargs={"page": page + 1})

    def post_document(self, response: Response, post: dict):
        terms = embedded_terms(post)
        content = rendered(post.get("content"))
        return self.record(
            response,
            post,
            url=post.get("link") or response.url,
            title=html_fragment_to_text(rendered(post.get("title"))),
            summary=html_fragment_to_text(rendered(post.get("excerpt"))),
            text=html_fragment_to_text(content),
            published=(post.get("date") or "")[:10] or None,
            fields={
                "categories": terms.get("category", []) + terms.get("post_tag", []),
                "modified": (post.get("modified") or "")[:10] or None,
                "wp_type": post.get("type"),
                "wp_id": post.get("id"),
            },
        )
