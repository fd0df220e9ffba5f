"""A real `mkdocs build` of the test county, and what a visitor finds in it. Expectations come from the
content files (tests/records.py), read independently of gongshi."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

from conftest import build_ok, copy_project, run_build
from gates import foreign_resources
from helpers import edit, main_text, page_text
from records import amount, fixture, yuan

RECORDS = fixture()
(PLAN,) = RECORDS.plans


def test_every_project_has_its_page(built_site: Path):
    for project in RECORDS.projects:
        text = main_text(built_site / "projects" / project["id"] / "index.html")
        assert project["title"] in text
        assert f"规划投资 {amount(project['investment'])} 万元" in text
        assert yuan(project["investment"]) in text
        assert project["location"] in text
        for unit in project["responsible_units"]:
            assert RECORDS.unit(unit)["name"] in text
        for ref in project.get("beneficiaries", {}).get("asset_villages", []):
            township, _ = RECORDS.split(ref)
            assert township + RECORDS.official[RECORDS.place_code(ref)]["name"] in text, ref
        for target in project.get("targets", []):
            assert target["indicator"] in text


def test_project_page_shows_wan_yuan_and_every_fund_source(built_site: Path):
    sources = {s["id"]: s["name"] for s in PLAN["funding"]}
    for project in RECORDS.projects:
        text = main_text(built_site / "projects" / project["id"] / "index.html")
        for funding in project["funding"]:
            assert f"来源：{sources[funding['source']]}，金额：{amount(funding['amount'])} 万元" in text
    two = next(p for p in RECORDS.projects if len(p["funding"]) == 2)
    assert f"{amount(two['investment'])} 万元" in main_text(built_site / "projects" / two["id"] / "index.html")
    assert yuan(Decimal("320.456789")) == "3,204,567.89 元"  # the helper itself: 万元 × 10,000, two decimals


def test_disclosed_discrepancy_is_shown_on_its_category_page(built_site: Path):
    for category in PLAN["categories"]:
        text = main_text(built_site / "plans" / PLAN["id"] / category["id"] / "index.html")
        for disclosed in category.get("discrepancies", []):
            assert "公开说明" in text and disclosed["note"] in text


def test_project_without_owner_says_so(built_site: Path):
    without = [p for p in RECORDS.projects if "owner_unit" not in p]
    assert without
    for project in without:
        assert "业主单位 原文件未列明" in main_text(built_site / "projects" / project["id"] / "index.html")


def test_alias_is_shown_next_to_official_name(built_site: Path):
    text = main_text(built_site / "projects/tea-processing/index.html")
    assert "白水乡桃坪村（原文件写作“桃平村”）" in text


def test_home_page_totals(built_site: Path):
    text = main_text(built_site / "index.html")
    assert f"{amount(PLAN['total'])} 万元" in text
    assert yuan(PLAN["total"]) in text
    assert f"{len(PLAN['categories'])} 类 {len(RECORDS.projects)} 个项目" in text
    villages = {
        RECORDS.place_code(ref)
        for p in RECORDS.projects
        for key in ("asset_villages", "villages")
        for ref in p.get("beneficiaries", {}).get(key, [])
    }
    assert f"确权到 {len(villages)} 个村" in text
    date = PLAN["date"]
    assert f"{date.year}年{date.month}月{date.day}日" in text
    for source in PLAN["funding"]:
        assert re.search(rf"{source['name']} {re.escape(amount(source['amount']))}\b", text)
    shares = [Decimal(s) for s in re.findall(r"(\d+\.\d)%", text.split("钱用在哪里")[1])[: len(PLAN["categories"])]]
    assert sum(shares) == Decimal("100.0")


def test_partner_sentence_only_with_a_partner(built_site: Path, project: Path):
    """A plan whose programme has a paired district names it on the home page and the notices; one without does
    not, and no page names a programme the content does not (the test county's is 衔接资金)."""
    assert "partner" not in PLAN["programme"]
    assert "东西部协作" not in main_text(built_site / "index.html")
    notice = main_text(built_site / "notices/projects/tea-processing/index.html")
    short = PLAN["programme"]["short"]
    assert "对口协作" not in notice and f"{RECORDS.site['county']['name']} · {PLAN['year']}年{short}项目" in notice
    edit(
        project,
        "content/plans/2025.yml",
        f"  short: {short}\n",
        f"  short: {short}\n  partner:\n    name: 示例区\n    full_name: 示例省示例市示例区\n",
    )
    site = build_ok(project)
    assert f"样例县与示例省示例市示例区开展{short}" in main_text(site / "index.html")
    assert "（示例省示例市示例区对口协作）" in main_text(site / "notices/projects/tea-processing/index.html")


def test_projects_index_lists_all(built_site: Path):
    text = main_text(built_site / "projects/index.html")
    for project in RECORDS.projects:
        assert project["title"] in text
    assert f"合计（{len(RECORDS.projects)} 个项目，本站计算） {amount(PLAN['total'])} 万元" in text


def test_category_and_unit_pages_have_subtotals(built_site: Path):
    for category in PLAN["categories"]:
        mine = RECORDS.in_category(PLAN, category)
        text = main_text(built_site / "plans" / PLAN["id"] / category["id"] / "index.html")
        total = sum((p["investment"] for p in mine), Decimal(0))
        assert f"合计（{len(mine)} 个项目，本站计算） {amount(total)} 万元" in text
        assert all(p["title"] in text for p in mine)
    for unit in RECORDS.units:
        mine = [p for p in RECORDS.projects if unit["id"] in RECORDS.unit_ids(p)]
        page = built_site / "units" / unit["id"] / "index.html"
        assert page.is_file() == bool(mine), unit["id"]  # a unit no record names gets no page
        if mine:
            text = main_text(page)
            assert all(p["title"] in text for p in mine), unit["id"]
            others = [p["title"] for p in RECORDS.projects if p not in mine]
            assert not [t for t in others if t in text], unit["id"]


def test_supervision_contacts_on_every_page(built_site: Path):
    contacts = RECORDS.site["contacts"]
    assert any(c.get("phone") for c in contacts) and any(not c.get("phone") for c in contacts)
    for page in built_site.rglob("*.html"):
        text = page_text(page)
        printed = "notices" in page.relative_to(built_site).parts  # a posted sheet: published numbers only
        for contact in contacts:
            if printed and not contact.get("phone"):
                assert contact["name"] not in text and "号码待公布" not in text, page
                continue
            assert (contact.get("phone") or "号码待公布") in text, (page, contact["name"])


def test_generated_pages_stay_out_of_the_navigation(built_site: Path):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary") : html.index('class="md-content"')]
    for project in RECORDS.projects:
        assert project["id"] not in nav
    assert "全部项目" in nav


def test_no_page_references_another_host(built_site: Path):
    problems = foreign_resources(built_site)
    assert not problems, problems[:20]


def test_the_foreign_resource_check_can_fail(tmp_path: Path):
    (tmp_path / "index.html").write_text(
        '<a href="https://example.org/">outbound, fine</a><img src="https://cdn.example/x.png">'
        '<link rel="stylesheet" href="//fonts.googleapis.com/css">',
        encoding="utf-8",
    )
    (tmp_path / "a.css").write_text("body{background:url(https://cdn.example/bg.png)}", encoding="utf-8")
    found = "\n".join(foreign_resources(tmp_path))
    assert "cdn.example/x" not in found  # the report quotes the attribute, not the whole address
    assert found.count("index.html") == 3 and "a.css" in found, found  # img, link tag, Google Fonts; the CSS url()


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path: Path, built_site: Path):
    again = build_ok(copy_project(tmp_path / "again"))
    assert _digest(again) == _digest(built_site)


def _with_workers(project: Path, workers: int) -> Path:
    """The project set to convert its generated pages in `workers` processes, however few pages it has."""
    edit(
        project,
        "mkdocs.yml",
        "      templates_dir: templates\n",
        f"      templates_dir: templates\n      workers: {workers}\n      parallel_min_pages: 1\n",
    )
    return project


def test_pages_converted_in_worker_processes_give_the_same_site(tmp_path: Path):
    """gongshi.web.parallel converts generated pages in forked workers; the site must be byte for byte the
    one MkDocs makes converting them itself (titles, tables of contents, links, front matter)."""
    plain = build_ok(_with_workers(copy_project(tmp_path / "plain"), 1))
    parallel = build_ok(_with_workers(copy_project(tmp_path / "parallel"), 2))
    assert _digest(parallel) == _digest(plain)


def test_warnings_in_worker_processes_fail_a_strict_build(project: Path):
    """What MkDocs logs while a worker converts a page is logged by the build, so --strict still counts it."""
    _with_workers(project, 2)
    edit(project, "templates/pages/project.md.j2", "## 公示信息\n", "## 公示信息\n\n[x](missing-page.md)\n")
    result = run_build(project)
    assert result.returncode != 0
    assert "missing-page.md" in result.stderr


def test_a_county_page_replaces_a_standard_page(project: Path):
    """A county's own docs/about.md replaces the standard about page."""
    (project / "docs").mkdir(exist_ok=True)
    (project / "docs/about.md").write_text("# 关于本站\n\n本县自己写的说明。\n", encoding="utf-8")
    site = build_ok(project)
    about = main_text(site / "about/index.html")
    assert "本县自己写的说明" in about


def test_a_docs_page_at_a_generated_pages_address_is_refused(project: Path):
    """A docs/ page where a generated page goes (a project's page) stops the build, naming the file."""
    first = RECORDS.projects[0]["id"]
    (project / "docs/projects").mkdir(parents=True, exist_ok=True)
    (project / f"docs/projects/{first}.md").write_text("# 手写的项目页\n", encoding="utf-8")
    result = run_build(project)
    assert result.returncode != 0
    assert f"docs/projects/{first}.md" in result.stderr and "重名" in result.stderr and "clashes" in result.stderr
