"""A county transcribed from a partial table (tests/fixtures/partial): no division codes, no dates, no category
amounts or counts, and three of eight projects without an investment figure. Built once; no page, notice,
text message, loudspeaker script, feed or download may invent a number for what the table leaves out."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, run_build
from records import front_matter, read_yaml
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

from gongshi.content.unstated import NOT_STATED
from gongshi.money import wan_text

CONTENT = ROOT / "tests" / "fixtures" / "partial" / "content"
IDS = {"yunxi", "baisha", "yunxi-shiqiao", "yunxi-zhuyuan", "yunxi-shequ", "baisha-lianhua", "baisha-shuikou"}
IDS |= {"industry", "infrastructure", "linking-2026", "nongye", "jiaotong", "shuiwu", "yunxi-gov", "baisha-gov"}


def records() -> dict[str, dict]:
    """The fixture's project records as written (front matter), by id."""
    out = {}
    for path in sorted((CONTENT / "projects").glob("*.md")):
        data = front_matter(path)
        out[data["id"]] = data
    return out


def investments() -> list[Decimal | str]:
    return [r["investment"] for r in records().values()]


@pytest.fixture(scope="module")
def outcome(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess, subprocess.CompletedProcess]:
    """`gongshi check` and the build, run once for the module (a failure is reported by each test, not rebuilt)."""
    project = copy_project(tmp_path_factory.mktemp("partial") / "project", CONTENT)
    checked = subprocess.run(
        [str(Path(sys.executable).parent / "gongshi"), "check"], cwd=project, capture_output=True, text=True
    )
    return project / "site", checked, run_build(project)


@pytest.fixture
def built(outcome: tuple[Path, subprocess.CompletedProcess, subprocess.CompletedProcess]) -> Path:
    site, checked, result = outcome
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert result.returncode == 0, result.stderr[-6000:]
    return site


def test_the_fixture_is_as_partial_as_it_says() -> None:
    plan = read_yaml(CONTENT / "plans" / "2026.yml")
    assert plan["date"] == NOT_STATED and plan["total"] == NOT_STATED
    assert all(c["amount"] == NOT_STATED and c["count"] == NOT_STATED for c in plan["categories"])
    places = read_yaml(CONTENT / "places.yml")
    assert all(t["code"] == NOT_STATED for t in places["townships"])
    assert all(v["code"] == NOT_STATED for t in places["townships"] for v in t["villages"])
    values = investments()
    assert 6 <= len(values) <= 10 and 0 < values.count(NOT_STATED) < len(values)


def test_no_page_invents_a_number_or_splices_the_marker(built: Path) -> None:
    site = built
    problems = []
    for path in public_pages(site):
        where = path.relative_to(site).as_posix()
        page = read_page(path)
        problems += [f"{where}: {NOT_STATED} inside a sentence: {t!r}" for t in unstated_misplaced(page)]
        problems += [f"{where}: invented zero: {t!r}" for t in invented_zeros(page.text)]
        problems += [f"{where}: internal name: {w!r}" for w in leaks(page.text, IDS)]
        problems += [f"{where}: doubled word: {w!r}" for w in doubled_words(page.text)]
        problems += [f"{where}: {p}" for p in table_totals(page)]
    assert not problems, "\n".join(problems[:40])


def test_texts_feeds_and_downloads_invent_nothing(built: Path) -> None:
    site = built
    problems = download_problems(site)
    for path in texts(site):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(site).as_posix()
        if path.suffix == ".txt" and NOT_STATED in text:
            problems.append(f"{where}: {NOT_STATED} in a message or script")
        problems += [f"{where}: invented zero: {t!r}" for t in invented_zeros(text)]
    assert not problems, "\n".join(problems[:40])


def test_a_project_without_an_investment_has_no_amount_in_its_messages(
    built: Path,
) -> None:
    site = built
    unstated = [pid for pid, r in records().items() if r["investment"] == NOT_STATED]
    assert unstated
    for pid in unstated:
        sms = (site / "projects" / pid / "sms.txt").read_text(encoding="utf-8")
        assert "万元" not in sms and "投资" not in sms, sms
        broadcast = (site / "projects" / pid / "broadcast.txt").read_text(encoding="utf-8")
        assert "万元" not in broadcast, broadcast


def test_the_plan_totals_say_how_much_they_cover(built: Path) -> None:
    """Each category's total on the plan page: the sum of the stated investments, saying that some are not
    stated; computed here from the fixture's records."""
    site = built
    page = read_page(site / "plans" / "2026" / "index.html")
    rows = [" ".join(r) for t in page.tables for r in t.rows if r and r[0].startswith("合计")]
    for category in ("industry", "infrastructure"):
        inside = [r["investment"] for r in records().values() if r["category"] == category]
        known = [v for v in inside if v != NOT_STATED]
        assert len(known) < len(inside)
        total = wan_text(sum(known, Decimal(0)))
        assert any(total in row and "未列明" in row for row in rows), (category, total, rows)
