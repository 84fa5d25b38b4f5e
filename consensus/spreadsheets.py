"""Every CSV and XLSX the project writes goes through here, so that no text cell is live.

A cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or their full-width forms), a tab or
a carriage return is a formula to spreadsheet software (CSV/formula injection): an item code
``=HYPERLINK(...)`` typed by an editor, or a panelist's comment, would run on the machine of
whoever opens the export. Such text gets a leading apostrophe, in every cell, header included.
XLSX cells also lose the control characters that the format cannot hold.

This module imports nothing from the project: it belongs in a shared, app-independent place
once the référentiel exports (``wiki/``) use it too; it sits in ``consensus/`` until then.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
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


def xlsx_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Iterable[Any]]]]) -> bytes:
    """A workbook with one sheet per ``(title, header, rows)``, every cell neutralised."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append([_xlsx_cell(value) for value in header])
        for row in rows:
            sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
