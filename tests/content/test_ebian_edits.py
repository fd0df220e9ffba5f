"""A county clerk's valid edits to Ebian's records — a new project with the plan lines the guide says to update,
a progress report, and a corrected title — pass `gongshi check`, build, and keep every content rule and the
document check green (issue 16, scenario 1). The edits (clerk.py) apply to whatever the records say today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from clerk import add_progress_report, add_project, rewrite_record
from conftest import build_ok, copy_ebian
from links import broken_links
from records import Records
from rules import all_problems
from source_document import contradictions

TYPO = "峨边城区学校食堂改造项"  # as first written, the last character missing
TITLE = "峨边城区学校食堂改造项目"


def check(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongshi", "check"], cwd=project, capture_output=True, text=True, timeout=300
    )


def test_a_new_project_a_progress_report_and_a_title_fix_keep_everything_green(tmp_path: Path):
    project = copy_ebian(tmp_path / "project")
    content = project / "content"
    count = len(Records(content).projects)

    # 1. A new project, and the plan's category, fund source and total lines updated to include it.
    new = add_project(content, TYPO)
    result = check(project)
    assert result.returncode == 0, result.stderr
    assert f"{count + 1} 个项目" in result.stdout

    # 2. A progress report on an existing project.
    reported = add_progress_report(content)
    assert check(project).returncode == 0

    # 3. The new project's title corrected.
    rewrite_record(new, lambda data: data.update(title=TITLE))
    assert check(project).returncode == 0

    site = build_ok(project)
    after = Records(content)
    assert all_problems(after, site) == {}  # incl. the progress report on its page, the new project everywhere
    assert contradictions(after, content / "sources/ebian/2025-plan-document.txt") == []
    assert broken_links(site) == []
    assert after.project(reported)["progress"][-1]["note"] in (site / "projects" / reported / "index.html").read_text(
        encoding="utf-8"
    )
    # The corrected title replaced the first one everywhere: pages, search index, downloads.
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".csv", ".xml"):
            text = path.read_text(encoding="utf-8-sig")
            assert TYPO not in text.replace(TITLE, ""), path.relative_to(site)
    new_id = next(pid for pid, file in after.files.items() if file == new)
    assert TITLE in (site / "projects" / new_id / "index.html").read_text(encoding="utf-8")
