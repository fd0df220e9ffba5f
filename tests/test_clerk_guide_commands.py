"""Every command in the staff guide (the ```sh blocks of the guide pages, as this repository's site shows them)
runs as written, on a copy of this repository: a guide whose commands fail is a guide a clerk cannot follow."""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

PARTS = ("Makefile", "mkdocs.yml", "pyproject.toml", "content", "docs", "templates", "requirements")
GUIDE = ROOT / "templates" / "pages" / "standard" / "guide"  # the guide's pages are templates of the site
# The order a clerk meets them; `gongshi new` last, as it leaves a record to fill in.
PAGES = ("preview.md", "excel.md", "photos.md", "progress.md", "edit.md")


@functools.cache
def _renderer():
    from gongshi.content.load import load_site
    from gongshi.web.plugin import make_renderer

    return make_renderer(load_site(ROOT / "content", ROOT), ROOT / "templates")


def guide_commands(page: str) -> list[str]:
    """The commands of a guide page as the site shows it (examples filled in from this site's content)."""
    text = str(_renderer().render(f"standard/guide/{page}.j2", f"guide/{page}").content)
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command:
                commands.append(command)
    return commands


# 开始一个县 makes a new repository from nothing (gongshi init, places from npm and PyPI, the county's table imported):
# tests/test_init.py, and tests/test_day_one.py, which runs the README's commands for a new county (the same).
# 门户、村里转发、彝文和村的坐标 reads a file from a field visit (`gongshi places coordinates 走访.kml` and with
# --write): tests/test_reach.py runs both forms on KML, GPX and CSV files of the fixture county's villages.
ELSEWHERE = {"start.md", "reach.md"}


def test_every_guide_page_is_covered() -> None:
    pages = {p.name.removesuffix(".j2") for p in GUIDE.glob("*.md.j2")} - ELSEWHERE
    with_commands = {page for page in pages if guide_commands(page)}
    assert with_commands <= set(PAGES), with_commands - set(PAGES)
    assert {"edit.md", "excel.md", "photos.md", "preview.md"} <= with_commands


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("guide") / "repo"
    repo.mkdir()
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, repo / part)
        else:
            shutil.copy2(source, repo / part)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    return repo


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_serve(repo: Path, command: str, env: dict[str, str]) -> None:
    """A preview command serves the site; it runs until stopped, so it is stopped once it answers."""
    port = free_port()
    server = subprocess.Popen(
        f"{command} SERVE_ADDR=127.0.0.1:{port}",
        shell=True,
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                    assert response.status == 200
                    return
            except OSError:
                assert server.poll() is None, f"{command} stopped"
                time.sleep(1)
        raise AssertionError(f"{command} did not serve within 180 s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.parametrize("page", PAGES)
def test_guide_commands_run(repo: Path, page: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | {"NO_MKDOCS_2_WARNING": "1"}
    for command in guide_commands(page):
        if command.startswith("make serve"):
            run_serve(repo, command, env)
            continue
        result = subprocess.run(command, shell=True, cwd=repo, capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == 0, (page, command, result.stdout[-2000:], result.stderr[-2000:])
