"""Generated counties (tests/generated_county.py): for each, `gongshi check` and a real `mkdocs build --strict`,
then the rules of 原文件未列明 that hold for any county, on every public page, text and download.

CI runs GONGSHI_GENERATED_EXAMPLES examples (default 8: a build takes 10–20 s here, as `gongshi check` renders every page too) with a fixed seed; a long run:
`GONGSHI_GENERATED_EXAMPLES=1000 .venv/bin/python -m pytest tests/test_generated_counties.py`. A failure prints
the shrunk county as YAML (hypothesis.note) and a reproduction blob (@reproduce_failure); see the README, "Generated counties"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from conftest import run_build
from generated_county import Spec, as_yaml, counties
from hypothesis import HealthCheck, given, note, settings
from site_text import (
    doubled_words,
    download_problems,
    invented_zeros,
    leaks,
    public_pages,
    read_page,
    table_totals,
    texts,
    unstated_misplaced,
)
from tiny_county import git, make_project

from gongshi.content.unstated import NOT_STATED
from gongshi.money import wan_text

EXAMPLES = int(os.environ.get("GONGSHI_GENERATED_EXAMPLES", "8"))
GONGSHI = Path(sys.executable).parent / "gongshi"


COMMITTED = "2026-12-01T10:00:00+08:00"
"""When the generated content is committed: a county's content lives in git, and its own date (the latest
commit, gongshi/content/figures.py content_date) is after every generated date."""


def write_county(dest: Path, county: dict) -> Path:
    """A buildable project folder holding the county, committed to git as a county's repository is."""
    project = make_project(dest, county)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Generated county", when=COMMITTED)
    return project


def check(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(GONGSHI), "check"], cwd=project, capture_output=True, text=True, timeout=600)


def plan_total_problems(site: Path, spec: Spec, county: dict) -> list[str]:
    """On each plan's page, each category's projects' investments are totalled as the data says: the sum of the
    stated ones, and, where some are not stated, a total that says so."""
    problems = []
    for pid in spec.plans:
        page = site / "plans" / pid / "index.html"
        if not page.exists():
            problems.append(f"no page for plan {pid}")
            continue
        parsed = read_page(page)
        rows = [" ".join(r) for t in parsed.tables for r in t.rows if r and r[0].startswith("合计")]
        plan = county[f"content/plans/{pid}.yml"]
        for category in plan["categories"]:
            inside = [
                r["investment"]
                for r in county.values()
                if isinstance(r, dict) and r.get("plan") == pid and r.get("category") == category["id"]
            ]
            if not inside:
                continue
            known = [v for v in inside if v != NOT_STATED]
            total = wan_text(sum(known, Decimal(0)))
            if len(known) == len(inside):
                ok = any(total in r.split() or f"{total} 万元" in r for r in rows)
            elif known:
                ok = any(total in r and "未列明" in r for r in rows)
            else:
                ok = any(NOT_STATED in r or "未列明" in r for r in rows)
            if not ok:
                problems.append(
                    f"plans/{pid}/: category {category['id']}: investments {[str(v) for v in inside]} — expected a "
                    f"合计 row with {total}{' and 未列明' if len(known) < len(inside) else ''}; 合计 rows: {rows}"
                )
    return problems


def _covers(text: str, values: list) -> bool:
    """The text shows the total of the stated values, and says so where some are not stated."""
    known = [v for v in values if v != NOT_STATED]
    total = wan_text(sum(known, Decimal(0)))
    if len(known) == len(values):
        return total in text.split() or f"{total} 万元" in text
    if known:
        return total in text and "未列明" in text
    return "未列明" in text


def plan_of(record: dict) -> str:
    return record.get("plan", "")


def category_of(record: dict) -> tuple[str, str]:
    return record.get("plan", ""), record.get("category", "")


def county_total_problems(site: Path, spec: Spec, county: dict) -> list[str]:
    """The plan page's 项目投资合计 (where it has one) and the project list's 合计 row: the sum of the stated
    investments of the plan's or county's projects, saying so where some are not stated."""
    problems = []
    everything = [r["investment"] for r in county.values() if isinstance(r, dict) and "investment" in r]
    for pid in spec.plans:
        page = site / "plans" / pid / "index.html"
        if not page.exists():
            continue
        text = read_page(page).text
        mine = [r["investment"] for r in county.values() if isinstance(r, dict) and r.get("plan") == pid]
        at = text.find("项目投资合计")
        if mine and at >= 0 and not _covers(text[at : at + 80], mine):
            problems.append(f"plans/{pid}/: {text[at : at + 80]!r} for investments {[str(v) for v in mine]}")
    listing = site / "projects" / "index.html"
    if everything and listing.exists():
        # The list is grouped (by plan, then category): each 合计 row covers the whole list or one group of it.
        records = [r for r in county.values() if isinstance(r, dict) and "investment" in r]
        groups = [everything] + [
            [r["investment"] for r in records if key(r) == k]
            for key in (plan_of, category_of)
            for k in {key(r) for r in records}
        ]
        rows = [" ".join(r) for t in read_page(listing).tables for r in t.rows if r and r[0].startswith("合计")]
        if rows and not all(any(_covers(r, g) for g in groups) for r in rows):
            problems.append(f"projects/: 合计 rows {rows} for investments {[str(v) for v in everything]}")
    return problems


def site_problems(site: Path, spec: Spec, county: dict) -> list[str]:
    problems: list[str] = []
    for path in public_pages(site):
        where = path.relative_to(site).as_posix()
        page = read_page(path)
        text = page.text
        problems += [f"{where}: {NOT_STATED} inside a sentence: {t!r}" for t in unstated_misplaced(page)]
        problems += [f"{where}: invented zero: {t!r}" for t in invented_zeros(text)]
        problems += [f"{where}: internal name in visible text: {w!r}" for w in leaks(text, spec.ids)]
        problems += [f"{where}: doubled word: {w!r}" for w in doubled_words(text)]
        problems += [f"{where}: {p}" for p in table_totals(page)]
    for path in texts(site):
        where = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".txt" and NOT_STATED in text:
            line = next(line for line in text.splitlines() if NOT_STATED in line)
            problems.append(f"{where}: {NOT_STATED} in a text message or broadcast script: {line!r}")
        problems += [f"{where}: invented zero: {t!r}" for t in invented_zeros(text)]
        if path.suffix == ".txt":
            problems += [f"{where}: doubled word: {w!r}" for w in doubled_words(text)]
            problems += [f"{where}: internal name: {w!r}" for w in leaks(text, spec.ids)]
    problems += download_problems(site)
    problems += plan_total_problems(site, spec, county)
    problems += county_total_problems(site, spec, county)
    return problems


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    report_multiple_bugs=False,  # the first bug, shrunk: a run stays within minutes even while many remain
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(counties())
def test_any_valid_county_builds_and_never_invents_a_stated_value(generated: tuple[dict, Spec]) -> None:
    county, spec = generated
    note(f"county:\n{as_yaml(county)}")
    with tempfile.TemporaryDirectory(prefix="gongshi-generated-") as tmp:
        project = write_county(Path(tmp) / "project", county)
        checked = check(project)
        built = run_build(project)
        note(f"gongshi check → {checked.returncode}\n{checked.stdout[-4000:]}{checked.stderr[-4000:]}")
        note(f"mkdocs build → {built.returncode}\n{built.stderr[-6000:]}")
        assert (checked.returncode == 0) == (built.returncode == 0), "check and build disagree"
        assert checked.returncode == 0, "a valid county fails gongshi check"
        assert built.returncode == 0, "a valid county fails the build"
        problems = site_problems(project / "site", spec, county)
        shutil.rmtree(project / "site", ignore_errors=True)
    assert not problems, "\n".join(problems[:40])
