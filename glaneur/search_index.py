"""The full-text index of resources, rebuilt after every build."""

from __future__ import annotations

import sqlite_utils

FTS_COLUMNS = ["title", "summary", "text"]
FTS_TOKENIZER = "unicode61 remove_diacritics 2"


def refresh_search_index(db: sqlite_utils.Database) -> None:
    """FTS5 over resources, accent-insensitive (remove_diacritics 2)."""
    table = db["resources"]
    if not db["resources_fts"].exists():
        table.enable_fts(FTS_COLUMNS, fts_version="FTS5", tokenize=FTS_TOKENIZER, create_triggers=False)
    table.rebuild_fts()
