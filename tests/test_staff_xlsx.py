"""The 资金计划表 out and back: exact round trip, and a messy county sheet read into records or errors."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import FIXTURE_CONTENT
from openpyxl.utils import get_column_letter
from records import fixture
from variants import TEA

from gongshi.content.load import load_site

RECORDS = fixture()
PLAN = RECORDS.plan("2025")
# What a fund plan table holds of a record: everything but what happens later (progress, dividends paid).
NOT_IN_THE_TABLE = ("progress", "dividends_paid")


def gongshi(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongshi", *args], cwd=project, capture_output=True, text=True, timeout=300
    )


def full_record(project) -> dict:
    """Everything a record says, as the model holds it (body included)."""
    data = project.model_dump(exclude={"source", *NOT_IN_THE_TABLE})
    data["body"] = project.body
    return data


def test_export_writes_exact_numbers_and_totals(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    result = gongshi(project, "export", "--xlsx", str(out))
    assert result.returncode == 0, result.stderr
    ws = openpyxl.load_workbook(out).worksheets[0]
    headers = [c.value for c in ws[2]]
    for name in (
        "原文序号",
        "项目名称",
        "项目类别",
        "建设内容",
        "实施地点",
        "规划投资（万元）",
        "资金来源及规模",
        "责任单位",
        "业主单位",
        "固定资产确权村",
        "绩效目标",
    ):
        assert name in headers
    amount_col = headers.index("规划投资（万元）")
    title_col = headers.index("项目名称")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    projects = [r for r in rows if r[0] is not None]
    assert [r[title_col] for r in projects] == [p["title"] for p in RECORDS.projects]
    # Numbers are stored as numbers, never as text.
    assert all(isinstance(r[amount_col], (int, float)) for r in projects)
    # Category subtotals and the plan total, against the plan document's own figures.
    labelled = {r[title_col]: r[amount_col] for r in rows if r[0] is None}
    for category in PLAN["categories"]:
        row = next(v for k, v in labelled.items() if category["name"] in k)
        assert Decimal(repr(row)) == category["amount"]
    total = next(v for k, v in labelled.items() if k.startswith("合计"))
    assert Decimal(repr(total)) == PLAN["total"]
    # The sheet XML holds the digits as written (320.456789), not a rounded float.
    with zipfile.ZipFile(out) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>320.456789</v>" in xml and f"<v>{PLAN['total']}</v>" in xml
    assert ws.column_dimensions[get_column_letter(title_col + 1)].width >= 20  # 项目名称 readable


def test_export_import_round_trips_every_record(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert gongshi(project, "export", "--xlsx", str(out)).returncode == 0
    before = {p.id: full_record(p) for p in load_site(project / "content").projects}

    # Importing what was exported changes nothing (and leaves the progress reports the table does not hold).
    result = gongshi(project, "import", "--xlsx", str(out))
    assert result.returncode == 0, result.stderr
    assert f"0 个新建，0 个修改，{len(RECORDS.projects)} 个不变" in result.stdout

    # From the table alone, every record comes back with every field of the plan equal (Decimal amounts
    # included); what happened later (progress) is not in a plan table.
    for path in (project / "content" / "projects").glob("*.md"):
        path.unlink()
    result = gongshi(project, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 0, result.stderr
    after = {p.id: full_record(p) for p in load_site(project / "content").projects}
    assert after == before
    assert after["mushroom-base"]["investment"] == "320.456789"
    assert [f["amount"] for f in after["mushroom-base"]["funding"]] == ["200", "120.456789"]
    assert any(RECORDS.project(pid).get("progress") for pid in after)  # the test county does report some
    assert gongshi(project, "check").returncode == 0


def test_import_shows_changes_and_writes_only_with_write(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert gongshi(project, "export", "--xlsx", str(out)).returncode == 0
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[headers.index("项目编号")].value == "tea-processing")
    row[headers.index("规划投资（万元）")].value = "490.5万元"
    row[headers.index("资金来源及规模")].value = "2025年中央衔接推进乡村振兴补助资金 490.5"
    # The sheet's own subtotal and total rows are checked against its rows: raise them by the same 10.5.
    amount = headers.index("规划投资（万元）")
    category = RECORDS.category_of(RECORDS.project("tea-processing"))["name"]
    for label_row in ws.iter_rows(min_row=3):
        label = label_row[headers.index("项目名称")].value or ""
        if label_row[0].value is None and (category in label or label.startswith("合计")):
            label_row[amount].value = Decimal(repr(label_row[amount].value)) + Decimal("10.5")
    wb.save(out)
    record = project / TEA
    original = record.read_text(encoding="utf-8")

    result = gongshi(project, "import", "--xlsx", str(out))
    assert result.returncode == 0, result.stderr
    assert "-investment: 480\n+investment: 490.5" in result.stdout
    # The record and its plan's lines (category amount, source amount, total) change together.
    assert f"0 个新建，2 个修改，{len(RECORDS.projects) - 1} 个不变" in result.stdout
    assert record.read_text(encoding="utf-8") == original  # shown, not written

    assert gongshi(project, "import", "--xlsx", str(out), "--write").returncode == 0
    text = record.read_text(encoding="utf-8")
    assert "investment: 490.5" in text and "amount: 490.5" in text
    assert (
        "# 投资形成的固定资产确权至以下村（原文顺序；“桃平村”是原文写法）" in text
    )  # comments of untouched fields stay
    assert "    photos: [tea-2025-05.jpg]" in text  # and the progress report the table does not hold
    changed = [a for a, b in zip(original.splitlines(), text.splitlines()) if a != b]
    assert changed == ["investment: 480", "    amount: 480"]


# --- a messy sheet as a county might keep it ----------------------------------------------------------

TEA_VILLAGES = "青山镇石门村，青山镇红岩村，白水乡桃平村"  # as the records write them, comma-separated


def messy_sheet(path: Path, bad: bool) -> None:
    """Title row, a two-row header with merged cells, columns in another order, an extra column, blank rows,
    category headings, text amounts with 万元, a totals row; with `bad`, also the mistakes staff make."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件1"
    ws["A1"] = "样例县2025年衔接推进乡村振兴补助资金项目资金计划表"
    ws.merge_cells("A1:J1")
    # Row 3–4: header. A–C and F–I span both rows; D3:E3 is a group heading over 投资 and 资金来源.
    for col, name in zip(
        "ABCFGHIJ", ("序号", "项目名称", "建设内容", "责任单位", "受益村", "备注", "项目类别", "建设地点")
    ):
        ws[f"{col}3"] = name
        ws.merge_cells(f"{col}3:{col}4")
    ws["D3"] = "资金规模"
    ws.merge_cells("D3:E3")
    ws["D4"] = "投资\n（万元）"
    ws["E4"] = "资金来源"
    rows = [
        ["合计", None, None, "790万元", None, None, None, None, None],  # 5
        ["一、产业发展", None, None, 480, None, None, None, None, None],  # 6
        [
            1,
            "青山镇茶叶加工厂建设项目",
            None,
            "480万元",
            "中央衔接推进乡村振兴补助资金",
            "县农业农村局",
            TEA_VILLAGES,
            "已开工",
            "产业发展",
            "青山镇石门村",
        ],  # 7
        [None] * 9,  # 8
        ["二、乡村建设", None, None, 310, None, None, None, None, None],  # 9
        [
            3,
            "青山镇柳溪村产业路硬化项目",
            None,
            220,
            "2025年中央衔接推进乡村振兴补助资金",
            "县交通运输局、青山镇人民政府",
            None,
            None,
            "乡村建设",
        ],  # 10
        [
            6,
            "白水乡松树村产业路建设项目",
            "硬化产业路3公里。",
            "９０ 万元",
            "省级衔接推进乡村振兴补助资金",
            "县交通运输局",
            "白水乡松树村",
            None,
            "乡村建设",
            "白水乡",
        ],  # 11
    ]
    if bad:
        rows += [
            [
                7,
                "青山镇村道建设项目",
                None,
                "八十万",
                "中央衔接推进乡村振兴补助资金",
                "县交通运输局",
                "青山镇红言村",
                None,
                "乡村建设",
                "青山镇",
            ],  # 12
            [
                8,
                "茶叶加工项目",
                None,
                30,
                "中央衔接推进乡村振兴补助资金",
                "农业农村局",
                None,
                None,
                "茶叶产业",
                "青山镇",
            ],  # 13
            [None, None, "（空白项目名称）", 10, None, None, None, None, None],  # 14
        ]
        rows[1][3] = "1,999万元"  # the category heading's amount no longer matches its rows
    for offset, values in enumerate(rows, start=5):
        for col, value in zip("ABCDEFGHIJ", values):
            ws[f"{col}{offset}"] = value
    # Rows are matched to records by id, never by title: the existing projects carry theirs, new ones none.
    ws["K3"] = "项目编号"
    ws.merge_cells("K3:K4")
    ws["K7"], ws["K10"] = "tea-processing", "liuxi-road"
    wb.create_sheet("说明")["A1"] = "本表金额单位为万元。"  # a sheet without a header is skipped
    wb.save(path)


def test_messy_sheet_gives_the_expected_records(project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "county.xlsx"
    messy_sheet(sheet, bad=False)
    result = gongshi(project, "import", "--xlsx", str(sheet), "--write")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 个新建，2 个修改，1 个不变" in result.stdout  # the platform's record and the plan's lines

    site = load_site(project / "content", audit_totals=False)
    projects = {p.id: p for p in site.projects}
    # Unchanged: the text amount "480万元" equals the record; the comma-separated villages resolve the same.
    assert (project / TEA).read_text(encoding="utf-8") == (FIXTURE_CONTENT.parent / TEA).read_text(encoding="utf-8")
    # Updated: amount and its single fund source; the blank 受益村 cell left the villages alone.
    road = projects["liuxi-road"]
    assert road.investment == Decimal("220")
    assert [(f.source, f.amount) for f in road.funding] == [("central-2025", Decimal("220"))]
    assert [site.place(c).full_name for c in road.beneficiaries.villages] == ["青山镇柳溪村", "青山镇新桥村"]
    # New: id from plan and number, category from its name, full-width "９０ 万元" read as 90.
    new = projects["2025-6"]
    assert new.title == "白水乡松树村产业路建设项目"
    assert new.category == "infrastructure"
    assert new.investment == Decimal("90")
    assert [(f.source, f.amount) for f in new.funding] == [("provincial-2025", Decimal("90"))]
    assert new.body == "硬化产业路3公里。"
    assert new.location == "白水乡"
    assert [site.unit(u).name for u in new.responsible_units] == ["县交通运输局"]
    assert [site.place(code).full_name for code in new.beneficiaries.asset_villages] == ["白水乡松树村"]
    assert new.source == "content/projects/06-2025-6.md"
    # The 备注 column is not a record field and went nowhere.
    assert "已开工" not in (project / "content/projects/06-2025-6.md").read_text(encoding="utf-8")


def test_messy_sheet_mistakes_are_reported_by_sheet_row_and_column(project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "county.xlsx"
    messy_sheet(sheet, bad=True)
    before = sorted(p.name for p in (project / "content" / "projects").iterdir())
    result = gongshi(project, "import", "--xlsx", str(sheet), "--write")
    assert result.returncode == 1
    assert sorted(p.name for p in (project / "content" / "projects").iterdir()) == before  # nothing written
    found = re.findall(r"工作表“(.+?)”第(\d+)行 ?([A-Z]*)列?", result.stderr)
    where = {(row, col) for _, row, col in found}
    assert {s for s, _, _ in found} == {"附件1"}
    expected = {
        ("12", "D"),  # 八十万: not an amount
        ("12", "G"),  # 青山镇红言村: misspelt village
        ("13", "F"),  # 农业农村局: not in units.yml
        ("13", "I"),  # 茶叶产业: no such category
        ("14", "B"),  # a row with content but no project name
        ("6", "D"),  # the heading's amount does not match its rows
    }
    assert where == expected, result.stderr
    assert "是否应为 “青山镇红岩村”" in result.stderr
    assert "village is not in places.yml" in result.stderr
    assert "是否应为 “县农业农村局”" in result.stderr
    assert "sheet '附件1' row 12 column D" in result.stderr
    assert "没有写入任何文件" in result.stderr


def test_a_file_that_is_not_a_workbook_is_refused_clearly(project: Path, tmp_path: Path) -> None:
    fake = tmp_path / "plan.xlsx"
    fake.write_text("序号,项目名称\n1,x\n", encoding="utf-8")  # a CSV saved under an .xlsx name
    result = gongshi(project, "import", "--xlsx", str(fake))
    assert result.returncode == 1
    assert "无法读取 Excel 文件" in result.stderr and "Traceback" not in result.stderr


def test_an_amount_excel_cannot_hold_exactly_is_refused() -> None:
    from gongshi.staff.xlsx_export import exact_number

    assert str(exact_number(Decimal("962.310194"))) == "962.310194"
    assert str(exact_number(Decimal("1.150E+3"))) == "1150"
    with pytest.raises(ValueError, match="15 位有效数字"):
        exact_number(Decimal("1150.0000000000001"))  # 17 significant digits: Excel would round it


# --- a county with values its document does not state -----------------------------------------------------


def unstated_county(folder: Path) -> Path:
    """The tiny county with an unstated plan total, category amount and count, investment, fund source amount,
    deadline, status and references (owner unit, responsible units, asset villages)."""
    from tiny_county import data, write_content

    county = data()
    plan = county["content/plans/2025.yml"]
    plan["total"] = "原文件未列明"
    plan["categories"][1]["amount"] = plan["categories"][1]["count"] = "原文件未列明"
    school = county["content/projects/02-school.md"]
    school["investment"] = school["funding"][0]["amount"] = "原文件未列明"
    school["status"] = school["responsible_units"] = "原文件未列明"
    park = county["content/projects/01-park.md"]
    park["deadline"] = park["owner_unit"] = park["beneficiaries"]["asset_villages"] = "原文件未列明"
    write_content(folder, county)
    return folder


def content_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted((folder / "content").rglob("*.*"))}


def test_export_import_is_a_no_op_with_unstated_values(tmp_path: Path) -> None:
    county = unstated_county(tmp_path / "county")
    assert gongshi(county, "check").returncode == 0
    out = tmp_path / "plan.xlsx"
    assert gongshi(county, "export", "--xlsx", str(out)).returncode == 0
    cells = [c.value for row in openpyxl.load_workbook(out).worksheets[0].iter_rows() for c in row]
    assert "原文件未列明" in cells and "2025年协作资金：原文件未列明" in cells  # what the import must read back
    before = content_files(county)
    result = gongshi(county, "import", "--xlsx", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 个新建，0 个修改，2 个不变" in result.stdout
    result = gongshi(county, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 0, result.stdout + result.stderr
    assert content_files(county) == before


def test_import_keeps_unstated_plan_lines_and_follows_stated_ones(tmp_path: Path) -> None:
    """The park's investment becomes 110 in the sheet: its category follows; the plan total and the other
    category, which the document does not state, stay 原文件未列明 (never filled in, never 0)."""
    county = unstated_county(tmp_path / "county")
    out = tmp_path / "plan.xlsx"
    assert gongshi(county, "export", "--xlsx", str(out)).returncode == 0
    workbook = openpyxl.load_workbook(out)
    ws = workbook.worksheets[0]
    headers = [c.value for c in ws[2]]
    park = next(
        row for row in ws.iter_rows(min_row=3) if row[headers.index("项目名称")].value == "甲镇产业园区建设项目"
    )
    park[headers.index("规划投资（万元）")].value = 110
    park[headers.index("资金来源及规模")].value = "2025年协作资金 110"
    workbook.save(out)
    result = gongshi(county, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 0, result.stdout + result.stderr
    # (the park's dividend, 3% of 100, now needs its own edit: the plan file is read as written)
    plan = yaml.safe_load((county / "content/plans/2025.yml").read_text(encoding="utf-8"))
    assert plan["categories"][0]["amount"] == 110
    assert plan["total"] == plan["categories"][1]["amount"] == plan["categories"][1]["count"] == "原文件未列明"
    assert plan["funding"][0]["amount"] == 150  # a source sum over an unstated amount cannot be made: kept


def test_second_county_round_trips_each_plan_of_its_workbook(tmp_path: Path) -> None:
    """The second county's plans, one with an unnamed category and unstated figures, share one workbook: each
    plan's import reads its own sheet, and exporting then importing changes no file."""
    from second_county import make_county

    county = make_county(tmp_path / "county")
    out = tmp_path / "plan.xlsx"
    assert gongshi(county, "export", "--xlsx", str(out)).returncode == 0
    before = content_files(county)
    for plan in load_site(county / "content", county).plans:
        result = gongshi(county, "import", "--xlsx", str(out), "--plan", plan.id, "--write")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "0 个新建，0 个修改" in result.stdout
    assert content_files(county) == before
    result = gongshi(county, "import", "--xlsx", str(out), "--plan", "no-such-plan")
    assert result.returncode != 0 and "没有计划 no-such-plan" in result.stdout + result.stderr
