"""`….xlsx` and `….excel` (« CSV (Excel) »): any table, selection or canned query as a file a
French user opens as is.

Datasette's CSV is UTF-8 without BOM, comma-separated, with English column names and lists as
JSON arrays of codes: Excel in French shows « JournÃ©e » and `["76"]`. The workbook has the
portal's French headings, labels instead of codes (« Occitanie », « Appel à projets »), lists
written out, dates as dates, and the whole selection (up to 10,000 rows), not the page.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from datasette import Response, hookimpl
from glaneur.portal import COLUMN_TITLES, LABEL_ALIASES
from glaneur.selection import whole_selection

MAX_ROWS = 10_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32_767  # characters a spreadsheet cell holds (Excel truncates or refuses beyond)
DATES = {"published", "deadline", "event_start", "event_end"}
_NAME = re.compile(r"[^\w-]+")


async def _labels(datasette, database: str) -> dict[str, dict[str, str]]:
    db = datasette.get_database(database)
    labels: dict[str, dict[str, str]] = {}
    if await db.table_exists("libelles"):
        for row in (await db.execute("select colonne, code, libelle from libelles")).rows:
            labels.setdefault(row["colonne"], {})[row["code"]] = row["libelle"]
    return labels


def _cell(column: str, value, labels: dict[str, dict[str, str]]):
    if value is None:
        return None
    vocabulary = labels.get(LABEL_ALIASES.get(column, column), {})  # the vocabularies of `libelles`
    if isinstance(value, str) and value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            items = None
        if isinstance(items, list):
            return ", ".join(vocabulary.get(str(v), str(v)) for v in items)
    if column in DATES and isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return value
    if vocabulary and str(value) in vocabulary:
        return vocabulary[str(value)]
    if isinstance(value, bytes):  # full-text index internals: nothing a reader can use
        return f"(données binaires, {len(value)} octets)"
    if isinstance(value, str):  # control characters make the file unreadable
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
    return value


async def _french_table(datasette, rows, columns, sql, data, database, table):
    """French headings, then the whole selection's rows with labels and dates."""
    rows = await whole_selection(datasette, rows, sql, data, database, table, MAX_ROWS)
    labels = await _labels(datasette, database)
    body = [[_cell(c, row[c] if c in row.keys() else None, labels) for c in columns] for row in rows]
    return [COLUMN_TITLES.get(c, c) for c in columns], body


def _filename(table, query_name, extension: str) -> str:
    name = _NAME.sub("-", table or query_name or "export").strip("-") or "export"
    return f'attachment; filename="glaneur-{name}.{extension}"'


async def render_xlsx(datasette, request, rows, columns, sql, data, database, table, query_name):
    header, body = await _french_table(datasette, rows, columns, sql, data, database, table)
    book = Workbook()
    sheet = book.active
    sheet.title = (table or query_name or "export")[:31]
    sheet.append(header)
    for values in body:
        sheet.append(values)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if cell.data_type == "f":  # « =… » in a title is text, never a formula
                cell.data_type = "s"
    for index, column in enumerate(columns, start=1):
        if column in DATES:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "DD/MM/YYYY"
        sheet.column_dimensions[get_column_letter(index)].width = 40 if column in ("title", "summary") else 16
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(), status=200,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"content-disposition": _filename(table, query_name, "xlsx")},
    )


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text  # a spreadsheet runs « =… » as a formula


async def render_csv_excel(datasette, request, rows, columns, sql, data, database, table, query_name):
    """« CSV (Excel) »: what Excel in French opens by a double click — BOM, « ; », CRLF."""
    header, body = await _french_table(datasette, rows, columns, sql, data, database, table)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_csv_text(v) for v in values] for values in body)
    return Response(
        ("\ufeff" + out.getvalue()).encode("utf-8"), status=200,
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": _filename(table, query_name, "csv")},
    )


@hookimpl
def register_output_renderer(datasette):
    return [
        {"extension": "xlsx", "render": render_xlsx, "can_render": lambda columns: bool(columns)},
        {"extension": "excel", "render": render_csv_excel, "can_render": lambda columns: bool(columns)},
    ]
