"""`gongshi new`: a blank record that explains itself, passes `gongshi check` once filled, and never overwrites."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from records import fixture

from gongshi.content.model import Project

RECORDS = fixture()

# A second plan written for these tests, so the new record's totals have a plan of their own to add up to.
PLAN_2026 = """\
id: "2026"
title: 测试县2026年东西部协作项目实施方案
issuer: 测试县人民政府办公室
date: 2026-03-01
year: 2026
total: 80.5
funding:
  - id: east-west-2026
    name: 2026年东西部协作资金
    amount: 80.5
categories:
  - id: livelihood
    name: 民生改善
    amount: 80.5
    count: 1
"""


def gongshi(project: Path, *args: str, answers: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongshi", *args],
        cwd=project,
        capture_output=True,
        text=True,
        input=answers if answers is not None else "",
        timeout=300,
    )


def fill(path: Path, replacements: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def test_new_record_from_options_passes_check_once_filled(project: Path) -> None:
    (project / "content" / "plans" / "2026.yml").write_text(PLAN_2026, encoding="utf-8")
    result = gongshi(
        project,
        "new",
        "--plan",
        "2026",
        "--category",
        "livelihood",
        "--title",
        "测试村道路硬化项目",
        "--investment",
        "80.5",
        "--id",
        "test-village-road",
    )
    assert result.returncode == 0, result.stderr
    path = project / "content" / "projects" / "01-test-village-road.md"
    text = path.read_text(encoding="utf-8")
    # Every field of the model is present (as a field or, for optional groups, a commented example) and explained.
    front = text.split("---\n")[1]
    for name in Project.model_fields:
        if name in ("body", "source") or name.endswith("_ii") or name == "translation":
            continue  # the body, the file's path; Yi versions are added by whoever has a reviewed translation
        assert f"\n{name}:" in "\n" + front, name
    assert "（必填）" in text and "（选填）" in text and "例：" in text
    assert 'title: "测试村道路硬化项目"' in text and "investment: 80.5" in text and "amount: 80.5" in text

    # The essentials given, check still asks for the two fields only a person can know.
    check = gongshi(project, "check")
    assert check.returncode == 1
    assert "location" in check.stderr and "responsible_units" in check.stderr
    fill(
        path, {"location:\n": "location: 青山镇石门村\n", "responsible_units: []": "responsible_units: [县交通运输局]"}
    )
    check = gongshi(project, "check")
    assert check.returncode == 0, check.stderr
    assert f"2 个计划，{len(RECORDS.projects) + 1} 个项目" in check.stdout


def test_new_record_asks_for_the_essentials(project: Path) -> None:
    result = gongshi(project, "new", answers="2025\nemployment\n测试项目\n12万元\n12\ntest-asked\n")
    assert result.returncode == 0, result.stderr
    # "12万元" is refused with the loader's own advice and the amount asked again.
    assert "不要写单位“万元”" in result.stdout
    # Numbered after the plan's existing projects.
    following = len(RECORDS.of_plan(RECORDS.plan("2025"))) + 1
    text = (project / "content" / "projects" / f"{following:02d}-test-asked.md").read_text(encoding="utf-8")
    assert 'plan: "2025"' in text and "category: employment" in text and "investment: 12\n" in text
    assert f'number: "{following}"' in text and "id: test-asked" in text


def test_new_record_without_answers_fails_check_clearly(project: Path) -> None:
    result = gongshi(project, "new", "--out", "content/projects/blank.md")
    assert result.returncode == 0, result.stderr
    check = gongshi(project, "check")
    assert check.returncode == 1
    assert "Traceback" not in check.stderr
    blank = [line for line in check.stderr.splitlines() if line.startswith("content/projects/blank.md:")]
    fields = {line.split("`")[1] for line in blank}
    assert {"id", "category", "title", "investment", "location", "responsible_units"} <= fields
    assert all(":" in line.split(" ")[0] for line in blank)  # every error names file:line


def test_new_refuses_to_overwrite(project: Path) -> None:
    target = project / "content" / "projects" / "01-tea-processing.md"
    before = target.read_text(encoding="utf-8")
    result = gongshi(
        project,
        "new",
        "--plan",
        "2025",
        "--category",
        "industry",
        "--title",
        "x",
        "--investment",
        "1",
        "--id",
        "x",
        "--out",
        str(target),
    )
    assert result.returncode == 1
    assert "没有覆盖" in result.stderr
    assert target.read_text(encoding="utf-8") == before


def test_new_refuses_an_unknown_category_and_a_chinese_id_before_writing(project: Path) -> None:
    projects = project / "content" / "projects"
    before = sorted(p.name for p in projects.iterdir())
    common = ("new", "--plan", "2025", "--title", "测试项目", "--investment", "10")
    wrong = gongshi(project, *common, "--category", "livelihood", "--id", "test-road")
    assert wrong.returncode == 2
    assert "没有类别“livelihood”" in wrong.stderr and "industry（" in wrong.stderr and "没有写入" in wrong.stderr
    chinese = gongshi(project, *common, "--category", "industry", "--id", "测试道路")
    assert chinese.returncode == 2
    assert "项目编号“测试道路”不能用" in chinese.stderr and "小写英文字母" in chinese.stderr
    assert sorted(p.name for p in projects.iterdir()) == before
    # The category's name is read as its id; asked, a wrong answer is refused and asked again.
    first = RECORDS.plan("2025")["categories"][0]
    asked = gongshi(project, *common, answers=f"民生改善\n{first['name']}\n测试道路\ntest-asked-road\n")
    assert asked.returncode == 0, asked.stderr
    assert "没有类别“民生改善”" in asked.stdout and "项目编号“测试道路”不能用" in asked.stdout
    record = next(projects.glob("*-test-asked-road.md")).read_text(encoding="utf-8")
    assert f"category: {first['id']}\n" in record and "id: test-asked-road\n" in record
