"""Totals must reconcile; a disclosed discrepancy lets a build through and is shown publicly."""

from __future__ import annotations

import pytest
from conftest import build_ok
from helpers import edit, line_of, main_text
from records import fixture
from test_bad_input import errors_of
from variants import TEA, add_front_matter

from gongshi.content.load import load_site
from gongshi.errors import ContentErrors

PLAN = "content/plans/2025.yml"


def change_tea_to_470(project):
    """Change the tea factory's amount consistently within its own record (its one fund source follows)."""
    edit(project, TEA, "investment: 480", "investment: 470")
    edit(project, TEA, "    amount: 480", "    amount: 470")


def test_changed_amount_fails_against_category_and_source(project):
    change_tea_to_470(project)
    errors = errors_of(project)
    fields = {(e.file, e.field) for e in errors}
    # A changed project: its category, its fund source and the plan total each need the new figure.
    assert fields == {(PLAN, "categories[0].amount"), (PLAN, "funding[0].amount"), (PLAN, "total")}
    category = next(e for e in errors if e.field == "categories[0].amount")
    assert category.line == line_of(project, PLAN, "amount: 800.456789")
    # The error sits on the plan line to change and gives the number to write there.
    assert "800.456789" in category.found and "790.456789" in category.expected
    source = next(e for e in errors if e.field == "funding[0].amount")
    assert source.line == line_of(project, PLAN, "amount: 1000")
    assert "1000" in source.found and "990" in source.expected


def test_funding_must_sum_to_investment(project):
    edit(project, TEA, "    amount: 480", "    amount: 479")
    errors = errors_of(project)
    funding = next(e for e in errors if e.file == TEA)
    assert funding.field == "funding" and "479" in funding.found
    assert funding.line == line_of(project, TEA, "funding:")


def test_dividend_must_equal_rate_times_investment(project):
    add_front_matter(project, TEA, "dividend:\n  rate_percent: 3\n  annual: 15\n")
    errors = errors_of(project)
    assert [(e.file, e.field) for e in errors] == [(TEA, "dividend.annual")]
    assert errors[0].line == line_of(project, TEA, "annual: 15")
    assert "14.4" in errors[0].expected  # 480 × 3%


def test_category_count_checked(project):
    edit(project, PLAN, "count: 2\n", "count: 3\n")
    errors = errors_of(project)
    assert [(e.file, e.field) for e in errors] == [(PLAN, "categories[0].count")]


def test_undisclosed_count_mismatch_is_an_error(project):
    """The test county's one disclosed mismatch fails as soon as its note is removed."""
    (category,) = [c for c in fixture().plans[0]["categories"] if c.get("discrepancies")]
    (disclosed,) = category["discrepancies"]
    edit(
        project,
        PLAN,
        f"    discrepancies:\n      - check: {disclosed['check']}\n        note: {disclosed['note']}\n",
        "",
    )
    errors = errors_of(project)
    index = fixture().plans[0]["categories"].index(category)
    assert [(e.file, e.field) for e in errors] == [(PLAN, f"categories[{index}].count")]


def test_disclosed_discrepancy_passes_and_is_shown(project):
    change_tea_to_470(project)
    note = "原文件类别小计为800.456789万元，但项目合计为790.456789万元，差额待县里说明。"
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
        "discrepancies:\n  - check: source_total\n    note: 中央资金项目合计差10万元，待核实。\ncategories:\n",
    )
    site = load_site(project / "content", project)
    assert any(n.note == note for n in site.notes)
    built = build_ok(project)
    assert note in main_text(built / "plans/2025/industry/index.html")
    assert "中央资金项目合计差10万元" in main_text(built / "index.html")


def test_discrepancy_for_another_check_does_not_excuse(project):
    add_front_matter(
        project, TEA, "dividend:\n  rate_percent: 3\n  annual: 15\ndiscrepancies:\n  - check: funding\n    note: 无关\n"
    )
    with pytest.raises(ContentErrors):
        load_site(project / "content", project)
