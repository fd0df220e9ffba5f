"""The village map and the printable notices in a real Chromium: no other host, no console error,
every village without JavaScript, QR codes that decode to the project's address, and one A4 sheet."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from browser import assert_clean, open_page, serve
from conftest import build_ok, copy_project, run_build
from village_records import TILES, asset_villages, gazetteer, named_places, records, with_tiles

ONLINE = "https://example.org/gongshi/"  # the site_url this module's build is given
CHROME = (".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-search", ".md-top")


@pytest.fixture(scope="module")
def online_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content built with a site_url, so that the notices carry QR codes."""
    project = copy_project(tmp_path_factory.mktemp("online") / "project")
    result = run_build(project, env={"SITE_URL": ONLINE})  # mkdocs.yml reads site_url from SITE_URL
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def online_url(online_site: Path):
    with serve(online_site) as url:
        yield url


def notice_paths() -> list[str]:
    townships, _ = gazetteer()
    paths = [f"notices/projects/{pid}/" for pid in records()]
    paths += [f"notices/places/{code}/" for code in named_places() if code not in townships.values()]
    return sorted(paths)


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF that Chromium wrote (one /Type /Page object per page)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_map_page_asks_no_other_host_and_logs_no_error(context, site_url):
    visit = open_page(context, site_url, "places/map/")
    visit.page.wait_for_load_state("networkidle")
    assert_clean(visit)
    assert visit.page.locator("svg.gs-map-svg path.gs-map-outline").count() == 1


def test_map_page_lists_every_village_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(site_url + "places/map/")
        text = page.locator("article").inner_text()
        townships, _ = gazetteer()
        codes = [c for c in named_places() if c not in townships.values()]
        assert len(codes) == len(set(asset_villages()) | {("毛坪镇", "新华村")})
        for code in codes:
            links = page.locator(f'article a[href="../{code}/"]')
            assert links.count() >= 2, code  # in the schematic and in the list
            assert links.first.is_visible()
        for _, name in asset_villages():
            assert name in text, name  # as the plan writes it; 垭垭村 beside its official spelling
        assert "桠桠村" in text and "新华村" in text
    finally:
        context.close()


def test_notice_page_loads_cleanly(context, online_url):
    for path in ("notices/projects/maoping-bamboo-park/", "notices/places/511132206205/"):
        visit = open_page(context, online_url, path)
        visit.page.wait_for_load_state("networkidle")
        assert visit.other_hosts == [], path
        assert visit.console_errors == [], path
        assert visit.failed_requests == [], path


def _decode(png: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]


def test_qr_codes_decode_to_the_project_page(browser, online_url, online_site):
    context = browser.new_context(device_scale_factor=3)
    try:
        page = context.new_page()
        for pid in records():
            page.goto(online_url + f"notices/projects/{pid}/")
            expected = f"{ONLINE}projects/{pid}/"
            assert _decode(page.locator("svg.gs-qr").screenshot()) == [expected]
            assert (online_site / "projects" / pid / "index.html").is_file()  # the address exists once online
        _, villages = gazetteer()
        page.goto(online_url + f"notices/places/{villages[('毛坪镇', '长梯村')]}/")
        assert _decode(page.locator("svg.gs-qr").first.screenshot()) == [f"{ONLINE}projects/maoping-bamboo-park/"]
    finally:
        context.close()


def test_notices_print_on_one_a4_sheet_without_site_chrome(browser, online_url):
    page = browser.new_page()
    try:
        for path in notice_paths():
            page.goto(online_url + path)
            page.emulate_media(media="print")
            for selector in CHROME:
                chrome = page.locator(selector)
                assert chrome.count() == 0 or not chrome.first.is_visible(), (path, selector)
            assert page.locator("h1").first.is_visible()
            assert pdf_pages(page.pdf(format="A4")) == 1, path
            page.emulate_media(media="screen")
    finally:
        page.close()


def test_page_count_check_can_see_more_than_one_page(browser, online_url):
    """The counter is not stuck at one: the long map page prints on several sheets."""
    page = browser.new_page()
    try:
        page.goto(online_url + "places/map/")
        assert pdf_pages(page.pdf(format="A4")) > 1
    finally:
        page.close()


def test_configured_tiles_are_the_only_other_host(context, tmp_path):
    """With `map.tiles` set, the map asks the tile host (blocked here) and no one else; without it, no one."""
    site = build_ok(with_tiles(copy_project(tmp_path / "project")))
    with serve(site) as url:
        visit = open_page(context, url, "places/map/")
        visit.page.wait_for_load_state("networkidle")
    hosts = {re.match(r"https://([^/]+)/", u).group(1) for u in visit.other_hosts}
    assert hosts == {re.match(r"https://([^/]+)/", TILES).group(1)}
