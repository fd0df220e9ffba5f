"""`gongshi check` and the build agree: for every purpose-made county, check passes exactly when the site builds;
and a fault of the generator (here a county's own page template that fails on one record) stops both with the
same clear message naming the page family, the record and the template line, with no Python traceback unless
asked for, and `make site` (gongshi.staff.publish) keeps the previous site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from agreement import agree, check_and_build, explain, run_check
from clerk_county import make_county as clerk_county
from conftest import ROOT, SHARED_PARTS, copy_project, run_build
from lifecycle_county import lifecycle_project
from second_county import make_county as second_county
from tiny_county import data, make_project

UNSTATED = "原文件未列明"


def _clerk(dest: Path) -> Path:
    clerk_county(dest)
    for part in SHARED_PARTS:
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, dest / part)
    return dest


def _tiny_unstated(dest: Path) -> Path:
    """The tiny county with the fields the brief of issue 22 names left unstated."""
    county = data()
    county["content/places.yml"]["townships"][0]["code"] = UNSTATED
    county["content/places.yml"]["townships"][0]["id"] = "jia"
    county["content/plans/2025.yml"]["categories"][1]["amount"] = UNSTATED
    county["content/plans/2025.yml"]["categories"][0]["name"] = UNSTATED
    county["content/projects/01-park.md"]["title"] = UNSTATED
    county["content/projects/02-school.md"]["investment"] = UNSTATED
    county["content/projects/02-school.md"]["funding"][0]["amount"] = UNSTATED
    return make_project(dest, county)


def _tiny_wrong(dest: Path) -> Path:
    """The tiny county with a content error (a village that is not in places.yml)."""
    county = data()
    county["content/projects/01-park.md"]["places"] = ["甲镇不存在村"]
    return make_project(dest, county)


COUNTIES = {
    "county": lambda dest: copy_project(dest),
    "lifecycle": lambda dest: lifecycle_project(dest),
    "second": lambda dest: second_county(dest),
    "tiny": lambda dest: make_project(dest),
    "tiny-unstated": _tiny_unstated,
    "tiny-content-error": _tiny_wrong,
    "clerk": _clerk,
}


@pytest.mark.parametrize("name", sorted(COUNTIES))
def test_check_passes_exactly_when_the_site_builds(name: str, tmp_path: Path) -> None:
    project = COUNTIES[name](tmp_path / name)
    check, build = check_and_build(project)
    assert agree(check, build), explain(check, build)
    for result in (check, build):
        assert "Traceback" not in result.stderr, explain(check, build)
    if name == "tiny-content-error":
        assert check.returncode != 0  # the agreement is not vacuous: content errors stop both
    assert check.written == [], "gongshi check wrote files"
    if check.returncode == 0:
        assert "none written" in check.stdout


# The fault: a county's own copy of the project page template fails on one record (a filter given a wrong type).
FAULTY = "school"  # content/projects/02-school.md
FAULT_LINE = f'{{% if project.id == "{FAULTY}" %}}{{{{ project.title | round }}}}{{% endif %}}\n'


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The tiny county with a working site published by `make site`, then its template broken: (folder, line)."""
    project = make_project(tmp_path_factory.mktemp("faulty") / "project")
    done = _publish(project)
    assert done.returncode == 0, done.stderr
    template = project / "templates" / "pages" / "project.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, FAULT_LINE)
    template.write_text("".join(lines), encoding="utf-8")
    return project, 4


def _publish(project: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "GONGSHI_DEBUG")}
    environment.update(NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "gongshi.staff.publish"],
        cwd=project,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )


def _names_the_fault(output: str, line: int) -> None:
    assert "生成器的错误" in output and "generator fault" in output
    assert "不是内容的错误" in output and "not of the content" in output
    assert "`core`" in output  # the page family
    assert "content/projects/02-school.md" in output  # the record
    assert f"projects/{FAULTY}.md" in output  # the page
    assert f"templates/pages/project.md.j2:{line}（本县改写的模板" in output  # the template line, the county's own
    assert "TypeError" in output


def test_a_generator_fault_fails_check_and_build_with_the_same_clear_message(faulty) -> None:
    project, line = faulty
    check, build = check_and_build(project, site_dir=project / "site-try")
    assert check.returncode == 1 and build.returncode != 0, explain(check, build)
    _names_the_fault(check.stderr, line)
    _names_the_fault(build.stderr, line)
    for output in (check.stderr, build.stderr):
        assert "Traceback" not in output
        assert "GONGSHI_DEBUG=1" in output and "--debug" in output  # how to see more
    assert not (project / "site-try" / "index.html").exists()


def test_the_debug_switch_shows_the_traceback(faulty) -> None:
    project, line = faulty
    check = run_check(project, "--debug")
    build = run_build(project, project / "site-debug", env={"GONGSHI_DEBUG": "1"})
    for output in (check.stderr, build.stderr):
        _names_the_fault(output, line)
        assert "Traceback (most recent call last)" in output
        assert 'File "' in output and "project.md.j2" in output


def test_fast_check_skips_the_page_families(faulty) -> None:
    project, _ = faulty
    fast = run_check(project, "--fast")
    assert fast.returncode == 0, fast.stderr
    assert "--fast" in fast.stdout


def test_make_site_keeps_the_previous_site(faulty) -> None:
    project, line = faulty
    site = project / "site"
    before = os.readlink(site)
    page = (site / "projects" / FAULTY / "index.html").read_bytes()
    done = _publish(project)
    assert done.returncode != 0
    _names_the_fault(done.stderr, line)
    assert "Traceback" not in done.stderr
    assert "原来的网站未改动" in done.stderr
    assert os.readlink(site) == before
    assert (site / "projects" / FAULTY / "index.html").read_bytes() == page


def test_the_pull_request_check_annotates_the_record(faulty) -> None:
    project, _ = faulty
    check = run_check(project, "--format", "github")
    assert check.returncode == 1
    assert check.stdout.startswith("::error file=content/projects/02-school.md,title=生成器的错误")


def test_check_of_a_large_site_runs_the_families_in_workers_and_names_the_record(tmp_path: Path) -> None:
    """From PARALLEL_MIN_PROJECTS projects the families run in forked workers: a fault is told the same way."""
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    from gongshi.web.fault import PARALLEL_MIN_PROJECTS

    project = generate(tmp_path / "large", PARALLEL_MIN_PROJECTS)
    fine = run_check(project)
    assert fine.returncode == 0, fine.stderr
    assert f"{PARALLEL_MIN_PROJECTS} 个项目" in fine.stdout and "none written" in fine.stdout
    template = project / "templates" / "pages" / "project.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, FAULT_LINE.replace(FAULTY, "p00042"))
    template.write_text("".join(lines), encoding="utf-8")
    for args, traceback in (((), False), (("--debug",), True)):
        check = run_check(project, *args)
        assert check.returncode == 1
        assert "生成器的错误" in check.stderr and "`core`" in check.stderr
        assert "content/projects/p00042.md" in check.stderr
        assert "templates/pages/project.md.j2:4" in check.stderr
        assert ("Traceback (most recent call last)" in check.stderr) == traceback


def test_the_preview_shows_the_fault_and_then_the_site(tmp_path: Path) -> None:
    from test_clerk_serve import fetch, free_port

    project = make_project(tmp_path / "project")
    template = project / "templates" / "pages" / "project.md.j2"
    good = template.read_text(encoding="utf-8")
    lines = good.splitlines(keepends=True)
    lines.insert(3, FAULT_LINE)
    template.write_text("".join(lines), encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "GONGSHI_DEBUG")}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env | {"NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        page = fetch(f"http://127.0.0.1:{port}/", "生成器的错误")
        assert "content/projects/02-school.md" in page and "`core`" in page and "Traceback" not in page
        assert "livereload" in page  # the page reloads once the template is fixed
        template.write_text(good, encoding="utf-8")
        title = data()["content/projects/02-school.md"]["title"]
        page = fetch(f"http://127.0.0.1:{port}/projects/{FAULTY}/", title)
        assert "生成器的错误" not in page
    finally:
        server.terminate()
        server.wait(timeout=30)
