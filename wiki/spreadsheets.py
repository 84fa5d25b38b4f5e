"""Every CSV and XLSX the project writes goes through here, so that no text cell is live.

A cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or their full-width forms), a tab or
a carriage return is a formula to spreadsheet software (CSV/formula injection): an item code
``=HYPERLINK(...)`` typed by an editor, or a panelist's comment, would run on the machine of
whoever opens the export. Such text gets a leading apostrophe, in every cell, header included.
XLSX cells also lose the control characters that the format cannot hold.

This module imports nothing from the project. It sits in ``wiki/``, the lowest app, so that both
the référentiel exports (``wiki.exports``) and the Delphi exports (``consensus``) use it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """Text as inert text (formula-like text gets a leading apostrophe); other values as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def csv_bytes(
    header: Sequence[str], rows: Iterable[Iterable[Any]], *, delimiter: str = ";"
) -> bytes:
    """A UTF-8 CSV with a BOM (spreadsheet software then reads UTF-8), every cell neutralised.

    Semicolons by default: a French Excel splits columns on « ; » (the comma is its decimal
    separator), and opens the file in one double-click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_cell(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


# The timestamp a workbook says it was made at, unless told: a fixed one, so that the same
# content gives the same bytes (and an export says nothing of when it was taken).
FIXED_TIMESTAMP = datetime(2000, 1, 1)


def xlsx_bytes(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Iterable[Any]]]],
    *,
    timestamp: datetime | None = None,
) -> bytes:
    """A workbook with one sheet per ``(title, header, rows)``, every cell neutralised.

    Deterministic: the document properties say `timestamp` (naive UTC; `FIXED_TIMESTAMP` by
    default) for their creation and modification, and every zip entry carries that time too,
    so the same sheets give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    moment = (timestamp or FIXED_TIMESTAMP).replace(tzinfo=None, microsecond=0)
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "wiki IA_SaNSeS"
    workbook.properties.created = moment
    workbook.properties.modified = moment
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append([_xlsx_cell(value) for value in header])
        for row in rows:
            sheet.append([_xlsx_cell(value) for value in row])
    # ExcelWriter rather than openpyxl's save_workbook, which stamps the current time.
    written = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED)).save()
    return _zip_at(written.getvalue(), moment)


def _zip_at(data: bytes, moment: datetime) -> bytes:
    """The same zip, every entry dated `moment` (zip's own timestamps are the writing time)."""
    date_time = (max(moment.year, 1980), *moment.timetuple()[1:6])
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return output.getvalue()
