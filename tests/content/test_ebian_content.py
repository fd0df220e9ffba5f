"""Ebian's content (the repository's content/) and the site built from it, checked by rules that hold for any
valid edit: `gongshi check` passes, the totals reconcile, every record is on its page, in its lists and in every
download, nothing is invented, the records do not contradict the published plan document, and the site passes
the same quality gates as the test county's. No Ebian figure is written here: a clerk's valid new project,
progress report or corrected title keeps every test green (tests/content/test_ebian_edits.py shows it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml
from browser import serve
from clerk import add_progress_report, add_project, rewrite_record, rewrite_yaml
from conftest import EBIAN_CONTENT, ROOT, build_ok, copy_ebian
from gates import (
    axe_problems,
    facts,
    foreign_resources,
    html_errors,
    load_problems,
    no_javascript_problems,
    phone_problems,
    script_policy_problems,
    wide_problems,
)
from links import broken_links
from records import Records
from rules import RULES
from site_pages import representative_pages
from source_document import contradictions, read_document

RECORDS = Records(EBIAN_CONTENT)
DOCUMENT = EBIAN_CONTENT / "sources" / "ebian" / "2025-plan-document.txt"


def test_gongshi_check_passes():
    result = subprocess.run(
        [sys.executable, "-m", "gongshi", "check", "--content", str(EBIAN_CONTENT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert f"{len(RECORDS.projects)} 个项目" in result.stdout


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_content_rule(rule, ebian_site: Path):
    problems = rule(RECORDS, ebian_site)
    assert not problems, "\n".join(problems[:30])


def test_records_do_not_contradict_the_published_document():
    problems = contradictions(RECORDS, DOCUMENT)
    assert not problems, "\n".join(problems)


def _json_ready(path: Path, record: bool = False) -> dict:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1] if record else text)
    # The YAML language server reads an unquoted date as text; so does this check.
    return json.loads(json.dumps(data, default=str))


def test_records_match_the_published_schemas():
    """The JSON Schemas staff's editors check against (schema/, published on the site) accept every file."""
    files = {
        "site": [EBIAN_CONTENT / "site.yml"],
        "places": [EBIAN_CONTENT / "places.yml"],
        "units": [EBIAN_CONTENT / "units.yml"],
        "plan": sorted((EBIAN_CONTENT / "plans").glob("*.yml")),
        "project": list(RECORDS.files.values()),
    }
    for name, paths in files.items():
        validator = jsonschema.Draft7Validator(json.loads((ROOT / "schema" / f"{name}.schema.json").read_text("utf-8")))
        for path in paths:
            errors = [e.message for e in validator.iter_errors(_json_ready(path, record=name == "project"))]
            assert not errors, (path.name, errors)


# --- the quality gates, on Ebian's site -------------------------------------------------------


def test_every_page_is_valid_html(ebian_site: Path):
    shown = html_errors(ebian_site)
    assert not shown, "\n".join(shown[:50])


def test_no_broken_link_anchor_or_asset(ebian_site: Path):
    problems = broken_links(ebian_site)
    assert not problems, "\n".join(problems[:50])


def test_no_page_loads_anything_from_another_host(ebian_site: Path):
    problems = foreign_resources(ebian_site)
    assert not problems, problems[:20]


def test_every_page_has_a_strict_script_policy(ebian_site: Path):
    problems = script_policy_problems(ebian_site)
    assert not problems, problems[:20]


@pytest.fixture(scope="module")
def ebian_url(ebian_site: Path):
    with serve(ebian_site) as url:
        yield url


@pytest.fixture(scope="module")
def pages(ebian_site: Path) -> list[str]:
    return representative_pages(ebian_site)


def test_every_page_type_loads_cleanly(context, ebian_url, pages):
    problems = load_problems(context, ebian_url, pages)
    assert not problems, problems


def test_pages_show_their_facts_without_javascript(browser, ebian_url, ebian_site, pages):
    problems = no_javascript_problems(browser, ebian_url, ebian_site, pages, facts(RECORDS))
    assert not problems, problems


def test_no_page_scrolls_sideways_on_a_phone(browser, ebian_url, pages):
    problems = phone_problems(browser, ebian_url, pages)
    assert not problems, problems


def test_no_cell_is_squeezed_on_a_wide_screen(browser, ebian_url, pages):
    problems = wide_problems(browser, ebian_url, pages)
    assert not problems, problems


def test_axe_finds_no_wcag_22_aa_violation(context, ebian_url, pages):
    problems = axe_problems(context, ebian_url, pages)
    assert not problems, problems


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(ebian_site: Path, tmp_path: Path):
    assert _digest(build_ok(copy_ebian(tmp_path / "again"))) == _digest(ebian_site)


# --- the document check: tolerant of valid edits, strict on the document's facts ----------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of Ebian's content/ folder (no build) that a test may edit; the returned path holds content/."""
    shutil.copytree(EBIAN_CONTENT, tmp_path / "content")
    return tmp_path


def _first(number: str) -> str:
    """The record file of the document's first project with that number."""
    listed = next(p for p in read_document(DOCUMENT).projects if p.number == number)
    record = next(p for p in RECORDS.projects if p["title"] == listed.title)
    return f"content/projects/{RECORDS.files[record['id']].name}"


def test_the_document_check_accepts_valid_edits(content: Path):
    add_project(content / "content", "峨边后续项目")  # a project of a later document
    add_progress_report(content / "content")
    assert contradictions(Records(content / "content"), DOCUMENT) == []


def _other_category(data: dict) -> None:
    data["category"] = next(c["id"] for c in RECORDS.plan("2025")["categories"] if c["id"] != data["category"])


# Each edit contradicts a fact the document states about the project it lists with that number.
CONTRADICTIONS = {
    "investment": ("1", lambda d: d.update(investment=Decimal(1)), "investment 1,"),
    "title": ("2", lambda d: d.update(title="改过的项目名称"), "no record numbered 2"),
    "location": ("3", lambda d: d.update(location="别处"), "location"),
    "responsible": ("4", lambda d: d.update(responsible_units=["县委党校"]), "responsible"),
    "owner": ("6", lambda d: d.pop("owner_unit"), "owner unit"),
    "villages": ("1", lambda d: d["beneficiaries"]["asset_villages"].pop(0), "asset villages"),
    "dividend": ("1", lambda d: d["dividend"].update(annual=Decimal(1)), "dividend"),
    "category": ("5", _other_category, "category"),
}


@pytest.mark.parametrize("name", CONTRADICTIONS)
def test_the_document_check_finds_a_contradiction(content: Path, name: str):
    number, change, words = CONTRADICTIONS[name]
    path = content / _first(number)
    before = path.read_text("utf-8")
    rewrite_record(path, change)
    assert path.read_text("utf-8") != before
    problems = contradictions(Records(content / "content"), DOCUMENT)
    assert len(problems) == 1 and words in problems[0], problems


def test_the_document_check_reads_the_plan_lines_it_states(content: Path):
    rewrite_yaml(content / "content/plans/2025.yml", lambda d: d.update(date=dt.date(2000, 1, 1)))
    problems = contradictions(Records(content / "content"), DOCUMENT)
    assert len(problems) == 1 and "date" in problems[0], problems
