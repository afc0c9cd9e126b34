"""The whole selection behind an export, not the page it was asked from.

Datasette hands a renderer the rows of one page (a table page, or one page of a canned query
paged by `:page`). An agenda or a spreadsheet of « this selection » must hold all of it: the
page's `limit … offset …` is replaced by a ceiling. SQL a visitor wrote keeps its own limit.
"""

from __future__ import annotations

import re

_PAGE_LIMIT = re.compile(r"\s+limit\s+\d+(?:\s+offset\s+.+)?\s*$", re.I | re.S)


def whole_selection_sql(sql: str | None, table: str | None, params: dict) -> str | None:
    """The page's query without its page limit, or None when the rows given are the selection."""
    if not sql or not _PAGE_LIMIT.search(sql):
        return None
    if table or "page" in params:  # a table page, or a canned query paged by :page
        return _PAGE_LIMIT.sub("", sql)
    return None


async def whole_selection(datasette, rows, sql, data, database, table, most: int):
    """Rows of the whole selection, at most `most`."""
    params = ((data or {}).get("query") or {}).get("params") or {}
    whole = whole_selection_sql(sql, table, params)
    if whole is None:
        return rows
    return (await datasette.execute(database, f"{whole} limit {int(most)}", params)).rows
