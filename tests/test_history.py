"""变更记录 from git: a temporary repository with two commits shows exactly those changes; the feed is valid Atom."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import build_ok, copy_project
from helpers import main_text, page_text
from records import fixture
from tiny_county import git
from variants import MUSHROOM, TEA

RECORDS = fixture()
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
# After every date the records state (the latest progress report), so the last commit is the last change.
DATES = ["2025-06-01T09:00:00+08:00", "2025-07-02T10:30:00+08:00", "2025-08-03T16:45:00+08:00"]
MESSAGES = ["Publish the 2025 plan", "调整茶叶加工厂和食用菌基地投资", "茶叶加工厂增加确权村新桥村"]


def edit(project: Path, rel: str, *pairs: tuple[str, str]) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project in a fresh git repository: the plan as published, then an amount moved, then a village added."""
    project = copy_project(tmp_path_factory.mktemp("history") / "project")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", MESSAGES[0], when=DATES[0])
    # Move 50 万元 of one fund source between the two projects of one category, so that the category and
    # source totals still reconcile.
    edit(project, TEA, ("investment: 480", "investment: 430"), ("amount: 480", "amount: 430"))
    edit(project, MUSHROOM, ("investment: 320.456789", "investment: 370.456789"), ("amount: 200", "amount: 250"))
    git(project, "commit", "-q", "-am", MESSAGES[1], when=DATES[1])
    edit(project, TEA, ("    - 白水乡桃平村\n", "    - 白水乡桃平村\n    - 青山镇新桥村\n"))
    git(project, "commit", "-q", "-am", MESSAGES[2] + "\n\n正文不显示。", when=DATES[2])
    return project


@pytest.fixture(scope="module")
def history_site(repo: Path) -> Path:
    return build_ok(repo)


def history_items(site: Path, page: str) -> list[tuple[str, list[str]]]:
    """(heading line, field lines) of each entry of the page's change list, as a visitor reads them."""
    html = (site / page).read_text("utf-8")
    block = re.search(r'<ol class="gs-changes"[^>]*>(.*?)</ol>', html, re.S).group(1)
    items = []
    for li in re.split(r"<li><p>", block)[1:]:
        head = re.sub(r"<[^>]+>", "", li.split("</p>")[0])
        fields = [re.sub(r"<[^>]+>", "", f) for f in re.findall(r"<li>(.*?)</li>", li)]
        items.append((" ".join(head.split()), fields))
    return items


def cn(stamp: str) -> str:
    day = dt.datetime.fromisoformat(stamp)
    return f"{day.year}年{day.month}月{day.day}日"


def test_project_history_shows_exactly_the_commits_changes(history_site: Path):
    items = history_items(history_site, "projects/tea-processing/index.html")
    assert items == [
        (f"{cn(DATES[2])} · 修改 · 修改说明：{MESSAGES[2]}", ["固定资产确权村：新增 青山镇新桥村"]),
        (
            f"{cn(DATES[1])} · 修改 · 修改说明：{MESSAGES[1]}",
            ["规划投资：480 万元 → 430 万元", "资金来源及规模第1项 来源金额：480 万元 → 430 万元"],
        ),
        (f"{cn(DATES[0])} · 新增", []),  # an English commit message is no clerk's note: not shown
    ]
    other = history_items(history_site, "projects/mushroom-base/index.html")
    assert [fields for _, fields in other] == [
        ["规划投资：320.456789 万元 → 370.456789 万元", "资金来源及规模第1项 来源金额：200 万元 → 250 万元"],
        [],
    ]


def test_recent_changes_page_lists_latest_first(history_site: Path):
    items = history_items(history_site, "changes/index.html")
    tea, mushroom = RECORDS.project("tea-processing")["title"], RECORDS.project("mushroom-base")["title"]
    assert items[0][0] == f"{cn(DATES[2])} · {tea} · 修改 · 修改说明：{MESSAGES[2]}"
    assert [head for head, _ in items[1:3]] == [
        f"{cn(DATES[1])} · {tea} · 修改 · 修改说明：{MESSAGES[1]}",
        f"{cn(DATES[1])} · {mushroom} · 修改 · 修改说明：{MESSAGES[1]}",
    ]
    # two edits of one project, one of another, and every record's first commit
    assert len(items) == 3 + len(RECORDS.projects)


def test_last_changed_is_the_last_content_commit(history_site: Path):
    for page in ("index.html", "data/index.html", "projects/skills-training/index.html"):
        assert f"数据最后更新：{cn(DATES[2])}" in page_text(history_site / page)


def test_feed_is_valid_atom(history_site: Path):
    root = ET.parse(history_site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"

    def one(element: ET.Element, tag: str) -> ET.Element:
        found = element.findall(f"{ATOM}{tag}")
        assert len(found) == 1, (tag, len(found))
        return found[0]

    for tag in ("id", "title", "updated"):
        assert one(root, tag).text
    assert RFC3339.match(one(root, "updated").text)
    assert one(one(root, "author"), "name").text  # the feed's author covers every entry
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3 + len(RECORDS.projects)
    ids = [one(e, "id").text for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    for entry in entries:
        assert one(entry, "title").text
        assert RFC3339.match(one(entry, "updated").text)
        assert one(entry, "summary").get("type") == "text"
        for link in entry.findall(f"{ATOM}link"):
            target = history_site / urljoin("feed.xml", link.get("href"))
            assert (target / "index.html").is_file(), link.get("href")
    first = entries[0]
    assert dt.datetime.fromisoformat(one(first, "updated").text) == dt.datetime.fromisoformat(DATES[2])
    assert "固定资产确权村：新增 青山镇新桥村" in one(first, "summary").text
    assert dt.datetime.fromisoformat(one(root, "updated").text) == dt.datetime.fromisoformat(DATES[2])


def test_history_survives_a_rebuild_byte_for_byte(repo: Path, history_site: Path, tmp_path: Path):
    again = build_ok(repo, tmp_path / "again")
    for name in ("feed.xml", "changes/index.html", "projects/tea-processing/index.html"):
        assert (again / name).read_bytes() == (history_site / name).read_bytes(), name


def test_build_without_git_says_no_history(built_site: Path):
    """The session's site is built from a copy outside any repository, like a tarball."""
    for page in ("projects/tea-processing/index.html", "changes/index.html"):
        assert "没有可用的修改历史" in main_text(built_site / page)
    root = ET.parse(built_site / "feed.xml").getroot()
    assert root.findall(f"{ATOM}entry") == []
