"""The spider class of each registry entry (re-exported by the package as `spiders.spider_for`).

A module of its own so that code run inside the test suite, where the tests' own `spiders`
package shadows this one's `__init__`, can import it by its full name.
"""

from __future__ import annotations

from glaneur.registry import Source


def spider_for(source: Source):
    """The spider class that serves a registry entry."""
    from spiders.api import api_clients
    from spiders.feed import FeedSpider
    from spiders.listing import ListingSpider, PagesSpider, SitemapSpider
    from spiders.wordpress import WordPressSpider

    if source.kind == "api":
        client = source.api["client"]
        clients = api_clients()
        if client not in clients:
            raise ValueError(f"Source {source.id} : client d'API inconnu « {client} ».")
        return clients[client]
    return {
        "feed": FeedSpider, "listing": ListingSpider, "sitemap": SitemapSpider, "wordpress": WordPressSpider,
        "pages": PagesSpider,  # ad-hoc page lists, never in the registry
    }[source.kind]
