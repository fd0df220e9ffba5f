"""A real `mkdocs build` of the Ebian content, and what a visitor finds in it."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

from conftest import ROOT, build_ok, copy_project
from helpers import main_text, page_text

from gongshi.content.load import load_site

SITE = load_site(ROOT / "content", ROOT)


def test_every_project_has_its_page(built_site: Path):
    for project in SITE.projects:
        text = main_text(built_site / "projects" / project.id / "index.html")
        assert project.title in text
        assert f"{project.investment:,f}".rstrip("0").rstrip(".") in text.replace(" 万元", "")
        for unit in project.responsible_units:
            assert SITE.unit(unit).name in text
        for code in project.beneficiaries.asset_villages:
            assert SITE.place(code).village.name in text


def test_project_page_shows_wan_and_yuan(built_site: Path):
    text = main_text(built_site / "projects/nine-year-school/index.html")
    assert "962.310194 万元" in text
    assert "9,623,101.94 元" in text
    assert "往年结余资金 52.310194 万元" in text
    assert "都编号为“10.”" in text  # the disclosed numbering discrepancy


def test_project_without_owner_says_so(built_site: Path):
    text = main_text(built_site / "projects/cadre-training/index.html")
    assert "业主单位 原文件未列明" in text


def test_alias_is_shown_next_to_official_name(built_site: Path):
    text = main_text(built_site / "projects/maoping-bamboo-park/index.html")
    assert "杨河乡桠桠村（原文件写作“垭垭村”）" in text
    assert "34.5 万元" in text and "345,000 元" in text


def test_home_page_totals(built_site: Path):
    text = main_text(built_site / "index.html")
    assert "3,952.310194 万元" in text
    assert "39,523,101.94 元" in text
    assert "6 类 11 个项目" in text
    assert "24 个村" in text
    assert "2025年2月25日" in text
    for name, amount in [("2025年东西部协作资金", "3,900"), ("往年结余资金", "52.310194")]:
        assert re.search(rf"{name} {re.escape(amount)}\b", text)
    shares = [Decimal(s) for s in re.findall(r"(\d+\.\d)%", text.split("钱用在哪里")[1])[:6]]
    assert sum(shares) == Decimal("100.0")


def test_projects_index_lists_all(built_site: Path):
    text = main_text(built_site / "projects/index.html")
    for project in SITE.projects:
        assert project.title in text
    assert "合计（11 个项目） 3,952.310194" in text


def test_category_and_unit_pages_have_subtotals(built_site: Path):
    text = main_text(built_site / "plans/2025/livelihood/index.html")
    assert "合计（4 个项目） 1,212.310194" in text
    education = main_text(built_site / "units/education/index.html")
    assert "峨边“蓝鹰工程”人才共育项目" in education and "九年一贯制学校" in education


def test_supervision_contacts_on_every_page(built_site: Path):
    for page in built_site.rglob("*.html"):
        text = page_text(page)
        assert "12317" in text, page
        assert "号码待公布" in text, page


def test_generated_pages_stay_out_of_the_navigation(built_site: Path):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary") : html.index('class="md-content"')]
    assert "maoping-bamboo-park" not in nav
    assert "全部项目" in nav


def test_no_page_references_another_host(built_site: Path):
    pattern = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
    css_url = re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.I)
    for path in built_site.rglob("*"):
        if path.suffix in (".html", ".css"):
            text = path.read_text(encoding="utf-8")
            hits = [m.group(0) for m in pattern.finditer(text)] + [m.group(0) for m in css_url.finditer(text)]
            # Outbound links (<a href>) are not requests; only loaded resources count.
            loaded = [h for h in hits if not re.search(r"href", h, re.I)]
            assert not loaded, (path, loaded)
            assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
    for html in built_site.rglob("*.html"):
        for tag in re.findall(r"<link[^>]+>", html.read_text(encoding="utf-8")):
            assert not re.search(r"href=\"(https?:)?//", tag), (html, tag)


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path: Path, built_site: Path):
    again = build_ok(copy_project(tmp_path / "again"))
    assert _digest(again) == _digest(built_site)
