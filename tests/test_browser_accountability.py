"""Progress, 最近更新 and 数据下载 in a real Chromium: clean loads, photos shown, downloads served."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import open_page, serve


@pytest.mark.parametrize("path", ["progress/", "changes/", "data/", "projects/skills-training/"])
def test_page_loads_cleanly(context, site_url, path):
    visit = open_page(context, site_url, path)
    visit.page.wait_for_load_state("networkidle")
    assert visit.other_hosts == [] and visit.console_errors == [] and visit.failed_requests == []
    assert visit.page.locator("h1").first.inner_text()


def test_downloads_are_served(context, site_url):
    visit = open_page(context, site_url, "data/")
    for name in ("projects.csv", "gongshi.xlsx", "projects.json", "datapackage.json"):
        href = visit.page.locator(f"a[href$='{name}']").first.get_attribute("href")
        response = visit.page.request.get(f"{site_url}data/{href}")
        assert response.ok, name
        assert len(response.body()) > 100, name


@pytest.mark.parametrize("path, photos", [("projects/tea-processing/", 1), ("projects/mushroom-base/", 2)])
def test_progress_photos_show(context, progress_site: Path, path: str, photos: int):
    with serve(progress_site) as url:
        visit = open_page(context, url, path)
        visit.page.wait_for_load_state("networkidle")
        images = visit.page.locator(".gs-photos img")
        assert images.count() == photos
        for i in range(photos):
            images.nth(i).scroll_into_view_if_needed()
            images.nth(i).evaluate("img => img.decode()")
            assert images.nth(i).evaluate("img => img.naturalWidth") > 0
        assert visit.failed_requests == [] and visit.console_errors == []
