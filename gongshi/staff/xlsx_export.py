"""`gongshi export --xlsx`: the 资金计划表 written from the Site model, one sheet per plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongshi.content.model import Plan, Project
from gongshi.content.site import Site
from gongshi.content.unstated import NOT_STATED, UNSTATED, Total, total
from gongshi.content.values import Texts, category_name, value_at
from gongshi.money import plain
from gongshi.staff.fundtable import COLUMNS, sheet_title
from gongshi.web.downloads.cells import append_row, keep_as_text

# Excel keeps 15 significant digits; beyond that an amount would not read back exactly.
MAX_DIGITS = 15
CN_NUMERALS = "一二三四五六七八九十"
TITLE_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.key == "title")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDDDDD")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def exact_number(amount: Decimal) -> Decimal:
    """The amount as Excel will store it, refusing one Excel would round."""
    value = Decimal(plain(amount))
    if len(value.as_tuple().digits) > MAX_DIGITS:
        raise ValueError(f"金额 {value} 超过 Excel 的 15 位有效数字 / amount has more digits than Excel keeps")
    return value


def cells_of(texts: Texts, project: Project) -> dict[str, object]:
    """A project's row: cell values by column key (text as published; amounts, dates and numbers as such)."""
    out: dict[str, object] = {}
    for column in COLUMNS:
        value = value_at(project, column.key)
        if value is UNSTATED:
            out[column.key] = NOT_STATED
        elif column.row.is_money:
            out[column.key] = exact_number(value) if value is not None else None
        elif isinstance(value, (int, dt.date)) and not isinstance(value, bool):
            out[column.key] = value
        else:
            out[column.key] = texts.value(project, column.row, value) or None
    return out


def _write_plan(ws: Worksheet, site: Site, plan: Plan) -> None:
    width = len(COLUMNS)
    ws.append([f"{plan.label} 资金计划表（单位：万元）"])
    keep_as_text(ws[1])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([c.header for c in COLUMNS])
    for cell in ws[2]:
        cell.font, cell.fill, cell.border = Font(bold=True), _HEAD_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    amount_col = next(i for i, c in enumerate(COLUMNS) if c.key == "investment")
    texts = Texts(site)
    for index, category in enumerate(plan.categories):
        projects = site.projects_in(plan, category)
        numeral = CN_NUMERALS[index] if index < len(CN_NUMERALS) else str(index + 1)
        invested = total(p.investment for p in projects)
        _total_row(ws, f"{numeral}、{category_name(plan, category)}（{_covers(invested)}）", amount_col, invested)
        for project in projects:
            cells = cells_of(texts, project)
            row = append_row(ws, [cells[c.key] for c in COLUMNS])
            keep_as_text(row)  # text stays text: no formula from content
            for col, cell in zip(COLUMNS, row):
                cell.border = _BORDER
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                if col.number:
                    cell.number_format = "0.######"
                elif isinstance(cells[col.key], dt.date):
                    cell.number_format = "yyyy-mm-dd"
    invested = total(p.investment for p in site.projects_of_plan(plan))
    _total_row(ws, f"合计（{_covers(invested, '个项目')}）", amount_col, invested)
    for i, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = ws.cell(3, TITLE_COLUMN + 2).coordinate  # headers and columns up to the project name


def _covers(sum_: Total, noun: str = "个") -> str:
    """What a subtotal or total row adds up: '3个', or '3个；已列明投资的2个合计，另有1个未列明'."""
    count = f"{sum_.of}{noun}"
    if sum_.complete:
        return count
    return f"{count}；已列明投资的{sum_.counted}个合计，另有{sum_.missing}个未列明"


def _total_row(ws: Worksheet, label: str, amount_col: int, sum_: Total) -> None:
    """A category subtotal or the plan total: label in the title column (saying what the sum covers), the
    stated amounts' sum as a number; 原文件未列明 when no amount of it is stated."""
    row: list[object] = [None] * len(COLUMNS)
    row[TITLE_COLUMN] = label
    row[amount_col] = exact_number(sum_.amount) if sum_.counted or not sum_.missing else NOT_STATED
    cells = append_row(ws, row)
    keep_as_text(cells)
    for cell in cells:
        cell.font, cell.fill, cell.border = Font(bold=True), _TOTAL_FILL, _BORDER
    cells[amount_col].number_format = "0.######"


def export_xlsx(site: Site, path: Path) -> int:
    """Write the table for every plan; returns the number of project rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    rows = 0
    for plan in site.plans:
        ws = workbook.create_sheet(title=sheet_title(plan.id))
        _write_plan(ws, site, plan)
        rows += len(site.projects_of_plan(plan))
    workbook.properties.creator = "gongshi"
    workbook.save(path)
    return rows
