"""`make serve` with a content error serves a page listing the errors, and the site once they are fixed;
a build prints no warning a clerk would take for an error."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from clerk_county import make_county
from conftest import copy_project, run_build


def county_project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "content")
    make_county(tmp_path / "county")
    shutil.copytree(tmp_path / "county" / "content", project / "content")
    return project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, wanted: str, seconds: float = 120) -> str:
    """The page at url once it contains `wanted` (the server rebuilds in the background)."""
    deadline, text = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                text = response.read().decode("utf-8")
            if wanted in text:
                return text
        except OSError:
            pass
        time.sleep(1)
    raise AssertionError(f"{wanted!r} not served at {url} within {seconds} s; last page: {text[:500]}")


def test_serve_shows_the_errors_and_then_the_site(tmp_path: Path) -> None:
    project = county_project(tmp_path)
    record = project / "content" / "projects" / "02-second-road.md"
    good = record.read_text(encoding="utf-8")
    record.write_text(good.replace("location: 甲镇丙村", "location：甲镇丙村"), encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | {"NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        page = fetch(f"http://127.0.0.1:{port}/", "内容检查未通过")
        assert "content/projects/02-second-road.md:7" in page and "全角冒号" in page
        assert "livereload" in page  # mkdocs serve's reload script: the page reloads after the fix
        record.write_text(good, encoding="utf-8")
        page = fetch(f"http://127.0.0.1:{port}/projects/second-road/", "丙村产业路")
        assert "内容检查未通过" not in page
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_build_prints_no_deprecation_warning(tmp_path: Path) -> None:
    result = run_build(county_project(tmp_path))
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    for word in ("Warning", "WARNING", "deprecated", "Traceback"):
        assert word not in output, output
