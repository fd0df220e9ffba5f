"""A county clerk's valid edits to Ebian's records — a new project with the plan lines the guide says to update,
a progress report, and a corrected title — pass `gongshi check`, build, and keep every content rule and the
document check green (issue 16, scenario 1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import build_ok, copy_ebian
from helpers import edit
from links import broken_links
from records import Records
from rules import all_problems
from source_document import contradictions
from variants import add_front_matter

PLAN = "content/plans/2025.yml"
PARK = "content/projects/01-maoping-bamboo-park.md"
NEW = "content/projects/12-school-canteen.md"
TYPO = "峨边城区学校食堂改造项"  # as first committed, the last character missing
TITLE = "峨边城区学校食堂改造项目"
NEW_RECORD = f"""---
id: school-canteen
plan: "2025"
number: "12"
category: livelihood
title: {TYPO}
investment: 80
funding:
  - source: east-west-2025
    amount: 80
location: 峨边
responsible_units: [县教育局]
owner_unit: 县教育局
benefit_mechanism: 改善农村学生就餐条件。
targets:
  - indicator: 改造学校食堂
    value: 2
    unit: 个
period: 2025年完成建设任务
deadline: 2025-12-31
status: 计划
---
改造城区学校食堂2个，配套厨房设备。
"""


def check(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongshi", "check"], cwd=project, capture_output=True, text=True, timeout=300
    )


def test_a_new_project_a_progress_report_and_a_title_fix_keep_everything_green(tmp_path: Path):
    project = copy_ebian(tmp_path / "project")
    count = len(Records(project / "content").projects)

    # 1. A new project, and the plan's category, fund source and total lines updated to include it.
    (project / NEW).write_text(NEW_RECORD, encoding="utf-8")
    edit(project, PLAN, "    amount: 1212.310194\n    count: 4\n", "    amount: 1292.310194\n    count: 5\n")
    edit(project, PLAN, "    amount: 3900\n", "    amount: 3980\n")
    edit(project, PLAN, "total: 3952.310194\n", "total: 4032.310194\n")
    edit(
        project,
        PLAN,
        "协作资金3952.310194万元（其中2025年规划资金3900万元",
        "协作资金4032.310194万元（其中2025年规划资金3980万元",
    )
    edit(project, PLAN, "实施6类11个项目", "实施6类12个项目")
    result = check(project)
    assert result.returncode == 0, result.stderr
    assert f"{count + 1} 个项目" in result.stdout

    # 2. A progress report on an existing project.
    edit(project, PARK, "status: 计划\n", "status: 实施中\n")
    add_front_matter(
        project, PARK, "progress:\n  - date: 2025-06-01\n    stage: 开工\n    disbursed: 230\n    percent: 20\n"
    )
    assert check(project).returncode == 0

    # 3. The new project's title corrected.
    edit(project, NEW, f"title: {TYPO}\n", f"title: {TITLE}\n")
    assert check(project).returncode == 0

    site = build_ok(project)
    after = Records(project / "content")
    assert all_problems(after, site) == {}
    assert contradictions(after, project / "content/sources/ebian/2025-plan-document.txt") == []
    assert broken_links(site) == []
    # The corrected title replaced the first one everywhere: pages, search index, downloads.
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".csv", ".xml"):
            text = path.read_text(encoding="utf-8-sig")
            assert TYPO not in text.replace(TITLE, ""), path.relative_to(site)
    assert TITLE in (site / "projects/school-canteen/index.html").read_text(encoding="utf-8")
