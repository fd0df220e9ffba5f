"""A site started from a copy of another county's repository counts only its own commits."""

from __future__ import annotations

import subprocess
from pathlib import Path

from second_county import make_county

from gongshi.content.history import read_history


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=folder, check=True,
        capture_output=True, timeout=60,
    )  # fmt: skip


def test_history_starts_where_site_yml_names_this_county(tmp_path: Path) -> None:
    folder = make_county(tmp_path / "repo")
    content = folder / "content"
    site = (content / "site.yml").read_text(encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    # The copied repository: another county's settings and a record of its own.
    (content / "site.yml").write_text(site.replace("马边彝族自治县", "别的县"), encoding="utf-8")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "别的县的记录")
    # This county takes the repository over: its own name, one record removed, one changed.
    (content / "site.yml").write_text(site, encoding="utf-8")
    (content / "projects" / "02-road-b.md").unlink()
    record = content / "projects" / "01-road-a.md"
    record.write_text(
        record.read_text(encoding="utf-8").replace("硬化产业路 3 公里", "硬化产业路 4 公里"), encoding="utf-8"
    )
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "本县的第一次提交")
    history = read_history(content)
    assert history.available
    assert {c.message for c in history.changes} == {"本县的第一次提交"}, "the other county's commit is not counted"
    # A later change of site.yml that keeps the county keeps the history.
    (content / "site.yml").write_text(site + "\nnotice_days: 10\n", encoding="utf-8")
    git(folder, "commit", "-q", "-am", "公示期")
    assert {c.message for c in read_history(content).changes} == {"本县的第一次提交"}
