"""Hand-picked pages in a real Chromium: no console error, no failed request, no other host.
(tests/test_quality_browser.py checks one page of every type found in the built site.)"""

from __future__ import annotations

import pytest
from browser import assert_clean, open_page

PAGES = [
    "",
    "projects/",
    "projects/maoping-bamboo-park/",
    "plans/2025/",
    "plans/2025/livelihood/",
    "units/",
    "units/health/",
    "places/",
    "places/511132206205/",
    "about/",
    "404.html",
    "guide/",
    "guide/edit/",
    "guide/fields/",
    "guide/errors/",
    "guide/preview/",
    "guide/excel/",
    "guide/editor/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(context, site_url, path):
    visit = open_page(context, site_url, path)
    visit.page.wait_for_load_state("networkidle")
    assert_clean(visit)
    assert visit.page.locator("h1").first.inner_text()


def search(page, query: str) -> str:
    """Type a query into Material's search box; the results' text, without jieba's zero-width spaces."""
    field = page.locator("input.md-search__input")
    field.focus()
    field.fill(query)
    field.press("End")  # Material reads the query on key events, not on fill()
    page.locator(".md-search-result__meta", has_text="符合条件的结果").wait_for(timeout=15000)
    page.wait_for_timeout(300)
    return page.locator(".md-search-result").inner_text().replace("\u200b", "")


def test_search_finds_village_and_unit(context, site_url):
    visit = open_page(context, site_url, "")
    assert "峨边总部经济园科技创新平台建设项目" in search(visit.page, "柑子口村")
    assert "峨边“乐在浙里”就业帮扶项目" in search(visit.page, "县人社局")
    assert "毛坪林竹产业加工园区建设项目" in search(visit.page, "竹笋")
    found = search(visit.page, "残疾")
    assert "峨边助残融爱项目" in found and "峨边残疾儿童康复中心提升项目" in found
    assert visit.other_hosts == [] and visit.console_errors == []
