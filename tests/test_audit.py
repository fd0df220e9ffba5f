"""Totals must reconcile; a disclosed discrepancy lets a build through and is shown publicly."""

from __future__ import annotations

import pytest
from conftest import build_ok
from helpers import edit, line_of, main_text
from records import fixture
from test_bad_input import errors_of
from tiny_county import write_content
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
    # A changed project: its category, its fund source, the plan total and the summary's amount each need the
    # new figure.
    assert fields == {(PLAN, "categories[0].amount"), (PLAN, "funding[0].amount"), (PLAN, "total"), (PLAN, "summary")}
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


@pytest.mark.parametrize(("rate", "annual", "agrees"), [("3.14159", "15.07963", True), ("3.14159", "15.08", True),
    ("3.14159", "15.07", False), ("3.14159", "15", False), ("3", "14.40", True)])  # fmt: skip
def test_a_dividend_agrees_as_the_document_rounds_it(project, rate, annual, agrees):
    """480 × 3.14159% = 15.079632: a document writes it to its own decimals (at least 0.01 万元), never to the 万元."""
    add_front_matter(project, TEA, f"dividend:\n  rate_percent: {rate}\n  annual: {annual}\n")
    if agrees:
        load_site(project / "content", project)
    else:
        assert [(e.file, e.field) for e in errors_of(project)] == [(TEA, "dividend.annual")]


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


# --- hints keep the document's figures ---------------------------------------------------------------------


def tiny_errors(folder, county):
    from tiny_county import write_content

    write_content(folder, county)
    with pytest.raises(ContentErrors) as caught:
        load_site(folder / "content", folder)
    return caught.value.errors


def paste_hint(folder, error) -> None:
    """Paste the lines the hint proposes where it says: at the top level of the file (the end), or right after
    the error's line with `discrepancies` aligned with that line's key."""
    hint = error.hint.split("\n")
    start = next(i for i, line in enumerate(hint) if line.strip() == "discrepancies:")
    proposed = hint[start:]
    path = folder / error.file
    lines = path.read_text(encoding="utf-8").split("\n")
    if "顶层" in hint[start - 1]:
        path.write_text("\n".join([*lines, *proposed, ""]), encoding="utf-8")
        return
    key = lines[error.line - 1]
    shift = len(key) - len(key.lstrip(" -")) - (len(proposed[0]) - len(proposed[0].lstrip()))
    lines[error.line : error.line] = [(" " * shift + p) if shift >= 0 else p[-shift:] for p in proposed]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_hint_proposes_a_disclosure_that_keeps_both_stated_figures(tmp_path):
    """The document says 90 for a category whose one project it lists at 100, and 140 for its source and its
    total: no hint asks to write 100 or 150 over them; pasting what the hints propose makes the check pass,
    and the public note quotes the document's figure as the document's and the sum as the site's."""
    from tiny_county import data

    county = data()
    plan = county["content/plans/2025.yml"]
    plan["categories"][0]["amount"], plan["total"], plan["funding"][0]["amount"] = 90, 140, 140
    errors = {e.field: e for e in tiny_errors(tmp_path, county)}
    assert set(errors) == {"categories[0].amount", "funding[0].amount", "total"}
    for error in errors.values():
        assert error.hint.startswith("如果是录入错了"), error.format()  # a correction only "if the document says"
    category = errors["categories[0].amount"]
    assert "原文件中本类别金额写的是 100 的，把这一行改为 amount: 100" in category.hint
    assert category.found == "amount: 90" and "100 万元（本站计算）" in category.expected
    assert "discrepancies:" not in errors["total"].hint  # the categories add up to the total: disclosed there
    paste_hint(tmp_path, errors["funding[0].amount"])
    paste_hint(tmp_path, category)
    site = load_site(tmp_path / "content", tmp_path)
    notes = {n.check: n for n in site.notes}
    assert notes["category_amount"].message == (
        "“产业发展”的类别金额 90 万元（原文件），所列 1 个项目的投资合计 100 万元（本站计算），两者不一致"
    )
    assert notes["source_total"].message == (
        "资金来源“2025年协作资金” 140 万元（原文件），各项目使用这一来源的合计 150 万元（本站计算），两者不一致"
    )
    assert all(".yml" not in n.message for n in site.notes)  # no file name on a public page
    assert site.plans[0].total == 140 and site.plans[0].categories[0].amount == 90  # the document's figures


def test_a_category_without_records_is_untranscribed_never_amount_0(tmp_path):
    from tiny_county import data

    county = data()
    del county["content/projects/02-school.md"]
    plan = county["content/plans/2025.yml"]
    errors = {e.field: e for e in tiny_errors(tmp_path, county)}
    amount = errors["categories[1].amount"]
    assert "amount: 0" not in amount.hint and "amount: 0" not in (amount.expected or "")
    assert "kind: untranscribed" in amount.hint and "check: category_amount" in amount.hint
    assert plan["categories"][1]["amount"] == 50


def test_unstated_category_amount_skips_the_check_and_lists_it(tmp_path):
    from tiny_county import data, write_content

    county = data()
    county["content/plans/2025.yml"]["categories"][1]["amount"] = "原文件未列明"
    write_content(tmp_path, county)
    site = load_site(tmp_path / "content", tmp_path)
    assert any(n.check == "category_amount" and "原文件没有写明类别金额" in n.note for n in site.skipped)


def test_a_plan_without_a_stated_date_is_anchored_at_its_year_end(tmp_path):
    """Generative finding F7: with no stated plan date or deadline, a progress report in the plan's own year was
    refused as more than a year ahead of the content."""
    import datetime as dt

    from tiny_county import data, write_content

    county = data()
    plan = county["content/plans/2025.yml"]
    plan["date"], plan["year"] = "原文件未列明", 2027
    park = county["content/projects/01-park.md"]
    park["deadline"] = "原文件未列明"
    park["progress"][0]["date"] = dt.date(2027, 6, 1)
    park["dividends_paid"] = []
    write_content(tmp_path, county)
    site = load_site(tmp_path / "content", tmp_path)
    assert site.projects[0].progress[0].date == dt.date(2027, 6, 1)


def test_a_plan_without_records_says_so_and_never_sums_to_0(tmp_path):
    """Generative finding (issue 22): with no project records, the public notes said "各项目投资合计 0 万元
    （本站计算）" — a sum over no records is not a computed 0. The hints never ask to write 0 either; and a
    category or fund source without a name is named by its place in the plan, never by its id."""
    from tiny_county import data, write_content

    county = data()
    for key in [k for k in county if k.startswith("content/projects/")]:
        del county[key]
    plan = county["content/plans/2025.yml"]
    plan["categories"][1]["name"] = "原文件未列明"
    plan["funding"][0]["name"] = "原文件未列明"
    errors = {e.field: e for e in tiny_errors(tmp_path, county)}
    assert "kind: untranscribed" in errors["funding[0].amount"].hint
    for field in ("funding[0].amount", "total"):
        assert ": 0" not in errors[field].hint and "为 0" not in (errors[field].expected or ""), errors[field].format()
    # The document's total differs from its categories' sum: the plan total's note has no record sum to give.
    plan["total"] = plan["funding"][0]["amount"] = 160
    plan["summary"] = "原文件未列明"
    untranscribed = {"kind": "untranscribed", "note": "原文件中的项目尚未录入。"}
    plan["discrepancies"] = [{"check": c, **untranscribed} for c in ("source_total", "plan_total")]
    for category in plan["categories"]:
        category["discrepancies"] = [{"check": c, **untranscribed} for c in ("category_amount", "category_count")]
    write_content(tmp_path, county)
    site = load_site(tmp_path / "content", tmp_path)
    notes = {(n.scope, n.check): n.message for n in site.notes}
    assert (
        notes[("plan:2025", "source_total")]
        == "第 1 项资金来源（名称未列明） 160 万元（原文件），尚未录入使用这一来源的项目"
    )
    assert notes[("plan:2025", "plan_total")].startswith(
        "计划总额 160 万元（原文件），尚未录入项目；各类别金额合计 150 万元"
    )
    assert (
        notes[("category:2025/cat-b", "category_count")]
        == "第 2 类（名称未列明）的项目个数 1 个（原文件），本类别的项目尚未录入"
    )
    for message in notes.values():
        assert "本站计算" not in message and " 0 " not in message and "cat-" not in message and "fund-" not in message


# --- the plan summary's amount (issue 25) ------------------------------------------------------------------


def third_project(county: dict) -> None:
    """The clerk adds a 20 万元 project to the first category and updates every plan line except the summary."""
    park = county["content/projects/01-park.md"]
    county["content/projects/03-shed.md"] = {
        **{k: park[k] for k in ("plan", "category", "location", "places", "responsible_units")},
        "id": "shed",
        "number": "3",
        "title": "甲镇大棚项目",
        "investment": 20,
        "funding": [{"source": "fund-a", "amount": 20}],
        "body": "新建大棚。",
    }
    plan = county["content/plans/2025.yml"]
    plan["categories"][0].update(amount=120, count=2)
    plan["total"] = plan["funding"][0]["amount"] = 170


def test_a_stale_summary_amount_is_named_on_the_summary_line(tmp_path):
    from tiny_county import data

    county = data()
    third_project(county)
    county["content/plans/2025.yml"]["summary"] = "2025年规划资金150万元，实施2类3个项目。"  # the count updated
    (error,) = tiny_errors(tmp_path, county)
    assert (error.file, error.field, error.line) == (PLAN, "summary", line_of(tmp_path, PLAN, "summary:"))
    assert (error.found, error.expected) == ("150万元", "170万元")
    assert "170 万元" in error.message_zh and "把 summary 中的“150万元”改为“170万元”" in error.hint


def test_adding_a_project_names_the_summarys_count_and_amount_in_one_run(tmp_path):
    from tiny_county import data

    county = data()
    third_project(county)  # the summary still says 150万元 and 2类2个项目
    found = {e.found: e.expected for e in tiny_errors(tmp_path, county) if e.field == "summary"}
    assert found == {"150万元": "170万元", "2类2个项目": "2类3个项目"}


def test_a_summary_that_gives_no_total_has_no_amount_checked(tmp_path):
    from tiny_county import data

    county = data()
    third_project(county)
    county["content/plans/2025.yml"]["summary"] = "安排协作资金100万元、往年结余资金50万元，实施2类3个项目。"
    write_content(tmp_path, county)
    load_site(tmp_path / "content", tmp_path)  # no error: neither amount is the plan's total
