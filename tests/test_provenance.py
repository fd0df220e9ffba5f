"""Every figure knows where it comes from: the registry declares each field's provenance once; progress pages
show disbursement only as progress reports state it (completion accounts are settlement), label what the site
computes, and say how many projects a partial figure covers; a status may be 原文件未列明, and a status the
record's own stages contradict is an error. On the tiny county (tests/tiny_county.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import build_ok
from helpers import main_text
from tiny_county import data, make_project, write_content

from gongshi.content import fields
from gongshi.content.load import load_site
from gongshi.content.model import Plan, Project
from gongshi.content.progress import Computed, disbursed, remaining
from gongshi.content.unstated import NOT_STATED
from gongshi.errors import ContentErrors

SCHOOL = "content/projects/02-school.md"
PARK = "content/projects/01-park.md"
DONE = {"completed": dt.date(2025, 11, 30), "settled": 45, "management_fee": 1, "surplus": 4}


def test_provenance_is_declared_once_in_the_registry():
    assert fields.provenance(Project, "investment") == "document"
    assert fields.provenance(Project, "status") == "document"
    assert fields.provenance(Plan, "categories[].amount") == "document"
    assert fields.provenance(Project, "progress[3].disbursed") == "county"  # from its parent, the report
    assert fields.provenance(Project, "completion.settled") == "county"
    assert fields.provenance(Project, "dividends_paid[].amount") == "county"
    assert fields.provenance(Project, "targets[].actual") == "county"
    assert fields.provenance(Project, "targets[].value") == "document"
    assert fields.provenance(Project, "id") is None  # a working field of the record
    assert Computed(None).provenance == "site" and fields.PROVENANCE_LABELS["site"] == "本站计算"
    with pytest.raises(ValueError):
        fields.field("x", document=True, provenance="county")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """The school's status is not stated and it carries completion accounts but no progress report."""
    c = data()
    school = c[SCHOOL]
    school["status"] = NOT_STATED
    school["completion"] = dict(DONE)
    project = make_project(tmp_path_factory.mktemp("provenance") / "project", c)
    return c, project


@pytest.fixture(scope="module")
def site(county: tuple[dict[str, Any], Path]) -> Path:
    return build_ok(county[1])


def test_completion_accounts_are_not_a_disbursement_report(county: tuple[dict[str, Any], Path]):
    c, project = county
    model = load_site(project / "content", project)
    school, park = (next(p for p in model.projects if p.id == name) for name in ("school", "park"))
    assert disbursed(school) is None and remaining(school).value is None
    reported = c[PARK]["progress"][-1]["disbursed"]
    assert disbursed(park) == reported and remaining(park).value == c[PARK]["investment"] - reported


def test_progress_page_counts_only_reported_disbursement_and_says_what_it_covers(site: Path):
    text = main_text(site / "progress/index.html")
    # The park reported 40 of 100; the school has completion accounts only: not 累计拨付 46, not 2 / 2.
    assert "产业发展 100 40 40.0% 1 / 1" in text
    assert "民生改善 50 未报告 — 0 / 1" in text
    assert "合计 150 40 40.0% 2 个项目中 1 个已报告 1 / 2" in text
    assert "拨付比例（本站计算）" in text
    assert "累计拨付金额（县里报告）与规划投资（原文件）的对比" in text  # labels from the registry
    assert "完工（1 个）：甲镇学校改善项目" in text


def test_project_page_labels_computed_figures_and_keeps_settlement_as_settlement(site: Path):
    park = main_text(site / "projects/park/index.html")
    assert "未拨付（万元，本站计算） 拨付比例（本站计算） 100 40 60 40.0%" in park
    school = main_text(site / "projects/school/index.html")
    progress = school.split("进展与结果", 1)[1]
    assert "累计拨付" not in progress and "未拨付" not in progress
    assert "结算金额 45 万元 管理费 1 万元 结余资金 4 万元" in progress
    assert "核算（本站计算）：规划投资 50 − 结算 45 − 管理费 1 = 4 万元" in progress


def test_unstated_status_is_a_whole_value_and_its_check_is_listed(site: Path):
    school = main_text(site / "projects/school/index.html")
    assert f"项目状态 {NOT_STATED} " in school and f"状态：{NOT_STATED} " in school
    assert "项目状态与完工验收、进展报告一致：未核对。原因：原文件没有写明项目状态" in school
    assert "计划" not in school.split("公示信息", 1)[1].split("建设内容", 1)[0]  # never published as 计划


def errors_of(tmp_path: Path, change) -> list:
    c = data()
    change(c)
    write_content(tmp_path, c)
    with pytest.raises(ContentErrors) as caught:
        load_site(tmp_path / "content", tmp_path)
    return caught.value.errors


def test_status_planned_with_completion_accounts_is_an_error(tmp_path: Path):
    def change(c):
        c[SCHOOL]["completion"] = {**DONE, "accepted": dt.date(2025, 12, 10)}

    (error,) = errors_of(tmp_path, change)
    assert (error.file, error.field, error.line) == (SCHOOL, "status", _line(tmp_path / SCHOOL, "status: 计划"))
    assert "项目状态为“计划”" in error.message_zh and "已填写的完工验收" in error.message_zh
    assert "not finished" in error.message_en
    assert error.found == "status: 计划" and error.expected.startswith("status: 已验收")


def test_status_planned_with_a_finished_progress_stage_is_an_error(tmp_path: Path):
    def change(c):
        c[SCHOOL]["progress"] = [{"date": dt.date(2025, 10, 1), "stage": "完工", "disbursed": 50}]

    (error,) = errors_of(tmp_path, change)
    assert (error.file, error.field) == (SCHOOL, "status")
    assert "进展报告第1项（2025-10-01）的阶段“完工”" in error.message_zh
    assert error.expected.startswith("status: 已完工")


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == text)


def test_a_category_without_records_has_no_invented_zero_on_the_progress_page(tmp_path: Path):
    """Generative finding F3 (progress part): a category whose projects are not transcribed showed 规划投资 0."""
    c = data()
    del c[SCHOOL]
    c["content/plans/2025.yml"]["categories"][1]["discrepancies"] = [
        {"check": "category_amount", "kind": "untranscribed", "note": "本类别的项目尚未录入。"},
        {"check": "category_count", "kind": "untranscribed", "note": "本类别的项目尚未录入。"},
    ]
    c["content/plans/2025.yml"]["discrepancies"] = [
        {"check": "source_total", "kind": "untranscribed", "note": "部分项目尚未录入。"},
        {"check": "summary", "kind": "untranscribed", "note": "部分项目尚未录入。"},
    ]
    site = build_ok(make_project(tmp_path / "project", c))
    text = main_text(site / "progress/index.html")
    assert "民生改善 尚未录入项目 未报告 — — " in text
    # The summary keeps the document's words; the public note says what the site counted.
    plan = main_text(site / "plans/2025/index.html")
    assert (
        "计划概述写“2类2个项目”（原文件），列出的类别和项目记录为“2类1个项目”（本站清点）：部分项目尚未录入。" in plan
    )
