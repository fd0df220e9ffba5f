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
from openpyxl.utils import get_column_letter

from gongshi.content.load import load_site

PLAN = Path(__file__).resolve().parent.parent / "content" / "plans" / "2025.yml"


def gongshi(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongshi", *args], cwd=project, capture_output=True, text=True, timeout=300
    )


def full_record(project) -> dict:
    """Everything a record says, as the model holds it (body included)."""
    data = project.model_dump(exclude={"source"})
    data["body"] = project.body
    return data


def test_export_writes_exact_numbers_and_totals(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    result = gongshi(project, "export", "--xlsx", str(out))
    assert result.returncode == 0, result.stderr
    plan = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
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
    assert len(projects) == 11
    # Numbers are stored as numbers, never as text.
    assert all(isinstance(r[amount_col], (int, float)) for r in projects)
    # Category subtotals and the plan total, against the plan document's own figures.
    labelled = {r[title_col]: r[amount_col] for r in rows if r[0] is None}
    for category in plan["categories"]:
        row = next(v for k, v in labelled.items() if category["name"] in k)
        assert Decimal(repr(row)) == Decimal(str(category["amount"]))
    total = next(v for k, v in labelled.items() if k.startswith("合计"))
    assert Decimal(repr(total)) == Decimal("3952.310194")
    # The sheet XML holds the digits as published (962.310194), not a rounded float.
    with zipfile.ZipFile(out) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>962.310194</v>" in xml and "<v>3952.310194</v>" in xml
    assert ws.column_dimensions[get_column_letter(title_col + 1)].width >= 20  # 项目名称 readable


def test_export_import_round_trips_every_record(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert gongshi(project, "export", "--xlsx", str(out)).returncode == 0
    before = {p.id: full_record(p) for p in load_site(project / "content").projects}

    # Importing what was exported changes nothing.
    result = gongshi(project, "import", "--xlsx", str(out))
    assert result.returncode == 0, result.stderr
    assert "0 个新建，0 个修改，11 个不变" in result.stdout

    # From the table alone, every record comes back with every field equal (Decimal amounts included).
    for path in (project / "content" / "projects").glob("*.md"):
        path.unlink()
    result = gongshi(project, "import", "--xlsx", str(out), "--write")
    assert result.returncode == 0, result.stderr
    after = {p.id: full_record(p) for p in load_site(project / "content").projects}
    assert after == before
    school = next(v for v in after.values() if v["id"] == "nine-year-school")
    assert school["investment"] == "962.310194"
    assert gongshi(project, "check").returncode == 0


def test_import_shows_changes_and_writes_only_with_write(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert gongshi(project, "export", "--xlsx", str(out)).returncode == 0
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[headers.index("项目编号")].value == "maoping-bamboo-park")
    row[headers.index("规划投资（万元）")].value = "1,160.5万元"
    row[headers.index("资金来源及规模")].value = "2025年东西部协作资金 1160.5"
    # The sheet's own subtotal and total rows are checked against its rows: raise them by the same 10.5.
    amount = headers.index("规划投资（万元）")
    for label_row in ws.iter_rows(min_row=3):
        label = label_row[headers.index("项目名称")].value or ""
        if label_row[0].value is None and ("产业集群打造" in label or label.startswith("合计")):
            label_row[amount].value = Decimal(repr(label_row[amount].value)) + Decimal("10.5")
    wb.save(out)
    record = project / "content" / "projects" / "01-maoping-bamboo-park.md"
    original = record.read_text(encoding="utf-8")

    result = gongshi(project, "import", "--xlsx", str(out))
    assert result.returncode == 0, result.stderr
    assert "-investment: 1150\n+investment: 1160.5" in result.stdout
    assert "0 个新建，2 个修改，10 个不变" in result.stdout  # the record and its plan's lines
    assert record.read_text(encoding="utf-8") == original  # shown, not written

    assert gongshi(project, "import", "--xlsx", str(out), "--write").returncode == 0
    text = record.read_text(encoding="utf-8")
    assert "investment: 1160.5" in text and "amount: 1160.5" in text
    assert "# 投资形成的固定资产确权至以下村（原文顺序）" in text  # comments of untouched fields stay
    changed = [a for a, b in zip(original.splitlines(), text.splitlines()) if a != b]
    assert changed == ["investment: 1150", "    amount: 1150"]


# --- a messy sheet as a county might keep it ----------------------------------------------------------

MAOPING_VILLAGES = (
    "毛坪镇长梯村，毛坪镇高山村，毛坪镇凡山村，毛坪镇等分村，杨河乡仲子村，杨河乡垭垭村，"
    "五渡镇先锋村，五渡镇胜利村，五渡镇新茶村，平等乡光明村，平等乡清溪村，平等乡平等村"
)


def messy_sheet(path: Path, bad: bool) -> None:
    """Title row, a two-row header with merged cells, columns in another order, an extra column, blank rows,
    category headings, text amounts with 万元, a totals row; with `bad`, also the mistakes staff make."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件1"
    ws["A1"] = "峨边彝族自治县2025年东西部协作项目资金计划表"
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
        ["合计", None, None, "1,760万元", None, None, None, None, None],  # 5
        ["一、产业集群打造", None, None, 1670, None, None, None, None, None],  # 6
        [
            1,
            "毛坪林竹产业加工园区建设项目",
            None,
            "1150万元",
            "东西部协作资金",
            "县林业局",
            MAOPING_VILLAGES,
            "已开工",
            "产业集群打造",
            "毛坪镇新华村",
        ],  # 7
        [None] * 9,  # 8
        [
            2,
            "峨边总部经济园科技创新平台建设项目",
            None,
            520,
            "2025年东西部协作资金",
            "县发改局",
            None,
            None,
            "产业集群打造",
        ],  # 9
        ["二、民生改善", None, None, 90, None, None, None, None, None],  # 10
        [
            12,
            "杨河乡仲子村产业路建设项目",
            "硬化产业路3公里。",
            "９０ 万元",
            "2025年东西部协作资金",
            "县农业农村局",
            "杨河乡仲子村",
            None,
            "民生改善",
            "杨河乡",
        ],  # 11
    ]
    if bad:
        rows += [
            [
                13,
                "毛坪镇村道建设项目",
                None,
                "八十万",
                "东西部协作资金",
                "县住建局",
                "毛坪镇长第村",
                None,
                "民生改善",
                "毛坪镇",
            ],  # 12
            [14, "茶叶加工项目", None, 30, "东西部协作资金", "林业局", None, None, "茶叶产业", "新场乡"],  # 13
            [None, None, "（空白项目名称）", 10, None, None, None, None, None],  # 14
        ]
        rows[1][3] = "1,999万元"  # the category heading's amount no longer matches its rows
    for offset, values in enumerate(rows, start=5):
        for col, value in zip("ABCDEFGHIJ", values):
            ws[f"{col}{offset}"] = value
    # Rows are matched to records by id, never by title: the existing projects carry theirs, new ones none.
    ws["K3"] = "项目编号"
    ws.merge_cells("K3:K4")
    ws["K7"], ws["K9"] = "maoping-bamboo-park", "headquarters-innovation-platform"
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
    # Unchanged: the text amount "1150万元" equals the record; the comma-separated villages resolve the same.
    park = (project / "content" / "projects" / "01-maoping-bamboo-park.md").read_text(encoding="utf-8")
    assert park == (Path(__file__).resolve().parent.parent / "content/projects/01-maoping-bamboo-park.md").read_text(
        encoding="utf-8"
    )
    # Updated: amount and its single fund source; the blank 受益村 cell left the villages alone.
    platform = projects["headquarters-innovation-platform"]
    assert platform.investment == Decimal("520")
    assert [(f.source, f.amount) for f in platform.funding] == [("east-west-2025", Decimal("520"))]
    assert len(platform.beneficiaries.asset_villages) == 7
    # New: id from plan and number, category from its name, full-width "９０ 万元" read as 90.
    road = projects["2025-12"]
    assert road.title == "杨河乡仲子村产业路建设项目"
    assert road.category == "livelihood"
    assert road.investment == Decimal("90")
    assert road.body == "硬化产业路3公里。"
    assert road.location == "杨河乡"
    assert [site.unit(u).name for u in road.responsible_units] == ["县农业农村局"]
    assert [site.place(code).full_name for code in road.beneficiaries.asset_villages] == ["杨河乡仲子村"]
    assert road.source == "content/projects/12-2025-12.md"
    # The 备注 column is not a record field and went nowhere.
    assert "已开工" not in (project / "content/projects/12-2025-12.md").read_text(encoding="utf-8")


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
        ("12", "G"),  # 毛坪镇长第村: misspelt village
        ("13", "F"),  # 林业局: not in units.yml
        ("13", "I"),  # 茶叶产业: no such category
        ("14", "B"),  # a row with content but no project name
        ("6", "D"),  # the heading's amount does not match its rows
    }
    assert where == expected, result.stderr
    assert "是否应为 毛坪镇长梯村" in result.stderr
    assert "village is not in places.yml" in result.stderr
    assert "是否应为 县林业局" in result.stderr
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
