"""The Excel import cannot corrupt a record: no YAML aliases, amounts and plan lines change together, every
skipped row and cell is named by sheet and cell, rows match records by id only, comments and order stay."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from clerk_county import PLAN, RECORD, errors_of, make_county

SECOND = "content/projects/02-second-road.md"


def gongshi(county: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongshi", *args], cwd=county, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def county(tmp_path: Path) -> Path:
    county = make_county(tmp_path / "county")
    (county / SECOND).write_text(
        (county / SECOND).read_text(encoding="utf-8").replace("investment: 30\n", "# 按原文\ninvestment: 30\n"),
        encoding="utf-8",
    )
    return county


def export(county: Path) -> tuple[Path, openpyxl.Workbook, list[str]]:
    out = county / "plan.xlsx"
    assert gongshi(county, "export", "--xlsx", str(out)).returncode == 0
    wb = openpyxl.load_workbook(out)
    return out, wb, [c.value for c in wb.worksheets[0][2]]


def row_of(ws, headers: list[str], project_id: str):
    return next(r for r in ws.iter_rows(min_row=3) if r[headers.index("项目编号")].value == project_id)


def test_an_amount_change_moves_investment_funding_and_the_plan_lines_together(county: Path) -> None:
    out, wb, headers = export(county)
    ws = wb.worksheets[0]
    row = row_of(ws, headers, "second-road")
    row[headers.index("规划投资（万元）")].value = 45
    row[headers.index("资金来源及规模")].value = None  # one source: it follows the investment
    wb.save(out)
    result = gongshi(county, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 0, result.stderr
    record = (county / SECOND).read_text(encoding="utf-8")
    assert "investment: 45" in record and "    amount: 45" in record
    assert "# 按原文\ninvestment: 45" in record  # the comment above the field stays
    assert "&" not in record and "*" not in record  # no YAML anchor or alias, though both amounts are equal
    plan = (county / PLAN).read_text(encoding="utf-8")
    assert "total: 165.5" in plan and "    amount: 145\n" in plan and "    amount: 165.5\n" in plan
    assert errors_of(county) == []


def test_a_new_row_writes_a_plain_record_and_updates_the_counts(county: Path) -> None:
    out, wb, headers = export(county)
    ws = wb.worksheets[0]
    new = [None] * len(headers)
    for header, value in {
        "原文序号": "3",
        "项目名称": "丁村产业路",
        "项目类别": "产业路",
        "实施地点": "甲镇丙村",
        "规划投资（万元）": 20,
        "资金来源及规模": "2024年衔接推进乡村振兴补助资金 20",
        "责任单位": "县农业农村局",
        "项目编号": "third-road",
    }.items():
        new[headers.index(header)] = value
    ws.insert_rows(ws.max_row)
    for col, value in enumerate(new, start=1):
        ws.cell(ws.max_row - 1, col, value)
    wb.save(out)
    result = gongshi(county, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 0, result.stdout + result.stderr
    text = next((county / "content" / "projects").glob("*third-road.md")).read_text(encoding="utf-8")
    assert "&id" not in text and "*id" not in text
    plan = (county / PLAN).read_text(encoding="utf-8")
    assert "count: 3" in plan and "实施1类3个项目" in plan
    assert errors_of(county) == []


def test_several_sources_and_a_new_amount_without_them_is_refused(county: Path) -> None:
    out, wb, headers = export(county)
    row = row_of(wb.worksheets[0], headers, "full-record")
    row[headers.index("规划投资（万元）")].value = 130
    row[headers.index("资金来源及规模")].value = None
    wb.save(out)
    before = (county / RECORD).read_text(encoding="utf-8")
    result = gongshi(county, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 1
    assert "多个资金来源" in result.stderr and "!" in result.stderr
    assert (county / RECORD).read_text(encoding="utf-8") == before


def test_every_skipped_row_and_cell_is_named_by_sheet_and_cell(county: Path) -> None:
    out, wb, headers = export(county)
    ws = wb.worksheets[0]
    amount = openpyxl.utils.get_column_letter(headers.index("规划投资（万元）") + 1)
    row = row_of(ws, headers, "second-road")
    row[headers.index("规划投资（万元）")].value = "=10+20"  # never calculated: openpyxl stores no value
    number = row[0].row
    ws.delete_rows(row_of(ws, headers, "full-record")[0].row)  # a deleted row
    ws.cell(ws.max_row + 1, headers.index("项目名称") + 1, "注：金额单位为万元")
    ws.cell(ws.max_row, 1, "注：金额单位为万元")
    wb.save(out)
    result = gongshi(county, "import", "--xlsx", str(out))
    sheet = ws.title
    assert f"{sheet}!{amount}{number - 1}" in result.stderr and "公式没有计算结果" in result.stderr
    assert "full-record" in result.stderr and "不会删除" in result.stderr
    assert "说明行" in result.stderr


def test_rows_match_records_by_id_never_by_title(county: Path) -> None:
    out, wb, headers = export(county)
    ws = wb.worksheets[0]
    row = row_of(ws, headers, "second-road")
    row[headers.index("项目名称")].value = "丙村产业路（修订）"
    wb.save(out)
    assert gongshi(county, "import", "--xlsx", str(out), "--write").returncode == 0
    assert "title: 丙村产业路（修订）" in (county / SECOND).read_text(encoding="utf-8")
    assert len(list((county / "content" / "projects").glob("*.md"))) == 2  # a title fix, not a new project

    ws.delete_cols(headers.index("项目编号") + 1)
    wb.save(out)
    result = gongshi(county, "import", "--xlsx", str(out))
    assert result.returncode == 1 and "项目编号" in result.stderr and "不按项目名称" in result.stderr


def test_errors_can_be_written_back_as_cell_comments(county: Path) -> None:
    out, wb, headers = export(county)
    ws = wb.worksheets[0]
    row = row_of(ws, headers, "second-road")
    row[headers.index("责任单位")].value = "不存在的局"
    wb.save(out)
    marked = county / "marked.xlsx"
    result = gongshi(county, "import", "--xlsx", str(out), "--annotate", str(marked))
    assert result.returncode == 1
    cell = openpyxl.load_workbook(marked).worksheets[0].cell(row[0].row, headers.index("责任单位") + 1)
    assert cell.comment is not None and "units.yml" in cell.comment.text


def test_an_investment_edit_alone_moves_a_single_sources_amount(county: Path) -> None:
    """The clerk edits only the 规划投资 cell; the 资金来源 cell still says the exported amount."""
    out, wb, headers = export(county)
    row = row_of(wb.worksheets[0], headers, "second-road")
    assert "30" in str(row[headers.index("资金来源及规模")].value)  # as exported: the old amount
    row[headers.index("规划投资（万元）")].value = 45
    wb.save(out)
    result = gongshi(county, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 0, result.stdout + result.stderr
    record = (county / SECOND).read_text(encoding="utf-8")
    assert "investment: 45" in record and "    amount: 45" in record and "amount: 30" not in record
    assert errors_of(county) == []  # one import, no check run left to fix the source


def test_an_investment_edit_with_several_sources_names_the_cells_and_writes_nothing(county: Path) -> None:
    out, wb, headers = export(county)
    ws = wb.worksheets[0]
    row = row_of(ws, headers, "full-record")
    row[headers.index("规划投资（万元）")].value = 130
    wb.save(out)
    before = {p: p.read_text(encoding="utf-8") for p in (county / "content").rglob("*") if p.is_file()}
    result = gongshi(county, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 1
    letter = openpyxl.utils.get_column_letter
    amount = f"{ws.title}!{letter(headers.index('规划投资（万元）') + 1)}{row[0].row}"
    sources = f"{ws.title}!{letter(headers.index('资金来源及规模') + 1)}{row[0].row}"
    assert amount in result.stderr and sources in result.stderr and "资金来源" in result.stderr
    assert before == {p: p.read_text(encoding="utf-8") for p in (county / "content").rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "cell",
    ["李某某 县农业农村局局长 13800000000", "李某某，局长，13800000000", "李某某13800000000", "李某某（局长，副局长）"],
)
def test_an_unreadable_person_cell_is_refused_naming_the_cell_and_the_format(county: Path, cell: str) -> None:
    out, wb, headers = export(county)
    ws = wb.worksheets[0]
    row = row_of(ws, headers, "second-road")
    column = headers.index("责任人") + 1
    row[column - 1].value = cell
    wb.save(out)
    result = gongshi(county, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 1
    assert f"{ws.title}!{openpyxl.utils.get_column_letter(column)}{row[0].row}" in result.stderr
    assert "姓名（职务，电话）" in result.stderr and "王某某（县林业局局长，0833-0000000）" in result.stderr
    assert "李某某" not in (county / SECOND).read_text(encoding="utf-8")  # never stored as the name


def test_the_person_formats_the_guide_names_are_the_ones_the_import_reads(county: Path) -> None:
    from gongshi.staff.fundtable import parse_person

    guide = (Path(__file__).parents[1] / "templates/pages/standard/guide/excel.md.j2").read_text(encoding="utf-8")
    line = next(line for line in guide.splitlines() if line.startswith("| 责任人 |"))
    examples = re.findall(r"`([^`]+)`", line)
    assert [parse_person(e) for e in examples] == [
        {"name": "王某某", "post": "县林业局局长", "phone": "0833-0000000"},
        {"name": "王某某"},
        {"name": "王某某", "post": "县林业局局长"},
        {"name": "王某某", "post": "原文件未列明"},
    ]
    out, wb, headers = export(county)
    row = row_of(wb.worksheets[0], headers, "second-road")
    row[headers.index("责任人")].value = "李某某（县农业农村局局长，13800000000）"
    wb.save(out)
    assert gongshi(county, "import", "--xlsx", str(out), "--write").returncode == 0
    record = (county / SECOND).read_text(encoding="utf-8")
    assert "name: 李某某" in record and "post: 县农业农村局局长" in record and "13800000000" in record


def test_the_guide_and_the_hint_name_the_id_column_the_export_writes(county: Path) -> None:
    out, wb, headers = export(county)
    letter = openpyxl.utils.get_column_letter(headers.index("项目编号") + 1)
    guide = (Path(__file__).parents[1] / "templates/pages/standard/guide/excel.md.j2").read_text(encoding="utf-8")
    assert f"{letter} 列，是“项目编号”" in guide and "最后一列" not in guide
    ws = wb.worksheets[0]
    ws.delete_cols(headers.index("项目编号") + 1)
    wb.save(out)
    result = gongshi(county, "import", "--xlsx", str(out))
    assert result.returncode == 1 and f"（{letter} 列是项目编号）" in result.stderr


def test_an_investment_edit_updates_the_summarys_amount_with_the_plan_total(county: Path) -> None:
    plan = county / PLAN
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "summary: 实施1类2个项目。", "summary: 规划资金150.5万元，实施1类2个项目。"
        ),
        encoding="utf-8",
    )
    assert errors_of(county) == []
    out, wb, headers = export(county)
    row_of(wb.worksheets[0], headers, "second-road")[headers.index("规划投资（万元）")].value = 45
    wb.save(out)
    result = gongshi(county, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 0, result.stdout + result.stderr
    text = plan.read_text(encoding="utf-8")
    assert "total: 165.5" in text and "summary: 规划资金165.5万元，实施1类2个项目。" in text
    assert errors_of(county) == []


def test_a_notice_stage_written_in_chinese_lists_the_ids_with_their_names(county: Path) -> None:
    out, wb, headers = export(county)
    ws = wb.worksheets[0]
    row = row_of(ws, headers, "second-road")
    row[headers.index("公示")].value = "公示阶段：计划公示；公示开始日期：2024-03-01；公示结束日期：2024-03-10"
    wb.save(out)
    result = gongshi(county, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 1
    assert f"{ws.title}!{openpyxl.utils.get_column_letter(headers.index('公示') + 1)}{row[0].row}" in result.stderr
    assert (
        "可写：library（项目入库公示）、plan（项目计划公示）" in result.stderr
        and "或 review（项目绩效自评公示）" in result.stderr
    )
