"""Totals must reconcile; a disclosed discrepancy lets a build through and is shown publicly."""

from __future__ import annotations

import pytest
from conftest import build_ok
from helpers import main_text
from test_bad_input import PARK, edit, errors_of, line_of

from gongshi.content.load import load_site
from gongshi.errors import ContentErrors

PLAN = "content/plans/2025.yml"


def change_park_to_1100(project):
    """Change the park's amount consistently within its own record (funding and dividend follow)."""
    edit(project, PARK, "investment: 1150", "investment: 1100")
    edit(project, PARK, "    amount: 1150", "    amount: 1100")
    edit(project, PARK, "annual: 34.5", "annual: 33")


def test_changed_amount_fails_against_category_and_source(project):
    change_park_to_1100(project)
    errors = errors_of(project)
    fields = {(e.file, e.field) for e in errors}
    assert (PLAN, "categories[0].amount") in fields
    assert (PLAN, "funding[0].amount") in fields
    category = next(e for e in errors if e.field == "categories[0].amount")
    assert category.line == line_of(project, PLAN, "amount: 1650")
    assert "1600" in category.found and "1650" in category.expected


def test_funding_must_sum_to_investment(project):
    edit(project, PARK, "    amount: 1150", "    amount: 1149")
    errors = errors_of(project)
    funding = next(e for e in errors if e.file == PARK)
    assert funding.field == "funding" and "1149" in funding.found


def test_dividend_must_equal_rate_times_investment(project):
    edit(project, PARK, "annual: 34.5", "annual: 35")
    errors = errors_of(project)
    assert [(e.file, e.field) for e in errors] == [(PARK, "dividend.annual")]
    assert "34.5" in errors[0].expected


def test_category_count_checked(project):
    edit(project, PLAN, "count: 2\n", "count: 3\n")
    errors = errors_of(project)
    assert [(e.file, e.field) for e in errors] == [(PLAN, "categories[0].count")]


def test_disclosed_discrepancy_passes_and_is_shown(project):
    change_park_to_1100(project)
    note = "原文件类别小计为1650万元，但项目合计为1600万元，差额待县里说明。"
    edit(
        project,
        PLAN,
        "    count: 2\n",
        f"    count: 2\n    discrepancies:\n      - check: category_amount\n        note: {note}\n",
    )
    edit(
        project,
        PLAN,
        "categories:\n",
        "discrepancies:\n  - check: source_total\n    note: 来源合计差50万元，待核实。\ncategories:\n",
    )
    site = load_site(project / "content", project)
    assert any(n.note == note for n in site.notes)
    built = build_ok(project)
    assert note in main_text(built / "plans/2025/industrial-cluster/index.html")
    assert "来源合计差50万元" in main_text(built / "index.html")


def test_discrepancy_for_another_check_does_not_excuse(project):
    edit(project, PARK, "annual: 34.5", "annual: 35")
    edit(project, PARK, "status: 计划\n", "status: 计划\ndiscrepancies:\n  - check: funding\n    note: 无关\n")
    with pytest.raises(ContentErrors):
        load_site(project / "content", project)
