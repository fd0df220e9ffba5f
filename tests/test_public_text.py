"""No developer text on public pages: the change logs say in Chinese what changed, field by field, and quote a
commit message only when it is the clerk's note (it holds Chinese); no generator credit in the footer; every page
has an Open Graph title, the home page the site's own; the About page speaks to citizens. Built once, from the
tiny county in a git repository of three commits (two with English messages, one with a clerk's note)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build_ok
from helpers import main_text, page_text
from tiny_county import data, git, make_project, write_content

ENGLISH = ["Import the 2025 plan from the county table", "Fix the period wording"]
NOTE = "学校项目已开工，状态改为实施中"
SCHOOL = "content/projects/02-school.md"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    county = data()
    project = make_project(tmp_path_factory.mktemp("public") / "project", county)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", ENGLISH[0], when="2025-03-01T09:00:00+08:00")
    county[SCHOOL]["status"] = "实施中"
    write_content(project, {SCHOOL: county[SCHOOL]})
    git(project, "commit", "-q", "-am", NOTE, when="2025-04-01T09:00:00+08:00")
    county[SCHOOL]["period"] = "2025年内完成"
    write_content(project, {SCHOOL: county[SCHOOL]})
    git(project, "commit", "-q", "-am", ENGLISH[1], when="2025-05-01T09:00:00+08:00")
    return build_ok(project)


def public_pages(site: Path) -> list[Path]:
    """Every page a citizen reads: all but the staff guide."""
    return [p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "guide"]


def test_change_logs_show_fields_and_only_the_clerks_note(site: Path):
    for page in ("projects/school/index.html", "changes/index.html"):
        text = main_text(site / page)
        assert "项目状态：计划 → 实施中" in text, page
        assert "2025年 → 2025年内完成" in text, page
        assert f"修改说明：{NOTE}" in text, page
        assert text.count("修改说明：") == 1, page  # the English commits are shown by their fields only
        for message in ENGLISH:
            assert message not in text, (page, message)
        assert "提交说明" not in text and "git" not in text, page
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert NOTE in feed and not [m for m in ENGLISH if m in feed]


def test_no_generator_credit_or_commit_message_on_any_public_page(site: Path):
    pages = public_pages(site)
    assert len(pages) > 10
    for page in pages:
        text = page_text(page)
        for banned in ("Made with", "Material for MkDocs", *ENGLISH):
            assert banned not in text, (page, banned)


def test_every_page_has_its_open_graph_title(site: Path):
    title = data()["content/site.yml"]["title"]
    for page in public_pages(site):
        html = page.read_text(encoding="utf-8")
        found = re.findall(r'<meta property="og:title" content="([^"]*)">', html)
        assert len(found) == 1 and found[0], page
        assert found[0] != "首页", page
    home = re.search(r'<meta property="og:title" content="([^"]*)">', (site / "index.html").read_text("utf-8"))
    assert home.group(1) == title
    about = re.search(r'<meta property="og:title" content="([^"]*)">', (site / "about/index.html").read_text("utf-8"))
    assert about.group(1) == "关于本站"


def test_the_about_page_speaks_to_citizens(site: Path):
    text = main_text(site / "about/index.html")
    assert "本站由开源软件" in text
    for developer in ("PyPI", "npm", "gongshi", "仓库", "git"):
        assert developer not in text, developer
