"""Numbers that mean one thing (issue 26): an amount is ASCII decimal digits with an optional sign and point, at
most gongshi.money.WAN_DECIMALS decimals of 万元 and at most gongshi.money.MAX_WAN; everything else is refused
with file, line and field, in Chinese and English. A site whose amounts are the largest allowed builds, and its
pages, charts and downloads show them exactly."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import build_ok
from tiny_county import data, make_project

from gongshi.content.load import load_site
from gongshi.errors import ContentErrors
from gongshi.money import MAX_WAN, WAN_DECIMALS

RECORD = "content/projects/01-park.md"
PLACEHOLDER = 424242  # written by the fixture, replaced by the text under test as it stands in the file

REFUSED = {
    "hex": "0x78",  # YAML 1.1: 120
    "underscores": "1_20.5",  # YAML 1.1: 120.5
    "underscore-int": "1_20",
    "binary": "0b1111000",
    "base-60": "2:00",  # YAML 1.1: 120
    "exponent": "1.2e+2",
    "infinity": ".inf",
    "not-a-number": ".nan",
    "thirty-digits": "1" * 30,
    "five-thousand-digits": "9" * 5000,  # beyond Python's int() limit of 4,300 digits
    "too-precise": "120.50000000000000000000001",
    "seven-decimals": "120.1234567",
    "one-past-the-largest": str(MAX_WAN + Decimal(1).scaleb(-WAN_DECIMALS)),
    "a-billion": "1000000000",
    "negative": "-5",
    "full-width": "１２０",
    "exponent-text": "1e15",
}


def _write(tmp_path: Path, text: str) -> Path:
    county = data()
    county[RECORD]["investment"] = PLACEHOLDER
    project = make_project(tmp_path / "county", county)
    path = project / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace(str(PLACEHOLDER), text, 1), encoding="utf-8")
    return project


@pytest.mark.parametrize("name", list(REFUSED))
def test_an_amount_that_means_something_else_is_refused_at_its_line(tmp_path: Path, name: str):
    text = REFUSED[name]
    project = _write(tmp_path, text)
    line = next(
        i
        for i, row in enumerate((project / RECORD).read_text(encoding="utf-8").split("\n"), 1)
        if row.startswith("investment:")
    )
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content", project)
    errors = [e for e in caught.value.errors if e.file == RECORD and e.field == "investment"]
    assert errors, caught.value.report()[-2000:]
    error = errors[0]
    assert error.line == line, error.format()
    assert error.message_zh and error.message_en, error.format()


@pytest.mark.parametrize("text", ["120", "120.5", "+120.5", "0.000001", ".5", "962.310194", "0", "0120", str(MAX_WAN)])
def test_plain_decimal_amounts_are_read(tmp_path: Path, text: str):
    project = _write(tmp_path, text)
    with pytest.raises(ContentErrors) as caught:  # the sums no longer match, but the amount itself is read
        load_site(project / "content", project)
    refusals = ("数字写法无效", "数字过长", "金额过大", "位小数", "应为数字", "负数")
    assert not [e.format() for e in caught.value.errors if any(w in e.message_zh for w in refusals)]


LARGEST = MAX_WAN
PARK = MAX_WAN - 50  # the school keeps 50: the plan's total is the largest allowed amount


@pytest.fixture(scope="module")
def largest_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    county = data()
    plan = county["content/plans/2025.yml"]
    plan["total"] = plan["funding"][0]["amount"] = 777001
    plan["categories"][0]["amount"] = 777002
    plan["summary"] = "测试用的最大金额。"
    park = county[RECORD]
    park["investment"] = park["funding"][0]["amount"] = 777002
    del park["dividend"], park["dividends_paid"]  # 3% of the largest amount is a different promise
    project = make_project(tmp_path_factory.mktemp("largest") / "county", county)
    for rel in ("content/plans/2025.yml", RECORD):
        path = project / rel
        text = path.read_text(encoding="utf-8").replace("777001", str(LARGEST)).replace("777002", str(PARK))
        path.write_text(text, encoding="utf-8")
    return build_ok(project)


def test_the_largest_amount_is_shown_exactly_on_the_pages(largest_site: Path):
    assert f"{LARGEST:,}" in (largest_site / "plans" / "2025" / "index.html").read_text(encoding="utf-8")
    assert f"{PARK:,}" in (largest_site / "projects" / "park" / "index.html").read_text(encoding="utf-8")


def test_the_largest_amount_is_exact_in_the_charts(largest_site: Path):
    html = (largest_site / "funds" / "index.html").read_text(encoding="utf-8")
    xs = [Decimal(x) for x in re.findall(r'"x":\[([0-9.]+)', html)]
    assert PARK in xs, xs
    # The chart's numbers are JavaScript doubles: the largest amount survives the round trip.
    assert Decimal(repr(float(LARGEST))) == LARGEST and Decimal(repr(float(PARK))) == PARK
    assert f'"{PARK:,}"' in html  # the bar's label


def test_the_largest_amount_is_exact_in_the_downloads(largest_site: Path):
    with (largest_site / "data" / "projects.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert Decimal(rows["park"]["investment_wan"]) == PARK
    projects = json.loads((largest_site / "data" / "projects.json").read_text(encoding="utf-8"))
    assert str(PARK) in json.dumps(projects)
    book = openpyxl.load_workbook(largest_site / "data" / "gongshi.xlsx", read_only=True)
    cells = [
        Decimal(str(c))
        for row in book["projects"].iter_rows(values_only=True)
        for c in row
        if isinstance(c, float | int)
    ]
    assert PARK in cells


def test_a_leading_zero_is_decimal_not_octal(tmp_path: Path):
    """YAML 1.1 reads `017` as 15; here it is the text as written: an amount of 17, a number "017"."""
    county = data()
    county[RECORD]["investment"] = PLACEHOLDER
    county[RECORD]["funding"][0]["amount"] = PLACEHOLDER
    county[RECORD]["number"] = 424243
    project = make_project(tmp_path / "county", county)
    path = project / RECORD
    text = path.read_text(encoding="utf-8").replace(str(PLACEHOLDER), "0100").replace("424243", "017")
    path.write_text(text, encoding="utf-8")
    site = load_site(project / "content", project)
    park = next(p for p in site.projects if p.id == "park")
    assert park.investment == Decimal(100) and park.number == "017"
