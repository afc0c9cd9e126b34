"""Resources that disappear from their sources are retired, never deleted.

A document is gone when its source had `retire_after` successful crawls in a row since it was
last seen. A resource is retired when every document behind it is gone; a call or event that
vanished before its date is flagged, so nobody mistakes it for one that took place.
"""

from __future__ import annotations

import sqlite_utils

ACTIVE, RETIRED = "actif", "retire"


def gone_documents(db: sqlite_utils.Database) -> dict[str, str]:
    """Document id → date it was last seen, for documents missing from enough successful crawls."""
    if "retire_after" not in db["sources"].columns_dict:
        return {}
    rows = db.query(
        """
        select d.id, substr(d.last_seen, 1, 10) as last_seen
        from documents d join sources s on s.id = d.source_id
        where s.retire_after is not null and d.last_seen is not null
          and (select count(*) from crawl_runs r
               where r.source_id = d.source_id and r.status in ('ok', 'partiel')
                 and r.started > d.last_seen) >= s.retire_after
        """
    )
    return {row["id"]: row["last_seen"] for row in rows}


def resource_status(document_ids: list[str], gone: dict[str, str], deadline: str | None,
                    event_start: str | None) -> dict:
    """statut, retire_depuis and disparu_avant_echeance of one resource."""
    if not document_ids or any(doc_id not in gone for doc_id in document_ids):
        return {"statut": ACTIVE, "retire_depuis": None, "disparu_avant_echeance": 0}
    last_seen = max(gone[doc_id] for doc_id in document_ids)
    due = min((d for d in (deadline, event_start) if d), default=None)
    return {"statut": RETIRED, "retire_depuis": last_seen,
            "disparu_avant_echeance": int(bool(due) and due > last_seen)}
