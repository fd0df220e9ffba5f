"""Read a 资金计划表 as counties keep it: find the header, skip what is not a project row, read amounts.

Tolerates headers in any order, merged or two-row headers, extra columns, blank rows, category headings,
subtotal and total rows, amounts written as text with 万元; every problem names its sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gongshi.staff.archive_limits import check_archive
from gongshi.staff.fundtable import TOTAL_WORDS, column_for

HEADER_SCAN_ROWS = 15
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(?P<name>[^（(]+)")


@dataclass(frozen=True, order=True)
class SheetError:
    """A problem in one cell (or row) of the sheet, in Chinese and English."""

    sheet: str
    row: int
    column: str = ""
    header: str = ""
    zh: str = ""
    en: str = ""
    found: str | None = None
    hint: str | None = None

    @property
    def cell(self) -> str:
        """The cell (or row) as Excel names it: 2025!F8, or 2025!8 for a whole row."""
        return f"{self.sheet}!{self.column}{self.row}" if self.row else self.sheet

    def format(self) -> str:
        col_zh = f" {self.column}列" if self.column else ""
        col_en = f" column {self.column}" if self.column else ""
        head = f"（{self.header}）" if self.header else ""
        if self.row:
            where = f"{self.cell}: 工作表“{self.sheet}”第{self.row}行{col_zh}{head}"
            where_en = f"sheet '{self.sheet}' row {self.row}{col_en}"
        else:
            where, where_en = f"工作表“{self.sheet}”", f"sheet '{self.sheet}'"
        parts = [f"{where}: {self.zh} / {where_en}: {self.en}"]
        if self.found is not None:
            parts.append(f"    发现 found: {self.found}")
        if self.hint:
            parts.append(f"    建议 hint: {self.hint}")
        return "\n".join(parts)


@dataclass
class Row:
    """One project row: cell values and their column letters, by column key."""

    sheet: str
    number: int
    values: dict[str, Any]
    letters: dict[str, str]
    headers: dict[str, str]
    category_hint: str | None = None


# --- reading the sheet ----------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as trimmed text; whole-number floats without ".0"; None as empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def filled_grid(ws) -> list[list[Any]]:
    """Cell values with every merged range filled with its top-left value."""
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    width = max((len(r) for r in grid), default=0)
    for row in grid:
        row.extend([None] * (width - len(row)))
    for merged in ws.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                grid[r][c] = value
    return grid


def _header(grid: list[list[Any]]) -> tuple[int, dict[int, str]] | None:
    """The header (its last row index, 0-based) and column index → key; two-row headers combined."""
    best: tuple[int, dict[int, str]] | None = None
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        keys = {c: k for c, k in ((c, column_for(v)) for c, v in enumerate(row)) if k}
        if (
            "title" in keys.values()
            and len(set(keys.values())) >= 3
            and (best is None or len(set(keys.values())) > len(set(best[1].values())))
        ):
            best = (r, keys)
    if best is None:
        return None
    r, keys = best
    if r + 1 < len(grid):
        below = {c: k for c, k in ((c, column_for(v)) for c, v in enumerate(grid[r + 1])) if k}
        # A second header row names the columns under a merged group heading (资金规模 → 投资, 资金来源).
        if below and any(grid[r + 1][c] != grid[r][c] for c in below):
            keys = {**keys, **below}
            r += 1
    return r, keys


_NOTE_ROW = re.compile(r"^\s*(注|备注|说明|附注|填表|制表|审核|单位[:：])")


@dataclass
class Sheets:
    """What the workbook holds: project rows, heading and total rows, problems, and what was skipped (note
    rows, cells with a formula Excel never calculated), each by sheet and cell."""

    rows: list[Row]
    errors: list[SheetError]
    totals: list[tuple[Row, str, Decimal | None]]
    skipped: list[SheetError]
    sheets: list[str]


def read_rows(path: Path) -> Sheets:
    """Project rows of every sheet that has a header; also the heading/total rows with their amounts."""
    check_archive(path)  # an XLSX is a zip: entries and decompressed size are limited before openpyxl reads it
    workbook = load_workbook(path, data_only=True)
    formulas = load_workbook(path, data_only=False)
    rows: list[Row] = []
    errors: list[SheetError] = []
    totals: list[tuple[Row, str, Decimal | None]] = []
    skipped: list[SheetError] = []
    sheets: list[str] = []
    found_header = False
    for ws in workbook.worksheets:
        grid = filled_grid(ws)
        formula_grid = filled_grid(formulas[ws.title])
        header = _header(grid)
        if header is None:
            continue
        found_header = True
        sheets.append(ws.title)
        last, keys = header
        columns: dict[str, int] = {}
        for c, key in sorted(keys.items()):
            if key in columns:
                errors.append(
                    SheetError(
                        ws.title,
                        last + 1,
                        get_column_letter(c + 1),
                        cell_text(grid[last][c]),
                        f"与{get_column_letter(columns[key] + 1)}列重复，已忽略这一列",
                        f"duplicates column {get_column_letter(columns[key] + 1)}; ignored",
                    )
                )
                continue
            columns[key] = c
        letters = {k: get_column_letter(c + 1) for k, c in columns.items()}
        headers = {k: cell_text(grid[last][c]) for k, c in columns.items()}
        category: str | None = None
        for r in range(last + 1, len(grid)):
            values = {k: grid[r][c] for k, c in columns.items()}
            row = Row(ws.title, r + 1, values, letters, headers, category)
            if all(cell_text(v) == "" for v in grid[r]):
                continue
            title, number = cell_text(values.get("title")), cell_text(values.get("number"))
            label = title or number or next((cell_text(v) for v in grid[r] if cell_text(v)), "")
            if _NOTE_ROW.match(label) and not number and cell_text(values.get("investment")) == "":
                skipped.append(
                    SheetError(
                        ws.title, r + 1, "", "", "说明行，没有导入", "a note row: not imported", found=label[:60]
                    )
                )
                continue
            heading = _HEADING.match(label)
            if not heading and not any(word in label for word in TOTAL_WORDS):
                skipped += _uncalculated(ws.title, r, columns, values, formula_grid, letters, headers)
            if any(word in label for word in TOTAL_WORDS) or heading or not title:
                if heading:
                    category = heading["name"].strip()
                if heading or any(word in label for word in TOTAL_WORDS):
                    totals.append((row, "heading" if heading else label, _quiet_amount(values.get("investment"))))
                    continue
                errors.append(
                    SheetError(
                        ws.title,
                        r + 1,
                        letters.get("title", ""),
                        headers.get("title", "项目名称"),
                        "缺少项目名称",
                        "project name is missing",
                        found=label or None,
                        hint="项目行要填写项目名称；合计行请写“合计”或“小计”。",
                    )
                )
                continue
            rows.append(row)
    if not found_header:
        errors.append(
            SheetError(
                path.name,
                1,
                "",
                "",
                "没有找到表头（至少要有“项目名称”和另外两列，如“序号”“投资(万元)”）",
                "no header row found (needs 项目名称 and two more known columns)",
            )
        )
    return Sheets(rows, errors, totals, skipped, sheets)


def _uncalculated(sheet, r, columns, values, formula_grid, letters, headers) -> list[SheetError]:
    """Cells of a project row holding a formula with no calculated value (a file Excel never saved)."""
    out = []
    for key, c in columns.items():
        written = formula_grid[r][c] if c < len(formula_grid[r]) else None
        if values[key] is None and isinstance(written, str) and written.startswith("="):
            out.append(
                SheetError(
                    sheet,
                    r + 1,
                    letters[key],
                    headers[key],
                    "公式没有计算结果，这个单元格没有导入（在 Excel 中打开、保存后再导入）",
                    "a formula without a calculated value: the cell was not imported (open and save it in Excel)",
                    found=written,
                )
            )
    return out


# --- cell values ----------------------------------------------------------------------------------


def parse_amount(value: Any) -> Decimal:
    """A cell amount in 万元: a number, or text like '1,150万元' or '１１５０'. Raises ValueError with a reason."""
    if isinstance(value, bool):
        raise ValueError("应为金额，而不是“是/否” | expected an amount")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest text that reads back as this float: what Excel shows
    if isinstance(value, Decimal):
        return value
    text = unicodedata.normalize("NFKC", cell_text(value)).replace(",", "").replace(" ", "")
    if text.endswith("万元"):
        text = text[:-2]
    elif text.endswith("万"):
        text = text[:-1]
    elif text.endswith("元"):
        raise ValueError("金额单位应为万元，这里写的是元 | amounts are in 万元, this one is in 元")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError("不是金额，应为数字（单位万元），如 1150 或 962.310194 | not an amount") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError("不是有效的金额 | not a valid amount")
    return amount


def parse_date(value: Any) -> dt.date | None:
    """A date cell: an Excel date, or text like 2025-12-31 or 2025年12月31日; empty is None."""
    if value is None or cell_text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", cell_text(value))
    match = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", text)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise ValueError("不是有效的日期，应写作 2025-12-31 | not a valid date, write e.g. 2025-12-31")


def _quiet_amount(value: Any) -> Decimal | None:
    try:
        return parse_amount(value) if cell_text(value) else None
    except ValueError:
        return None
