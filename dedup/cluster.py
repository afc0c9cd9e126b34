"""Group documents into resources.

Stage 1 (foundation): identical canonical URL, and a PDF joins the page that links to it.
Every member records the stage that attached it, so the portal can say why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dedup.keys import canonical_url


@dataclass
class Member:
    doc: dict
    stage: str  # first | url | pdf_parent
    score: float = 1.0


@dataclass
class Cluster:
    keys: set[str] = field(default_factory=set)
    members: list[Member] = field(default_factory=list)


def cluster_documents(docs: list[dict]) -> list[Cluster]:
    """Deterministic grouping: same input, same clusters in the same order."""
    clusters: list[Cluster] = []
    by_key: dict[str, Cluster] = {}
    pdfs = []
    for doc in sorted(docs, key=lambda d: (d["kind"] == "pdf", d["source_id"], d["url"])):
        key = canonical_url(doc["url"])
        if doc["kind"] == "pdf" and doc.get("parent_url") and key not in by_key:
            pdfs.append((doc, key))
            continue
        cluster = by_key.get(key)
        if cluster is None:
            cluster = Cluster(keys={key}, members=[Member(doc, "first")])
            by_key[key] = cluster
            clusters.append(cluster)
        else:
            cluster.members.append(Member(doc, "url"))
    for doc, key in pdfs:
        parent = by_key.get(canonical_url(doc["parent_url"]))
        if parent is not None:
            parent.members.append(Member(doc, "pdf_parent"))
            parent.keys.add(key)
            by_key[key] = parent
        else:
            cluster = by_key.get(key)
            if cluster is None:
                cluster = Cluster(keys={key}, members=[Member(doc, "first")])
                by_key[key] = cluster
                clusters.append(cluster)
            else:
                cluster.members.append(Member(doc, "url"))
    return clusters
