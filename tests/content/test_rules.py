"""The content rules hold for the test county and its progress variant (so they are not shaped by one
county's figures), and each one fails when what it guards is broken."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_project
from helpers import edit
from records import Records, fixture
from rules import RULES, all_problems
from variants import TEA, add_front_matter

PLAN = "content/plans/2025.yml"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_every_rule_holds_for_the_test_county(rule, built_site: Path):
    assert rule(fixture(), built_site) == []


def test_every_rule_holds_for_the_progress_variant(progress_site: Path):
    assert all_problems(Records(progress_site.parent / "content"), progress_site) == {}


@pytest.fixture
def copied(built_site: Path, tmp_path: Path) -> tuple[Records, Path]:
    """The test county's content and its built site, copied so that a test may break them."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(built_site, project / "site")
    return Records(project / "content"), project / "site"


def broken(records: Records, site: Path) -> set[str]:
    return set(all_problems(Records(records.content), site))


def test_a_total_that_no_longer_adds_up(copied):
    records, site = copied
    project = records.content.parent
    edit(project, TEA, "investment: 480", "investment: 470")
    assert broken(records, site) >= {"totals_reconcile"}
    edit(project, TEA, "    amount: 480", "    amount: 470")
    edit(project, PLAN, "amount: 800.456789", "amount: 790.456789")
    assert "totals_reconcile" in broken(records, site)  # the plan total and the fund source still say 480 more


def test_a_wrong_dividend(copied):
    records, site = copied
    add_front_matter(records.content.parent, TEA, "dividend:\n  rate_percent: 3\n  annual: 15\n")
    assert "totals_reconcile" in broken(records, site)


def test_an_undisclosed_count(copied):
    records, site = copied
    (category,) = [c for c in records.plans[0]["categories"] if c.get("discrepancies")]
    (note,) = category["discrepancies"]
    text = f"    discrepancies:\n      - check: {note['check']}\n        note: {note['note']}\n"
    edit(records.content.parent, PLAN, text, "")
    assert broken(records, site) == {"totals_reconcile"}


def test_a_disclosure_not_published(copied):
    records, site = copied
    (category,) = [c for c in records.plans[0]["categories"] if c.get("discrepancies")]
    page = site / "plans" / "2025" / category["id"] / "index.html"
    page.write_text(page.read_text("utf-8").replace(category["discrepancies"][0]["note"], "（略）"), "utf-8")
    assert broken(records, site) == {"disclosures_are_shown"}


def test_a_record_missing_from_its_page(copied):
    records, site = copied
    page = site / "projects" / "water-supply" / "index.html"
    page.write_text(page.read_text("utf-8").replace("县水利局", "县水务部门"), "utf-8")
    assert broken(records, site) == {"every_record_on_its_page"}


def test_a_corrected_title_not_yet_on_the_site(copied):
    records, site = copied
    edit(records.content.parent, TEA, "title: 青山镇茶叶加工厂建设项目", "title: 青山镇茶叶加工厂新建项目")
    assert broken(records, site) >= {"every_record_on_its_page", "every_record_in_every_download"}


def test_a_record_missing_from_a_list(copied):
    records, site = copied
    page = site / "units" / "agriculture" / "index.html"
    page.write_text(re.sub(r'<a href="[./]*projects/mushroom-base/">', "<a>", page.read_text("utf-8")), "utf-8")
    assert broken(records, site) == {"every_record_in_its_lists"}


def test_a_record_missing_from_a_download(copied):
    records, site = copied
    path = site / "data" / "projects.csv"
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r for r in rows if "skills-training" not in r])
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    assert broken(records, site) == {"every_record_in_every_download"}


def test_a_wrong_amount_in_a_download(copied):
    records, site = copied
    path = site / "projects" / "mushroom-base.json"
    path.write_text(path.read_text("utf-8").replace("320.456789", "320.45679"), "utf-8")
    assert broken(records, site) == {"every_record_in_every_download"}


def test_a_wrong_total_on_the_home_page(copied):
    records, site = copied
    page = site / "index.html"
    page.write_text(page.read_text("utf-8").replace("1,276.456789", "1,276.46"), "utf-8")
    assert broken(records, site) == {"totals_on_the_pages"}


def test_an_invented_page(copied):
    records, site = copied
    shutil.copytree(site / "projects" / "tea-processing", site / "projects" / "tea-processing-2")
    assert "nothing_invented" in broken(records, site)


def test_a_deleted_record_whose_page_stayed(copied):
    records, site = copied
    (records.content / "projects" / "05-skills-training.md").unlink()
    assert "nothing_invented" in broken(records, site)
