"""Deduplication: group documents that describe the same resource, with stable resource ids."""

from dedup.cluster import Cluster, cluster_documents
from dedup.keys import canonical_url

__all__ = ["Cluster", "canonical_url", "cluster_documents"]
