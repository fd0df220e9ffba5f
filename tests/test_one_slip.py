"""One slip, one error: a record or plan that cannot be read is named on the slip's own line, and the checks
that need it (the plan's totals, counts, other records' disclosures) wait instead of telling her to change
files that are right. Each slip is made in the tiny county, which checks clean before it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import edit, line_of
from tiny_county import data, write_content

from gongshi.content.load import load_site
from gongshi.errors import ContentError, ContentErrors

SCHOOL = "content/projects/02-school.md"
PLAN = "content/plans/2025.yml"
HELD = "先改正上面的错误"


def errors_of(root: Path) -> tuple[list[ContentError], str]:
    try:
        load_site(root / "content", root)
    except ContentErrors as exc:
        return exc.errors, exc.report()
    return [], ""


@pytest.fixture
def county(tmp_path: Path) -> Path:
    write_content(tmp_path, data())
    assert errors_of(tmp_path) == ([], "")
    return tmp_path


# (name, file, what is written, the slip, the text of the line the error must name, words the error must say)
SLIPS = [
    ("curly quotes", SCHOOL, "plan: '2025'", "plan: “2025”", "plan:", "中文引号"),
    ("missing colon", SCHOOL, "investment: 50", "investment 50", "investment 50", "缺少冒号"),
    ("bad indentation", SCHOOL, "  amount: 50", "   amount: 50", "   amount: 50", "YAML"),
    ("wrong plan id", SCHOOL, "plan: '2025'", "plan: '2026'", "plan:", "计划不存在"),
    ("wrong category id", SCHOOL, "category: cat-b", "category: cat-c", "category:", "类别不存在"),
    ("wrong fund source id", SCHOOL, "source: fund-a", "source: fund-x", "source:", "资金来源不存在"),
    ("wrong unit", SCHOOL, "- 县乙局", "- 县丙局", "县丙局", "units.yml"),
    (
        "unquoted number",
        SCHOOL,
        "status: 计划",
        "status: 计划\nresponsible_person:\n  name: 张三\n  phone: 13800000000",
        "phone:",
        "引号",
    ),
    ("plan curly quotes", PLAN, "id: '2025'", "id: “2025”", "id:", "中文引号"),
    ("plan missing colon", PLAN, "total: 150", "total 150", "total 150", "缺少冒号"),
    ("plan bad indentation", PLAN, "  amount: 50", "   amount: 50", "   amount: 50", "YAML"),
]


@pytest.mark.parametrize(("name", "rel", "old", "new", "line", "words"), SLIPS, ids=[s[0] for s in SLIPS])
def test_one_slip_gives_one_error_on_its_own_line(
    county: Path, name: str, rel: str, old: str, new: str, line: str, words: str
) -> None:
    edit(county, rel, old, new)
    errors, report = errors_of(county)
    assert len(errors) == 1, report
    (error,) = errors
    assert (error.file, error.line) == (rel, line_of(county, rel, line)), report
    assert words in error.format(), report
    assert PLAN not in error.format() or rel == PLAN, "no message sends her to the plan file"
    # Said once, under the errors, when the plan's totals wait for this record: never as an error of its own.
    assert report.count(HELD) <= 1


def test_the_totals_a_record_holds_back_are_named_once(county: Path) -> None:
    edit(county, SCHOOL, "plan: '2025'", "plan: “2025”")
    done = subprocess.run(
        [sys.executable, "-m", "gongshi", "check", "--fast", "--content", str(county / "content")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.count(HELD) == 1 and f"{PLAN} 的总额" in done.stderr, done.stderr
    assert "共 1 处错误" in done.stderr, done.stderr


def test_a_record_with_an_error_keeps_its_number_for_another_records_disclosure(tmp_path: Path) -> None:
    """The document gives two projects the same number; both disclose it. A slip in one of them must not make
    the other's (correct, public) disclosure look unneeded."""
    county = data()
    for name in ("01-park.md", "02-school.md"):
        record = county[f"content/projects/{name}"]
        record["number"] = "1"
        record["discrepancies"] = [{"check": "number", "note": "原文件两个项目序号都是1。"}]
    write_content(tmp_path, county)
    assert errors_of(tmp_path) == ([], "")
    edit(tmp_path, SCHOOL, "status: 计划", "status: 计划\nresponsible_person:\n  name: 张三\n  phone: 13800000000")
    errors, report = errors_of(tmp_path)
    assert [(e.file, e.field) for e in errors] == [(SCHOOL, "responsible_person.phone")], report
