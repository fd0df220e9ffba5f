"""Shared fixtures: copies of a project to edit, and real `mkdocs build` runs.

Tests of the generator build the purpose-made test county in tests/fixtures/county (`project`, `built_site`);
only tests/content/ builds the repository's own content (Ebian), and checks it by rules that hold for any
valid edit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "county" / "content"
EBIAN_CONTENT = ROOT / "content"
# What a build reads besides content/: the repository's config, hand-written pages and templates.
SHARED_PARTS = ("mkdocs.yml", "docs", "templates")


def copy_project(dest: Path, content: Path = FIXTURE_CONTENT) -> Path:
    """A buildable project in dest: a county's content/ (the test county unless told otherwise) plus the
    repository's mkdocs.yml, docs/ and templates/."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(content, dest / "content")
    for part in SHARED_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part)
        else:
            shutil.copy2(source, dest / part)
    return dest


def copy_ebian(dest: Path) -> Path:
    """A buildable copy of the repository's own content (Ebian); for tests/content/ only."""
    return copy_project(dest, EBIAN_CONTENT)


def run_build(
    project: Path, site_dir: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run a real `mkdocs build --strict` on a project folder."""
    site_dir = site_dir or project / "site"
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment["NO_MKDOCS_2_WARNING"] = "1"
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )


def build_ok(project: Path, site_dir: Path | None = None) -> Path:
    result = run_build(project, site_dir)
    assert result.returncode == 0, result.stderr
    return site_dir or project / "site"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the test county that a test may edit."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test county's site, built once per test session; the quality gates run on it."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    return build_ok(project)


@pytest.fixture(scope="session")
def progress_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test county with more progress reports, results, camera-sized photos and a promised dividend
    (tests/fixtures/progress, applied by variants.with_progress), built once per session."""
    from variants import with_progress

    project = with_progress(copy_project(tmp_path_factory.mktemp("progress") / "project"))
    return build_ok(project)


@pytest.fixture(scope="session")
def ebian_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own content (Ebian), built once per session; checked by tests/content/ only."""
    return build_ok(copy_ebian(tmp_path_factory.mktemp("ebian") / "project"))


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The test county's built site served over local HTTP."""
    from browser import serve

    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from browser import CHROMIUM_ARGS, chromium_path, require_cjk_font
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        require_cjk_font(chromium)  # no Chinese font: every browser test errors with how to install one
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser context (phone-sized pages use their own)."""
    ctx = browser.new_context(locale="zh-CN")
    yield ctx
    ctx.close()
