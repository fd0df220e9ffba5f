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


# Searching: tests/test_search_browser.py.
