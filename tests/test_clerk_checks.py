"""What a clerk types wrong is caught on the line where it is, with what to write instead, all in one run."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from clerk_county import PLAN, RECORD, errors_of, make_county
from helpers import edit, line_of

from gongshi.content.load import load_site

SECOND = "content/projects/02-second-road.md"


@pytest.fixture
def county(tmp_path: Path) -> Path:
    return make_county(tmp_path / "county")


# --- Chinese-keyboard slips ----------------------------------------------------------------------


def test_keyboard_slips_are_named_on_their_own_lines_with_the_corrected_text(county: Path) -> None:
    edit(county, SECOND, "location: 甲镇丙村", "location：甲镇丙村")
    edit(county, SECOND, "responsible_units: [县农业农村局]", "responsible_units: [县农业农村局，县人社局]")
    edit(county, SECOND, "  - source: linking-2024", "\u3000- source: linking-2024")
    errors = errors_of(county)
    by_line = {e.line: e for e in errors if e.file == SECOND}
    colon = by_line[line_of(county, SECOND, "location：")]
    assert "全角冒号" in colon.message_zh and colon.expected == "location: 甲镇丙村"
    comma = by_line[line_of(county, SECOND, "县人社局")]
    assert "全角逗号" in comma.message_zh and comma.expected == "responsible_units: [县农业农村局, 县人社局]"
    space = by_line[line_of(county, SECOND, "- source:")]
    assert "全角空格" in space.message_zh and space.expected == "  - source: linking-2024"
    assert all(e.field != "(YAML)" for e in errors), "no raw parser error beside the slips"


def test_text_in_block_scalars_and_quotes_is_not_a_slip(county: Path) -> None:
    edit(county, PLAN, "summary: 实施1类2个项目。", "summary: >-\n  \u3000\u3000实施1类2个项目。\n  note：照原文")
    edit(county, SECOND, "location: 甲镇丙村", 'location: "甲镇：丙村"')
    # A quoted value continued on a line that starts with a paragraph's 　　 (as YAML writers fold long text).
    edit(county, SECOND, "title: 丙村产业路", 'title: "丙村\n  \u3000\u3000产业路"')
    assert errors_of(county) == []


def test_upper_case_photo_extension_names_the_extension(county: Path) -> None:
    edit(county, RECORD, "    note: 路基完成\n", "    note: 路基完成\n    photos: [IMG_20250815_101500.JPG]\n")
    (error,) = errors_of(county)
    assert error.line == line_of(county, RECORD, "IMG_20250815_101500.JPG")
    assert "IMG_20250815_101500.jpg" in error.message_zh and "小写" in error.message_zh
    assert "连字符" not in error.format()


@pytest.mark.parametrize(("written", "hint"), [("2024/6/1", "2024-06-01"), ("2024年6月1日", "2024-06-01")])
def test_date_errors_offer_the_corrected_date(county: Path, written: str, hint: str) -> None:
    edit(county, RECORD, "deadline: 2024-12-31", f"deadline: {written}")
    (error,) = errors_of(county)
    assert error.field == "deadline" and hint in error.hint


def test_an_impossible_date_says_how_many_days_the_month_has(county: Path) -> None:
    edit(county, RECORD, "deadline: 2024-12-31", "deadline: 2025-02-30")
    (error,) = errors_of(county)
    assert "2月只有28天" in error.hint


# --- wrong figures -------------------------------------------------------------------------------


def test_disbursed_beyond_the_investment_is_an_error(county: Path) -> None:
    edit(county, RECORD, "    disbursed: 60\n", "    disbursed: 6000\n")
    (error,) = errors_of(county)
    assert (error.file, error.field, error.line) == (RECORD, "progress[0].disbursed", line_of(county, RECORD, "6000"))
    assert "120.5" in error.expected


def test_a_date_years_after_the_content_is_an_error(county: Path) -> None:
    edit(county, RECORD, "  - date: 2024-06-30", "  - date: 2034-06-30")
    errors = errors_of(county)
    assert [e.field for e in errors] == ["progress[0].date"]
    assert "2034" in errors[0].message_zh and "2024" in errors[0].hint


def test_the_content_date_comes_from_git_not_the_clock(county: Path) -> None:
    """With a commit, the content's date is the commit's: a report a year after the plan's deadline passes."""
    edit(county, RECORD, "  - date: 2024-06-30", "  - date: 2026-03-01")
    assert [e.field for e in errors_of(county)] == ["progress[0].date"]
    env = {"GIT_COMMITTER_DATE": "2026-03-02T10:00:00+08:00", "GIT_AUTHOR_DATE": "2026-03-02T10:00:00+08:00"}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=county, check=True)
    subprocess.run([*git, "add", "."], cwd=county, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=county, check=True, env={**__import__("os").environ, **env})
    assert errors_of(county) == []


def test_percent_and_disbursement_that_disagree(county: Path) -> None:
    edit(county, RECORD, "    disbursed: 60\n    percent: 50\n", "    disbursed: 120\n    percent: 5\n")
    (error,) = errors_of(county)
    assert error.field == "progress[0].percent"
    assert "99.6%" in error.message_zh  # 120 of 120.5


def test_an_advance_payment_within_30_points_passes(county: Path) -> None:
    edit(county, RECORD, "    disbursed: 60\n    percent: 50\n", "    disbursed: 36\n    percent: 0\n")
    assert errors_of(county) == []


def test_plan_summary_counts_must_match(county: Path) -> None:
    edit(county, PLAN, "summary: 实施1类2个项目。", "summary: 实施一类三个项目。")
    (error,) = errors_of(county)
    assert (error.file, error.field) == (PLAN, "summary")
    assert error.found == "一类三个项目" and error.expected == "一类二个项目"


# --- one run, pointing where to change --------------------------------------------------------------


NEW = SECOND.replace("02-second-road", "03-new-road")


def add_project(county: Path, *, village: str = "甲镇乙村") -> None:
    text = (county / SECOND).read_text(encoding="utf-8")
    text = text.replace("id: second-road", "id: new-road").replace('number: "2"', 'number: "3"')
    text = text.replace("places: [甲镇丙村]", f"places: [{village}]")
    (county / NEW).write_text(text, encoding="utf-8")


def apply_expected(county: Path, errors) -> None:
    """Do what each plan error says for a clerk whose document says what the records sum to: the summary's
    `expected`, else the line the hint gives "if the document says" it."""
    for error in errors:
        lines = (county / error.file).read_text(encoding="utf-8").split("\n")
        line = lines[error.line - 1]
        if error.field == "summary":
            lines[error.line - 1] = line.replace(error.found, error.expected)
        else:
            assert error.hint.startswith("如果是录入错了"), error.format()
            written = re.search(r"原文件中\S+写的是 [^，]+的，把这一行改为 (\w+: [\d.]+)", error.hint)[1]
            key = written.split(":")[0]
            lines[error.line - 1] = re.sub(rf"{key}: .*", written, line)
        (county / error.file).write_text("\n".join(lines), encoding="utf-8")


def test_a_new_project_lists_its_own_errors_and_every_plan_line_to_change_in_one_run(county: Path) -> None:
    add_project(county, village="甲镇不存在村")
    errors = errors_of(county)
    assert {(e.file, e.field) for e in errors} == {
        (NEW, "places[0]"),
        (PLAN, "categories[0].amount"),
        (PLAN, "categories[0].count"),
        (PLAN, "funding[0].amount"),
        (PLAN, "total"),
        (PLAN, "summary"),
    }
    plan_errors = [e for e in errors if e.file == PLAN]
    amount = next(e for e in plan_errors if e.field == "categories[0].amount")
    assert amount.found == "amount: 150.5" and "180.5 万元（本站计算）" in amount.expected
    assert "150.5" in amount.message_zh and "180.5" in amount.message_zh  # both sides named
    # Both figures are stated in the document: the hint never tells the clerk to write the sum over the stated
    # figure, only "if the document says 180.5", and proposes the disclosure that keeps both.
    assert "原文件中本类别金额写的是 180.5 的，把这一行改为 amount: 180.5" in amount.hint
    assert "    discrepancies:\n      - check: category_amount\n        kind: inconsistent\n" in amount.hint
    # Doing what the errors say is enough: the next run has only the record's own error left.
    apply_expected(county, sorted(plan_errors, key=lambda e: -e.line))
    edit(county, NEW, "甲镇不存在村", "甲镇乙村")
    assert errors_of(county) == []
    assert len(load_site(county / "content", county).projects) == 3


def test_the_disclose_hint_only_where_the_document_disagrees_with_itself(county: Path) -> None:
    edit(county, PLAN, "total: 150.5", "total: 151")  # categories 150.5, total 151: the document's own figures
    (error,) = errors_of(county)
    assert error.field == "total" and "check: plan_total" in error.hint and "公开" in error.hint
    edit(county, PLAN, "    amount: 150.5\n", "    amount: 151\n")  # now the plan agrees with itself
    errors = errors_of(county)
    assert {e.field for e in errors} == {"total", "categories[0].amount"}
    total = next(e for e in errors if e.field == "total")
    assert "discrepancies:" not in total.hint and "差异说明加在类别上" in total.hint  # the category disagrees
    category = next(e for e in errors if e.field == "categories[0].amount")
    assert "check: category_amount" in category.hint
    edit(county, SECOND, "    amount: 30", "    amount: 31")  # a record's sources against its own investment
    funding = next(e for e in errors_of(county) if e.file == SECOND)
    assert funding.field == "funding" and "把 funding 中的 amount 改为 30" in funding.hint
    assert "discrepancies:\n  - check: funding\n" in funding.hint and "公开" in funding.hint
