"""schema.org JSON-LD embedded in pages (Event, Course, Article…), read with extruct.

Many CMS (WordPress SEO plugins, The Events Calendar, Drupal schema_metatag, Dendreo
catalogues) publish dates and places this way: structured facts beat guessing from text.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

EVENT_TYPES = {
    "Event", "EducationEvent", "BusinessEvent", "SocialEvent", "ExhibitionEvent", "Festival",
    "ChildrensEvent", "FoodEvent", "LiteraryEvent", "SaleEvent", "ScreeningEvent", "CourseInstance",
}
COURSE_TYPES = {"Course"}
ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "Report", "ScholarlyArticle", "WebPage"}


def _types(node: dict) -> set[str]:
    value = node.get("@type") or []
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values}


def _nodes(data: Any):
    """Every JSON-LD object, flattening @graph and lists."""
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _nodes(data["@graph"])
        if "@type" in data:
            yield data


def place_text(location: Any) -> str | None:
    """« Nom, rue, code postal ville » of a schema.org Place (or a plain string)."""
    if isinstance(location, list):
        location = location[0] if location else None
    if isinstance(location, str):
        return location.strip() or None
    if not isinstance(location, dict):
        return None
    if "VirtualLocation" in _types(location):
        return "En ligne"
    address = location.get("address")
    parts = [location.get("name")]
    if isinstance(address, dict):
        city = " ".join(p for p in (address.get("postalCode"), address.get("addressLocality")) if p)
        if parts[0] == address.get("addressLocality"):
            parts = []  # the place is only named after its town
        parts += [address.get("streetAddress"), city]
    elif isinstance(address, str):
        parts.append(address)
    text = ", ".join(str(p).strip() for p in parts if p)
    return text or None


def jsonld_nodes(html: str | bytes, url: str | None = None) -> list[dict]:
    """JSON-LD objects of a page; a broken block is skipped, never fatal."""
    import extruct  # on first use, like trafilatura in pipelines/extract.py

    try:
        data = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)
    except Exception as exc:  # extruct surfaces lxml and json errors of broken pages
        log.debug("JSON-LD illisible sur %s : %s", url, exc)
        return []
    return list(_nodes(data.get("json-ld") or []))


def jsonld_fields(html: str | bytes, url: str | None = None) -> dict[str, Any]:
    """Fields of doc.fields found in JSON-LD: type_hint, event_start/end, location, published, title."""
    found: dict[str, Any] = {}
    for node in jsonld_nodes(html, url):
        types = _types(node)
        if types & COURSE_TYPES:
            found.setdefault("type_hint", "formation")
            instances = node.get("hasCourseInstance") or []
            instance = instances[0] if isinstance(instances, list) and instances else instances
            if isinstance(instance, dict):
                found.setdefault("event_start", instance.get("startDate"))
                found.setdefault("event_end", instance.get("endDate"))
                found.setdefault("location", place_text(instance.get("location")))
        elif types & EVENT_TYPES:
            found.setdefault("type_hint", "evenement")
            found.setdefault("event_start", node.get("startDate"))
            found.setdefault("event_end", node.get("endDate"))
            found.setdefault("location", place_text(node.get("location")))
        elif not types & ARTICLE_TYPES:
            continue
        found.setdefault("published", node.get("datePublished"))
        found.setdefault("title", node.get("headline") or node.get("name"))
        found.setdefault("schema_type", sorted(types)[0])
    return {k: v for k, v in found.items() if v}
