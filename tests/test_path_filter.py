"""The path filter of the check workflow (`make changed-code`): a pull request that changes only content/ runs no
code tests, whatever its file names; anything else does, docs/ included (a county's own pages may carry HTML and
files beside them). Run on a real git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "content").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "content" / "site.yml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "templates" / "page.j2").write_text("x\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def changed(repo: Path, edit) -> str:
    base = git(repo, "rev-parse", "HEAD")
    edit(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "edit")
    result = subprocess.run(
        ["make", "-s", "changed-code", f"BASE={base}", "HEAD=HEAD"], cwd=repo, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def write(name: str):
    def edit(repo: Path) -> None:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("x\n", encoding="utf-8")

    return edit


@pytest.mark.parametrize(
    "name",
    ["content/projects/03-新华村产业路.md", "content/photos/项目 照片 1.jpg", 'content/a"b\\c\td.md'],
)
def test_a_content_file_of_any_name_is_content(repo: Path, name: str) -> None:
    assert changed(repo, write(name)) == "code=false"


@pytest.mark.parametrize("name", ["templates/页面.j2", "内容/x.md", "content.md", "gongshi/x.py", "docs/说明.md"])
def test_anything_outside_content_is_code(repo: Path, name: str) -> None:
    assert changed(repo, write(name)) == "code=true"


def test_moving_a_code_file_into_content_is_code(repo: Path) -> None:
    assert changed(repo, lambda r: (r / "templates" / "page.j2").rename(r / "content" / "page.j2")) == "code=true"


def test_an_unknown_base_is_code(repo: Path) -> None:
    result = subprocess.run(
        ["make", "-s", "changed-code", "BASE=1234567", "HEAD=HEAD"], cwd=repo, capture_output=True, text=True
    )
    assert result.stdout.strip() == "code=true"
