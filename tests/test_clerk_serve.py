"""`make serve` with a content error serves a page listing the errors, and the site once they are fixed;
a build prints no warning a clerk would take for an error."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
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


def serve(project: Path) -> tuple[subprocess.Popen, str]:
    """`mkdocs serve` as `make serve` runs it, on a free port; the server and its base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | {"NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    return server, f"http://127.0.0.1:{port}/"


def stylesheets_resolve(base: str, path: str, page: str) -> None:
    """Every stylesheet the page links to is served (the error page is styled like the site)."""
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert links, page[:500]
    for href in links:
        with urllib.request.urlopen(urllib.parse.urljoin(base + path, href), timeout=10) as response:
            assert response.status == 200 and b"{" in response.read()


def test_serve_in_a_new_county_shows_the_error_on_the_page_being_edited(tmp_path: Path) -> None:
    from second_county import PIN, gongshi

    done = gongshi("init", "c", "--county", "样例县", "--programme", "以工代赈资金", "--year", "2025",
                   "--requirement", PIN, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    project = tmp_path / "c"
    assert not (project / "templates").exists()
    plan = project / "content" / "plans" / "2025.yml"
    good = plan.read_text(encoding="utf-8")
    server, base = serve(project)
    try:
        fetch(base + "plans/2025/", "2025")
        plan.write_text(good.replace("year: 2025", "year: 二〇二五"), encoding="utf-8")
        page = fetch(base + "plans/2025/", "内容检查未通过")  # the page being viewed, not a 404
        body = page[page.index("<article") :]
        error = body.index("content/plans/2025.yml:")
        assert error < body.index("网站没有生成"), "the error comes first, before what to do"
        assert "livereload" in page  # reloads by itself once fixed
        stylesheets_resolve(base, "plans/2025/", page)
        plan.write_text(good, encoding="utf-8")
        assert "内容检查未通过" not in fetch(base + "plans/2025/", "2025年")
    finally:
        server.terminate()
        server.wait(timeout=30)
