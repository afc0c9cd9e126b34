"""Spiders fetch; they never normalize. One generic class per connector kind, configured by the
registry, plus one small module per API client."""

from __future__ import annotations

from spiders.kinds import spider_for

__all__ = ["spider_for"]
