"""Hand-picked pages in a real Chromium: no console error, no failed request, no other host.
(tests/test_quality_browser.py checks one page of every type found in the built site.)"""

from __future__ import annotations

import pytest
from browser import assert_clean, open_page
from records import fixture

RECORDS = fixture()

PAGES = [
    "",
    "projects/",
    "projects/tea-processing/",
    "plans/2025/",
    "plans/2025/industry/",
    "units/",
    "units/water-resources/",
    "places/",
    f"places/{RECORDS.villages[('白水乡', '桃坪村')]}/",
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
    title = {p["id"]: p["title"] for p in RECORDS.projects}
    visit = open_page(context, site_url, "")
    assert title["tea-processing"] in search(visit.page, "红岩村")  # an asset village of that project only
    assert title["skills-training"] in search(visit.page, "县人社局")
    assert title["mushroom-base"] in search(visit.page, "食用菌")
    assert title["liuxi-road"] in search(visit.page, "产业路")
    found = search(visit.page, "龙潭村")  # the mushroom base's site and a village the water supply serves
    assert title["mushroom-base"] in found and title["water-supply"] in found
    assert visit.other_hosts == [] and visit.console_errors == []
