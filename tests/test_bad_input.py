"""Typical staff mistakes each get an error naming file, line and field — and no site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_build
from helpers import edit, line_of
from variants import TEA

from gongshi.content.load import load_site
from gongshi.errors import ContentError, ContentErrors

PLAN = "content/plans/2025.yml"


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
        ("480万元", "不要写单位"),
        ("４８０", "全角"),
        ("-480", "负数"),
        ("四百八十", "应为数字"),
    ],
)
def test_bad_amount(project, written, words):
    edit(project, TEA, "investment: 480", f"investment: {written}")
    error = only_error(project)
    assert (error.file, error.field) == (TEA, "investment")
    assert error.line == line_of(project, TEA, "investment:")
    assert words in error.message_zh
    assert error.message_en


def test_unit_suffix_error_suggests_the_number(project):
    edit(project, TEA, "investment: 480", "investment: 480万元")
    assert "请改为：480" in only_error(project).message_zh


def test_missing_required_field(project):
    edit(project, TEA, "title: 青山镇茶叶加工厂建设项目\n", "")
    error = only_error(project)
    assert (error.file, error.field) == (TEA, "title")
    assert "缺少必填字段" in error.message_zh and "missing" in error.message_en


def test_misspelt_field_name_suggests_the_right_one(project):
    edit(project, TEA, "title:", "titel:")
    errors = errors_of(project)
    unknown = next(e for e in errors if e.field == "titel")
    assert unknown.line == line_of(project, TEA, "titel:")
    assert "title" in unknown.hint


def test_unknown_category(project):
    edit(project, TEA, "category: industry", "category: industries")
    error = only_error(project)
    assert (error.field, error.line) == ("category", line_of(project, TEA, "category:"))
    assert "类别不存在" in error.message_zh
    assert "industry`" in error.hint


def test_unknown_unit(project):
    edit(project, TEA, "responsible_units: [县农业农村局]", "responsible_units: [县农业农村厅]")
    error = only_error(project)
    assert error.field == "responsible_units[0]"
    assert error.line == line_of(project, TEA, "responsible_units:")
    assert "县农业农村局" in error.hint


def test_unknown_village_suggests_same_township(project):
    edit(project, TEA, "- 青山镇红岩村", "- 青山镇红言村")
    error = only_error(project)
    assert error.field == "beneficiaries.asset_villages[1]"
    assert error.line == line_of(project, TEA, "青山镇红言村")
    assert "青山镇红岩村" in error.hint


def test_duplicate_id(project):
    source = project / TEA
    (project / "content/projects/06-copy.md").write_text(
        source.read_text(encoding="utf-8").replace('number: "1"', 'number: "6"'), encoding="utf-8"
    )
    errors = errors_of(project)
    duplicate = next(e for e in errors if e.field == "id")
    assert duplicate.file == "content/projects/06-copy.md"
    assert "编号重复" in duplicate.message_zh and TEA in duplicate.hint


def test_tab_in_yaml(project):
    edit(project, TEA, "  - source: central-2025", "\t- source: central-2025")
    error = only_error(project)
    assert error.line == line_of(project, TEA, "source: central-2025")
    assert "制表符" in error.message_zh


def test_bad_indentation(project):
    edit(project, TEA, "    amount: 480", "      amount: 480")
    error = only_error(project)
    assert error.file == TEA
    assert "YAML" in error.message_zh
    assert abs(error.line - line_of(project, TEA, "amount: 480")) <= 1


def test_gbk_file(project):
    path = project / TEA
    first_chinese = line_of(project, TEA, "title:")
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    error = only_error(project)
    assert error.file == TEA and error.line == first_chinese
    assert "UTF-8" in error.message_zh and "GBK" in error.found


def test_front_matter_not_closed(project):
    path = project / TEA
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    path.write_text(head + "\n" + body, encoding="utf-8")
    error = only_error(project)
    assert error.file == TEA
    assert "---" in error.message_zh


def test_all_errors_reported_at_once(project):
    training = "content/projects/05-skills-training.md"
    edit(project, TEA, "investment: 480", "investment: 480万元")
    edit(project, training, "responsible_units: [县人社局]", "responsible_units: [县人社厅]")
    edit(project, PLAN, "date: 2025-03-18", "date: 2025-02-30")
    files = {e.file for e in errors_of(project)}
    assert files == {TEA, training, PLAN}


def test_hostile_yaml_is_refused(project):
    edit(project, TEA, "title: 青山镇茶叶加工厂建设项目", "title: !!python/object/apply:os.system [echo hi]")
    error = only_error(project)
    assert error.field == "title" and "标签" in error.message_zh


def test_alias_bomb_is_refused(project):
    bomb = "\n".join(
        ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    )
    edit(project, TEA, "status: 实施中\n", "status: 实施中\n" + bomb + "\n")
    error = only_error(project)
    assert "过大" in error.message_zh


def test_check_command_exit_codes(project):
    ok = subprocess.run(
        [sys.executable, "-m", "gongshi", "check", "--content", str(project / "content")],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    edit(project, TEA, "investment: 480", "investment: 480万元")
    bad = subprocess.run(
        [sys.executable, "-m", "gongshi", "check", "--content", str(project / "content")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert f"{TEA}:{line_of(project, TEA, 'investment:')}" in bad.stderr
    assert "investment" in bad.stderr


def test_build_fails_with_the_same_message_and_no_site(project):
    edit(project, TEA, "- 青山镇红岩村", "- 青山镇红言村")
    result = run_build(project)
    assert result.returncode != 0
    assert TEA in result.stderr and "青山镇红岩村" in result.stderr
    assert not (project / "site").exists()
