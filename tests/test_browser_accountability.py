"""Progress, 最近更新 and 数据下载 in a real Chromium: clean loads, photos shown, downloads served."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import open_page, serve
from conftest import build_ok, copy_project
from test_progress import with_progress


@pytest.mark.parametrize("path", ["progress/", "changes/", "data/", "projects/nine-year-school/"])
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


def test_progress_photos_show(context, tmp_path: Path):
    site = build_ok(with_progress(copy_project(tmp_path / "project")))
    with serve(site) as url:
        visit = open_page(context, url, "projects/maoping-bamboo-park/")
        visit.page.wait_for_load_state("networkidle")
        images = visit.page.locator(".gs-photos img")
        assert images.count() == 2
        for i in range(2):
            images.nth(i).scroll_into_view_if_needed()
            images.nth(i).evaluate("img => img.decode()")
            assert images.nth(i).evaluate("img => img.naturalWidth") > 0
        assert visit.failed_requests == [] and visit.console_errors == []
