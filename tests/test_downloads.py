"""Open data: CSV, XLSX and JSON carry every record with the same exact amounts as the records and the pages."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import build_ok
from helpers import edit, main_text, page_text
from openpyxl import load_workbook
from records import fixture

from gongshi.content.fields import Surface, field_rows
from gongshi.content.model import Project

RECORDS = fixture()
# The projects, a table for each list of entries the field registry publishes, and the places projects name.
TABLES = (
    "projects",
    *(
        row.path.replace("[].", "_").replace(".", "_")
        for row in field_rows(Project, front_matter=False)
        if row.is_entries and row.on(Surface.DOWNLOAD)
    ),
    "places",
)


def read_csv(site: Path, name: str) -> list[dict[str, str]]:
    raw = (site / "data" / f"{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM so that Excel opens Chinese correctly"
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))


def sheet_rows(site: Path, name: str) -> list[dict]:
    book = load_workbook(site / "data/gongshi.xlsx", read_only=True)
    rows = list(book[name].iter_rows(values_only=True))
    header = rows[1]  # row 1: Chinese titles; row 2: field names
    return [dict(zip(header, row)) for row in rows[2:]]


def page_amount(site: Path, project_id: str) -> Decimal:
    text = main_text(site / "projects" / project_id / "index.html")
    return Decimal(re.search(r"规划投资 ([\d,.]+) 万元", text).group(1).replace(",", ""))


def test_every_record_in_every_format_with_exact_amounts(built_site: Path):
    rows = {r["id"]: r for r in read_csv(built_site, "projects")}
    sheet = {r["id"]: r for r in sheet_rows(built_site, "projects")}
    records = {r["id"]: r for r in json.loads((built_site / "data/projects.json").read_text("utf-8"))}
    assert set(rows) == set(sheet) == set(records) == {p["id"] for p in RECORDS.projects}
    for p in RECORDS.projects:
        pid = p["id"]
        assert isinstance(sheet[pid]["investment_wan"], (int, float)), "numbers as numbers in Excel"
        for found in (
            rows[pid]["investment_wan"],
            str(sheet[pid]["investment_wan"]),
            records[pid]["investment"],
            page_amount(built_site, pid),
        ):
            assert Decimal(found) == p["investment"], (pid, found)
        assert rows[pid]["dividend_annual_wan"] == "" and sheet[pid]["dividend_annual_wan"] is None  # none promised
        assert rows[pid]["title"] == sheet[pid]["title"] == records[pid]["title"] == p["title"]
    assert sum(Decimal(r["investment_wan"]) for r in rows.values()) == RECORDS.plans[0]["total"]


def test_a_promised_dividend_is_in_every_format(progress_site: Path):
    promised = {p["id"]: p["dividend"]["annual"] for p in RECORDS.projects if "dividend" in p}
    assert not promised  # the test county promises none; the progress variant adds one
    rows = {r["id"]: r for r in read_csv(progress_site, "projects")}
    sheet = {r["id"]: r for r in sheet_rows(progress_site, "projects")}
    records = {r["id"]: r for r in json.loads((progress_site / "data/projects.json").read_text("utf-8"))}
    with_dividend = [pid for pid, row in rows.items() if row["dividend_annual_wan"]]
    assert with_dividend == ["tea-processing"]
    assert Decimal(rows["tea-processing"]["dividend_annual_wan"]) == Decimal("14.4")  # 480 × 3%
    assert Decimal(str(sheet["tea-processing"]["dividend_annual_wan"])) == Decimal("14.4")
    assert Decimal(records["tea-processing"]["dividend"]["annual"]) == Decimal("14.4")


def test_xlsx_stores_the_published_digits(built_site: Path):
    with zipfile.ZipFile(built_site / "data/gongshi.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<v>320.456789</v>" in sheet  # the mushroom base's investment as written, not a rounded float


def test_funding_targets_and_places_tables(built_site: Path):
    funding = read_csv(built_site, "funding")
    assert [(r["project_id"], r["source_id"], Decimal(r["amount_wan"])) for r in funding] == [
        (p["id"], f["source"], f["amount"]) for p in RECORDS.projects for f in p["funding"]
    ]
    targets = read_csv(built_site, "targets")
    assert [(r["project_id"], r["indicator"]) for r in targets] == [
        (p["id"], t["indicator"]) for p in RECORDS.projects for t in p.get("targets", [])
    ]
    assert [r["value"] and Decimal(r["value"]) for r in targets] == [
        t.get("value", "") for p in RECORDS.projects for t in p.get("targets", [])
    ]
    places = read_csv(built_site, "places")
    expected = {(pid, code) for code, pids in RECORDS.named_places().items() for pid in pids}
    assert {(r["project_id"], r["place_code"]) for r in places} == expected
    assert len(places) == len(expected)
    progress = read_csv(built_site, "progress")
    assert [(r["project_id"], r["date"], r["stage"], r["disbursed_wan"]) for r in progress] == [
        (p["id"], e["date"].isoformat(), e["stage"], str(e.get("disbursed", "")))
        for p in RECORDS.projects
        for e in p.get("progress", [])
    ]
    assert progress, "the test county reports progress on one project"
    for name in TABLES:
        assert len(sheet_rows(built_site, name)) == len(read_csv(built_site, name))


def test_each_project_json_beside_its_page(built_site: Path):
    everything = {r["id"]: r for r in json.loads((built_site / "data/projects.json").read_text("utf-8"))}
    for p in RECORDS.projects:
        record = json.loads((built_site / "projects" / f"{p['id']}.json").read_text("utf-8"))
        assert record == everything[p["id"]]
        assert Decimal(record["investment"]) == p["investment"]
        html = (built_site / "projects" / p["id"] / "index.html").read_text("utf-8")
        assert f'href="../{p["id"]}.json"' in html


def test_datapackage_validates_with_frictionless(built_site: Path):
    from frictionless import Package, system

    descriptor = json.loads((built_site / "data/datapackage.json").read_text("utf-8"))
    names = [r["name"] for r in descriptor["resources"]]
    assert names[0] == "projects" and names[-1] == "places" and sorted(names) == sorted(TABLES)
    with system.use_context(trusted=True):
        report = Package(str(built_site / "data/datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.stats.get("rows", 0) for task in report.tasks] == [len(read_csv(built_site, n)) for n in names]


def test_frictionless_catches_a_wrong_number(built_site: Path, tmp_path: Path):
    """The validation can fail: a unit in a number column is reported."""
    from frictionless import Package, system

    for name in ("datapackage.json", *[f"{t}.csv" for t in TABLES]):
        (tmp_path / name).write_bytes((built_site / "data" / name).read_bytes())
    original = (tmp_path / "projects.csv").read_text("utf-8-sig")
    broken = original.replace(",480,", ",480万元,", 1)
    assert broken != original
    (tmp_path / "projects.csv").write_text(broken, encoding="utf-8-sig")
    with system.use_context(trusted=True):
        report = Package(str(tmp_path / "datapackage.json")).validate()
    assert not report.valid


@pytest.mark.parametrize(
    "page",
    [
        "projects/index.html",
        "plans/2025/index.html",
        "plans/2025/industry/index.html",
        "units/agriculture/index.html",
        "progress/index.html",
        "data/index.html",
    ],
)
def test_downloads_linked_from_lists(built_site: Path, page: str):
    html = (built_site / page).read_text("utf-8")
    hrefs = re.findall(r'href="([^"]+\.(?:csv|xlsx|json))"', html)
    assert any(h.endswith("projects.csv") for h in hrefs) and any(h.endswith(".xlsx") for h in hrefs)
    base = page.rsplit("/", 1)[0] + "/"
    for href in hrefs:
        if href.endswith("project.schema.json"):
            continue  # generated by the record-schema producer (issue 5)
        assert (built_site / urljoin(base, href)).is_file(), href


def test_data_page_in_navigation_and_links_the_schema(built_site: Path):
    html = (built_site / "index.html").read_text("utf-8")
    for title in ("数据下载", "项目进展", "最近更新"):
        assert title in page_text(built_site / "index.html")
    assert 'href="data/"' in html
    assert 'href="../schema/project.schema.json"' in (built_site / "data/index.html").read_text("utf-8")


def test_report_link_only_when_repo_is_configured(built_site: Path, project: Path):
    assert "/issues/new" not in (built_site / "index.html").read_text("utf-8")
    edit(project, "content/site.yml", "repo_url:\n", "repo_url: https://example.org/county/site\n")
    site = build_ok(project)
    for page in ("index.html", "projects/tea-processing/index.html", "data/index.html"):
        assert 'href="https://example.org/county/site/issues/new"' in (site / page).read_text("utf-8"), page
