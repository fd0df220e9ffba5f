"""Typical staff mistakes each get an error naming file, line and field — and no site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_build
from helpers import edit, line_of

from gongshi.content.load import load_site
from gongshi.errors import ContentError, ContentErrors

PARK = "content/projects/01-maoping-bamboo-park.md"


def errors_of(project: Path) -> list[ContentError]:
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content", project)
    return caught.value.errors


def only_error(project: Path) -> ContentError:
    errors = errors_of(project)
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0]


@pytest.mark.parametrize(
    "written, words",
    [
        ("1150万元", "不要写单位"),
        ("１１５０", "全角"),
        ("-1150", "负数"),
        ("一千一百五十", "应为数字"),
    ],
)
def test_bad_amount(project, written, words):
    edit(project, PARK, "investment: 1150", f"investment: {written}")
    error = only_error(project)
    assert (error.file, error.field) == (PARK, "investment")
    assert error.line == line_of(project, PARK, "investment:")
    assert words in error.message_zh
    assert error.message_en


def test_unit_suffix_error_suggests_the_number(project):
    edit(project, PARK, "investment: 1150", "investment: 1150万元")
    assert "1150" in only_error(project).format()


def test_missing_required_field(project):
    edit(project, PARK, "title: 毛坪林竹产业加工园区建设项目\n", "")
    error = only_error(project)
    assert (error.file, error.field) == (PARK, "title")
    assert "缺少必填字段" in error.message_zh and "missing" in error.message_en


def test_misspelt_field_name_suggests_the_right_one(project):
    edit(project, PARK, "title:", "titel:")
    errors = errors_of(project)
    unknown = next(e for e in errors if e.field == "titel")
    assert unknown.line == line_of(project, PARK, "titel:")
    assert "title" in unknown.hint


def test_unknown_category(project):
    edit(project, PARK, "category: industrial-cluster", "category: industrial-clusters")
    error = only_error(project)
    assert (error.field, error.line) == ("category", line_of(project, PARK, "category:"))
    assert "类别不存在" in error.message_zh
    assert "industrial-cluster`" in error.hint


def test_unknown_unit(project):
    edit(project, PARK, "responsible_units: [县林业局]", "responsible_units: [县林业厅]")
    error = only_error(project)
    assert error.field == "responsible_units[0]"
    assert error.line == line_of(project, PARK, "responsible_units:")
    assert "县林业局" in error.hint


def test_unknown_village_suggests_same_township(project):
    edit(project, PARK, "- 毛坪镇长梯村", "- 毛坪镇长踢村")
    error = only_error(project)
    assert error.field == "beneficiaries.asset_villages[0]"
    assert error.line == line_of(project, PARK, "毛坪镇长踢村")
    assert "毛坪镇长梯村" in error.hint


def test_duplicate_id(project):
    source = project / PARK
    (project / "content/projects/12-copy.md").write_text(
        source.read_text(encoding="utf-8").replace('number: "1"', 'number: "12"'), encoding="utf-8"
    )
    errors = errors_of(project)
    duplicate = next(e for e in errors if e.field == "id")
    assert duplicate.file == "content/projects/12-copy.md"
    assert "编号重复" in duplicate.message_zh and PARK in duplicate.hint


def test_tab_in_yaml(project):
    edit(project, PARK, "  - source: east-west-2025", "\t- source: east-west-2025")
    error = only_error(project)
    assert error.line == line_of(project, PARK, "source: east-west-2025")
    assert "制表符" in error.message_zh


def test_bad_indentation(project):
    edit(project, PARK, "    amount: 1150", "      amount: 1150")
    error = only_error(project)
    assert error.file == PARK
    assert "YAML" in error.message_zh
    assert abs(error.line - line_of(project, PARK, "amount: 1150")) <= 1


def test_gbk_file(project):
    path = project / PARK
    first_chinese = line_of(project, PARK, "title:")
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    error = only_error(project)
    assert error.file == PARK and error.line == first_chinese
    assert "UTF-8" in error.message_zh and "GBK" in error.found


def test_front_matter_not_closed(project):
    path = project / PARK
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    path.write_text(head + "\n" + body, encoding="utf-8")
    error = only_error(project)
    assert error.file == PARK
    assert "---" in error.message_zh


def test_all_errors_reported_at_once(project):
    edit(project, PARK, "investment: 1150", "investment: 1150万元")
    edit(
        project,
        "content/projects/05-blue-eagle-talent.md",
        "responsible_units: [县教育局]",
        "responsible_units: [县教委]",
    )
    edit(project, "content/plans/2025.yml", "date: 2025-02-25", "date: 2025-02-30")
    files = {e.file for e in errors_of(project)}
    assert files == {PARK, "content/projects/05-blue-eagle-talent.md", "content/plans/2025.yml"}


def test_hostile_yaml_is_refused(project):
    edit(project, PARK, "title: 毛坪林竹产业加工园区建设项目", "title: !!python/object/apply:os.system [echo hi]")
    error = only_error(project)
    assert error.field == "title" and "标签" in error.message_zh


def test_alias_bomb_is_refused(project):
    bomb = "\n".join(
        ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    )
    edit(project, PARK, "status: 计划\n", "status: 计划\n" + bomb + "\n")
    error = only_error(project)
    assert "过大" in error.message_zh


def test_check_command_exit_codes(project):
    ok = subprocess.run(
        [sys.executable, "-m", "gongshi", "check", "--content", str(project / "content")],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    edit(project, PARK, "investment: 1150", "investment: 1150万元")
    bad = subprocess.run(
        [sys.executable, "-m", "gongshi", "check", "--content", str(project / "content")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert f"{PARK}:{line_of(project, PARK, 'investment:')}" in bad.stderr
    assert "investment" in bad.stderr


def test_build_fails_with_the_same_message_and_no_site(project):
    edit(project, PARK, "- 毛坪镇长梯村", "- 毛坪镇长踢村")
    result = run_build(project)
    assert result.returncode != 0
    assert PARK in result.stderr and "毛坪镇长梯村" in result.stderr
    assert not (project / "site").exists()
