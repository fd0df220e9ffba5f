"""The village map and the printable notices in a real Chromium: no other host, no console error,
every village without JavaScript, QR codes that decode to the project's address, and one A4 sheet per project."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from browser import assert_clean, open_page, serve
from conftest import build_ok, copy_project, run_build
from records import fixture
from variants import TILES, with_tiles

RECORDS = fixture()

ONLINE = "https://example.org/gongshi/"  # the site_url this module's build is given
CHROME = (".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-search", ".md-top")


@pytest.fixture(scope="module")
def online_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test county built with a site_url, so that the notices carry QR codes."""
    project = copy_project(tmp_path_factory.mktemp("online") / "project")
    result = run_build(project, env={"SITE_URL": ONLINE})  # mkdocs.yml reads site_url from SITE_URL
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def online_url(online_site: Path):
    with serve(online_site) as url:
        yield url


def notice_paths() -> list[str]:
    paths = [f"notices/projects/{p['id']}/" for p in RECORDS.projects]
    paths += [f"notices/places/{code}/" for code in RECORDS.village_codes()]
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
        for code in RECORDS.village_codes():
            links = page.locator(f'article a[href="../{code}/"]')
            assert links.count() >= 2, code  # in the schematic and in the list
            assert links.first.is_visible()
            assert RECORDS.official[code]["name"] in text
        for _, name in RECORDS.asset_villages():
            assert name in text, name  # as the plan writes it; 桃平村 beside its official spelling
    finally:
        context.close()


def test_notice_page_loads_cleanly(context, online_url):
    for path in ("notices/projects/tea-processing/", f"notices/places/{RECORDS.villages[('白水乡', '桃坪村')]}/"):
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
        for pid in [p["id"] for p in RECORDS.projects]:
            page.goto(online_url + f"notices/projects/{pid}/")
            expected = f"{ONLINE}projects/{pid}/"
            assert _decode(page.locator("svg.gs-qr").screenshot()) == [expected]
            assert (online_site / "projects" / pid / "index.html").is_file()  # the address exists once online
        page.goto(online_url + f"notices/places/{RECORDS.villages[('青山镇', '红岩村')]}/")
        assert _decode(page.locator("svg.gs-qr").first.screenshot()) == [f"{ONLINE}projects/tea-processing/"]
    finally:
        context.close()


def sheets_allowed(path: str) -> int:
    """A project's notice and a village's notice of one project fit one A4 sheet. A village that several
    projects concern gets at most one sheet per project (each project's block is about half a sheet)."""
    if path.startswith("notices/projects/"):
        return 1
    return max(1, len(RECORDS.named_places()[path.rstrip("/").rsplit("/", 1)[1]]))


def test_notices_print_on_a4_sheets_without_site_chrome(browser, online_url):
    page = browser.new_page()
    try:
        for path in notice_paths():
            page.goto(online_url + path)
            page.emulate_media(media="print")
            for selector in CHROME:
                chrome = page.locator(selector)
                assert chrome.count() == 0 or not chrome.first.is_visible(), (path, selector)
            assert page.locator("h1").first.is_visible()
            assert pdf_pages(page.pdf(format="A4")) <= sheets_allowed(path), path
            page.emulate_media(media="screen")
        assert any(sheets_allowed(path) > 1 for path in notice_paths())  # the test county has such a village
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
