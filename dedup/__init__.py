"""Deduplication: group documents that describe the same resource, link editions into series.

Pure functions (no Scrapy, no database): `glaneur.build` feeds them records and writes the tables.
See docs/dedup.md.
"""

from dedup.cluster import STAGE_RANK, Cluster, Decisions, Member, cluster_records
from dedup.ids import assign_ids
from dedup.keys import canonical_url
from dedup.options import DedupOptions
from dedup.records import DocRecord, make_record
from dedup.series import Series, SeriesInput, detect_series

__all__ = [
    "STAGE_RANK", "Cluster", "Decisions", "DedupOptions", "DocRecord", "Member", "Series", "SeriesInput",
    "assign_ids", "canonical_url", "cluster_records", "detect_series", "make_record",
]
