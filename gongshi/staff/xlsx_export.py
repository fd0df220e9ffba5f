"""`gongshi export --xlsx`: the 资金计划表 written from the Site model, one sheet per plan."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongshi.cells import keep_as_text
from gongshi.content.model import Plan, Project
from gongshi.content.site import Site
from gongshi.money import plain
from gongshi.staff.fundtable import COLUMNS, discrepancies_text, dividend_text, join_list, quantity_text, targets_text

# Excel keeps 15 significant digits; beyond that an amount would not read back exactly.
MAX_DIGITS = 15
CN_NUMERALS = "一二三四五六七八九十"
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


def cells_of(site: Site, project: Project) -> dict[str, object]:
    """A project's row: cell values by column key (text as published, amounts as numbers)."""
    plan = site.plan(project.plan)
    names = {s.id: s.name for s in plan.funding}
    funding = "；".join(f"{names.get(f.source, f.source)} {plain(f.amount)}" for f in project.funding)
    b = project.beneficiaries
    return {
        "number": project.number,
        "title": project.title,
        "category": site.category(project).name,
        "body": project.body,
        "location": project.location,
        "investment": exact_number(project.investment),
        "funding": funding,
        "responsible_units": join_list([site.unit(u).name for u in project.responsible_units]),
        "owner_unit": site.unit(project.owner_unit).name if project.owner_unit else None,
        "asset_villages": join_list([_village(site, code) for code in b.asset_villages]),
        "villages": join_list([_village(site, code) for code in b.villages]),
        "households": quantity_text(b.households),
        "people": quantity_text(b.people),
        "beneficiaries_note": b.description,
        "targets": targets_text(project.targets),
        "benefit_mechanism": project.benefit_mechanism,
        "period": project.period,
        "dividend": dividend_text(project.dividend),
        "order": project.order,
        "discrepancies": discrepancies_text(project.discrepancies),
        "deadline": project.deadline,
        "status": project.status,
        "operation": project.operation,
        "places": join_list([_village(site, code) for code in project.places]),
        "id": project.id,
    }


def _village(site: Site, code: str) -> str:
    """A place as the records write it: township + the village as spelled in the records (or its short name)."""
    place = site.place(code)
    return place.township.name + site.spelled.get(code, place.name if place.village else "")


def _write_plan(ws: Worksheet, site: Site, plan: Plan) -> None:
    width = len(COLUMNS)
    ws.append([f"{plan.title} 资金计划表（单位：万元）"])
    keep_as_text(ws[1])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([c.header for c in COLUMNS])
    for cell in ws[2]:
        cell.font, cell.fill, cell.border = Font(bold=True), _HEAD_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    amount_col = next(i for i, c in enumerate(COLUMNS) if c.key == "investment")
    for index, category in enumerate(plan.categories):
        projects = site.projects_in(plan, category)
        numeral = CN_NUMERALS[index] if index < len(CN_NUMERALS) else str(index + 1)
        _total_row(
            ws,
            f"{numeral}、{category.name}（{len(projects)}个）",
            amount_col,
            sum((p.investment for p in projects), Decimal(0)),
        )
        for project in projects:
            cells = cells_of(site, project)
            ws.append([cells[c.key] for c in COLUMNS])
            keep_as_text(ws[ws.max_row])  # text stays text: no formula from content
            for col, cell in zip(COLUMNS, ws[ws.max_row]):
                cell.border = _BORDER
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                if col.number:
                    cell.number_format = "0.######"
                elif col.key == "deadline":
                    cell.number_format = "yyyy-mm-dd"
    _total_row(ws, f"合计（{len(site.projects_of_plan(plan))}个项目）", amount_col, site.plan_total(plan))
    for i, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "C3"


def _total_row(ws: Worksheet, label: str, amount_col: int, amount: Decimal) -> None:
    """A category subtotal or the plan total: label in the title column, the amount as a number."""
    row: list[object] = [None] * len(COLUMNS)
    row[1] = label
    row[amount_col] = exact_number(amount)
    ws.append(row)
    keep_as_text(ws[ws.max_row])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill, cell.border = Font(bold=True), _TOTAL_FILL, _BORDER
    ws.cell(ws.max_row, amount_col + 1).number_format = "0.######"


def export_xlsx(site: Site, path: Path) -> int:
    """Write the table for every plan; returns the number of project rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    rows = 0
    for plan in site.plans:
        ws = workbook.create_sheet(title=f"{plan.id}资金计划表"[:31])
        _write_plan(ws, site, plan)
        rows += len(site.projects_of_plan(plan))
    workbook.properties.creator = "gongshi"
    workbook.save(path)
    return rows
