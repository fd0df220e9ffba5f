"""`gongshi check` and the build agree: run both on a project folder (real commands, nothing mocked).

check, build = check_and_build(project)
assert agree(check, build), explain(check, build)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import run_build


def run_check(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`gongshi check` in the project folder, as staff run it (`make check`)."""
    environment = {k: v for k, v in os.environ.items() if k != "GONGSHI_DEBUG"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "gongshi", "check", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )


def check_and_build(
    project: Path, site_dir: Path | None = None, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    """`gongshi check` then `mkdocs build --strict` of the same folder: (check result, build result).
    The check result's `written` lists the files the check created or changed (it should write none)."""
    environment = {"GONGSHI_DEBUG": "", **(env or {})}
    before = _files(project)
    check = run_check(project, env=environment)
    after = _files(project)
    check.written = sorted(path for path, stamp in after.items() if before.get(path) != stamp)  # type: ignore[attr-defined]
    return check, run_build(project, site_dir, env=environment)


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under folder with its size and modification time."""
    out = {}
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            out[path.relative_to(folder).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return out


def agree(check: subprocess.CompletedProcess, build: subprocess.CompletedProcess) -> bool:
    """Content that checks builds, and content that does not check does not build."""
    return (check.returncode == 0) == (build.returncode == 0)


def explain(check: subprocess.CompletedProcess, build: subprocess.CompletedProcess) -> str:
    return (
        f"gongshi check exited {check.returncode}, mkdocs build exited {build.returncode}\n"
        f"--- check:\n{check.stdout}{check.stderr}\n--- build (end):\n{build.stderr[-4000:]}"
    )
