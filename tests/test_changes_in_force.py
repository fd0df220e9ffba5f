"""Approved changes (调整变更) tell the truth: the checks use the values in force after the changes; a guaranteed
dividend is a promise to villages that only its own approved change alters, never an investment change; the
project page, the loudspeaker script and the change notice state the values in force and what changed, once.

The tiny county after one approval moves 20 万元 from the park (100 → 80, its 3% dividend of 3 万元 unchanged) to
the school (50 → 70), whose own dividend the same approval raises from 1.5 to 2.1 万元."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import run_build
from helpers import edit, line_of, main_text
from tiny_county import data, make_project, write_content

from gongshi.content.load import load_site
from gongshi.errors import ContentErrors

PARK = "content/projects/01-park.md"
SCHOOL = "content/projects/02-school.md"
APPROVAL = {"date": dt.date(2025, 7, 1), "approval": "测府函〔2025〕9号", "reason": "调整资金安排"}


def entry(field: str, before: Any, after: Any) -> dict[str, Any]:
    return {**APPROVAL, "field": field, "before": before, "after": after}


def moved() -> dict[str, Any]:
    county = data()
    park, school, plan = county[PARK], county[SCHOOL], county["content/plans/2025.yml"]
    park["investment"] = 80
    park["funding"][0]["amount"] = 80
    park["changes"] = [entry("investment", 100, 80), entry("funding[0].amount", 100, 80)]
    school["investment"] = 70
    school["funding"][0]["amount"] = 70
    school["benefit_mechanism"] = "每年按照投资3%保底分红2.1万元。"
    school["dividend"] = {"rate_percent": 3, "annual": 2.1}
    school["beneficiaries"] = {"asset_villages": ["甲镇二村"]}
    school["changes"] = [
        entry("investment", 50, 70),
        entry("funding[0].amount", 50, 70),
        entry("dividend.annual", 1.5, 2.1),
    ]
    plan["categories"][0]["amount"] = 80
    plan["categories"][1]["amount"] = 70
    plan["changes"] = [entry("categories[0].amount", 100, 80), entry("categories[1].amount", 50, 70)]
    return county


def errors_of(root: Path) -> list:
    try:
        load_site(root / "content", root)
    except ContentErrors as exc:
        return exc.errors
    return []


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("moved") / "project", moved())
    result = run_build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def test_an_approved_investment_change_leaves_the_dividend_promise_alone(site: Path) -> None:
    # The build above passed the audit: the park's 3 万元 is not recomputed from 80 万元 (that would be 2.4).
    text = main_text(site / "projects/park/index.html")
    assert "2.4" not in text, "no second dividend figure on the page"
    assert "按调整前投资的 3% 保底分红 3 万元" in text
    assert "核算：调整前的规划投资 100 万元 × 3% = 3 万元" in text
    assert "80 万元 × 3%" not in text


def test_a_dividend_change_is_the_dividend_in_force_and_the_notice_and_script_say_so(site: Path) -> None:
    page = main_text(site / "projects/school/index.html")
    assert "保底分红 2.1 万元" in page and "1.5 万元 → 2.1 万元" in page
    assert "核算：70 万元 × 3% = 2.1 万元" in page
    notice = main_text(site / "notices/projects/school/change/index.html")
    assert "每年分红 1.5 万元 → 2.1 万元" in notice, notice
    script = (site / "projects/school/broadcast.txt").read_text(encoding="utf-8")
    first = script.split("下面再播送一遍")[0]
    assert first.count("经批准调整") == 1
    assert "每年分红由一万五千元调整为二万一千元" in first, first
    assert "规划投资由五十万元调整为七十万元" in first
    assert "一万五千元" not in first.replace("由一万五千元调整为", ""), "the old dividend is said once, as changed"


def test_changing_the_dividend_without_its_own_change_is_an_error_on_the_dividend(tmp_path: Path) -> None:
    """What the clerk did when the old check asked her to: the promise went down with no approval for it."""
    county = moved()
    county[PARK]["dividend"]["annual"] = 2.4
    write_content(tmp_path, county)
    (error,) = errors_of(tmp_path)
    assert (error.file, error.field) == (PARK, "dividend.annual")
    assert error.expected == "调整前的规划投资 100 × 3% = 3 万元"
    assert "field: dividend.annual" in (error.hint or "")


def test_a_dividend_change_with_the_old_amount_in_the_mechanism_names_the_mechanism_line(tmp_path: Path) -> None:
    write_content(tmp_path, moved())
    edit(tmp_path, SCHOOL, "保底分红2.1万元", "保底分红1.5万元")
    (error,) = errors_of(tmp_path)
    assert (error.file, error.line) == (SCHOOL, line_of(tmp_path, SCHOOL, "benefit_mechanism:"))
    assert error.expected == "每年按照投资3%保底分红2.1万元。"
