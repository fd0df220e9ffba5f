"""The content workflow of .github/workflows/pr.yml is green for a clerk's valid edits, on a copy of this
repository: a new project (with the plan lines the check asks for), a progress report and a title fix.
The steps are the workflow's own `run:` lines; the code tests are not part of it (the path filter says so)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from gongshi.content.load import load_site
from gongshi.errors import ContentErrors

PARTS = ("Makefile", "mkdocs.yml", "pyproject.toml", "content", "docs", "templates", "scripts", "tests", "requirements")
GIT = ["git", "-c", "user.name=clerk", "-c", "user.email=clerk@example.org", "-c", "commit.gpgsign=false"]


def workflow_runs(job: str) -> list[str]:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    return [step["run"] for step in data["jobs"][job]["steps"] if "run" in step]


def sh(repo: Path, command: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | {"NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        command, shell=True, cwd=repo, capture_output=True, text=True, env=environment | env, timeout=1200
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding a copy of this one, using this checkout's installed environment."""
    repo = tmp_path_factory.mktemp("clerk") / "repo"
    repo.mkdir()
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, repo / part, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
        else:
            shutil.copy2(source, repo / part)
    (repo / ".venv").symlink_to(ROOT / ".venv")  # timestamps kept: `make install-test` finds it installed
    (repo / ".gitignore").write_text(".venv\nsite/\nsite.tmp/\n.cache/\n", encoding="utf-8")
    subprocess.run([*GIT, "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run([*GIT, "add", "."], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-qm", "base"], cwd=repo, check=True)
    return repo


def commit(repo: Path, message: str) -> None:
    subprocess.run([*GIT, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-qm", message], cwd=repo, check=True)


def errors(repo: Path) -> list:
    try:
        load_site(repo / "content", repo)
    except ContentErrors as exc:
        return exc.errors
    return []


def new_project(repo: Path) -> None:
    """A new project in the first plan's last category, made with `gongshi new`, filled in like an existing
    record of that category; the plan lines are then changed as the check's errors say."""
    site = load_site(repo / "content", repo)
    plan = site.plans[0]
    category = plan.categories[-1]
    model = site.projects_in(plan, category)[0]
    result = sh(
        repo,
        f'.venv/bin/gongshi new --plan "{plan.id}" --category {category.id} --title 新增示例项目 '
        "--investment 150 --id clerk-new-project",
    )
    assert result.returncode == 0, result.stderr
    path = next((repo / "content" / "projects").glob("*clerk-new-project.md"))
    template = (repo / model.source).read_text(encoding="utf-8").split("---\n")[1]
    fields = yaml.safe_load(template)
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nlocation:\n", f"\nlocation: {fields['location']}\n")
    text = text.replace("\nresponsible_units: []\n", f"\nresponsible_units: [{fields['responsible_units'][0]}]\n")
    path.write_text(text + "新增示例项目的建设内容。\n", encoding="utf-8")
    found = errors(repo)
    assert found and all(e.file.startswith("content/plans/") for e in found), [e.format() for e in found]
    for error in sorted(found, key=lambda e: -e.line):  # do what each error says, bottom up
        lines = (repo / error.file).read_text(encoding="utf-8").split("\n")
        if error.field == "summary":
            at = next(i for i in range(error.line - 1, len(lines)) if error.found in lines[i])
            lines[at] = lines[at].replace(error.found, error.expected)
        else:  # the clerk's document says what the records sum to: the line the hint gives for that case
            written = re.search(r"原文件中\S+写的是 [^，]+的，把这一行改为 (\w+: [\d.]+)", error.hint)[1]
            key = written.split(":")[0]
            head = lines[error.line - 1].split(f"{key}:")[0]
            lines[error.line - 1] = f"{head}{written}"
        (repo / error.file).write_text("\n".join(lines), encoding="utf-8")


def progress_report(repo: Path) -> None:
    site = load_site(repo / "content", repo)
    project = next(p for p in site.projects if not p.progress)
    path = repo / project.source
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    report = f"progress:\n  - date: {site.plans[0].date.isoformat()}\n    stage: 开工\n    disbursed: 0\n    percent: 5"
    path.write_text(f"{head}\n{report}\n---\n{body}", encoding="utf-8")


def title_fix(repo: Path) -> None:
    site = load_site(repo / "content", repo)
    project = site.projects[0]
    path = repo / project.source
    text = re.sub(r"(?m)^title: .*$", f"title: {project.title}（修订）", path.read_text(encoding="utf-8"), count=1)
    path.write_text(text, encoding="utf-8")


# The runner's Chinese font for the share images; the test machine has it already (.ci/run installs it).
FONT_STEP = "sudo apt-get update -q && sudo apt-get install -y -q --no-install-recommends fonts-noto-cjk"


def test_the_check_job_is_content_only() -> None:
    runs = workflow_runs("content")
    assert runs == [
        "make install-test",
        ".venv/bin/gongshi photos --format github",
        ".venv/bin/gongshi check --format github",
        FONT_STEP,
        "make site",
        "make gates FORMAT=github",
    ]
    assert not any("pytest" in run for run in runs)


def test_valid_clerk_edits_leave_every_content_step_green(repo: Path) -> None:
    for edit, message in ((new_project, "新增项目"), (progress_report, "报告进展"), (title_fix, "修正项目名称")):
        base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
        edit(repo)
        commit(repo, message)
        changed = sh(repo, 'make -s changed-code BASE="$B" HEAD=HEAD', B=base)
        assert changed.stdout.strip() == "code=false", (message, changed.stdout, changed.stderr)  # no code tests
        for command in workflow_runs("content")[1:3]:  # no photo with its position, then the content check
            check = sh(repo, command)
            assert check.returncode == 0, (message, command, check.stdout, check.stderr)
    for command in workflow_runs("content")[3:]:  # the build and the site gates, once, on all three edits
        if command == FONT_STEP:
            continue
        result = sh(repo, command, GONGSHI_CHROMIUM=os.environ.get("GONGSHI_CHROMIUM", ""))
        assert result.returncode == 0, (command, result.stdout[-3000:], result.stderr[-3000:])
    assert (repo / "site" / "projects" / "clerk-new-project" / "index.html").is_file()


def test_a_code_change_runs_the_code_tests(repo: Path) -> None:
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    (repo / "templates" / "clerk.txt").write_text("x", encoding="utf-8")
    commit(repo, "code")
    assert sh(repo, 'make -s changed-code BASE="$B" HEAD=HEAD', B=base).stdout.strip() == "code=true"


def test_a_county_page_change_runs_the_code_tests(repo: Path) -> None:
    """docs/ may carry HTML and files beside the pages (issue 26): a pull request touching only docs/ runs the
    code tests as well as the content steps and the site gates."""
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    (repo / "docs" / "clerk-page.md").write_text("# 县里的页面\n", encoding="utf-8")
    commit(repo, "county page")
    assert sh(repo, 'make -s changed-code BASE="$B" HEAD=HEAD', B=base).stdout.strip() == "code=true"
    (repo / "docs" / "clerk-page.md").unlink()
    commit(repo, "county page removed")


def test_a_content_error_is_an_annotation_on_its_line(repo: Path) -> None:
    site = load_site(repo / "content", repo)
    path = repo / site.projects[0].source
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nlocation: ", "\nlocation：", 1), encoding="utf-8")
    try:
        result = sh(repo, ".venv/bin/gongshi check --format github")
        line = next(i for i, s in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "location：" in s)
        assert result.returncode == 1
        assert f"::error file={site.projects[0].source},line={line}," in result.stdout
        assert "全角冒号" in result.stdout
    finally:
        path.write_text(text, encoding="utf-8")
