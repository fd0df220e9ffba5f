"""The lifecycle county's pages in a real Chromium and through the quality gates: every stage's notice on one
A4 sheet, the notice-period script under the site's script policy (and the period readable without it),
valid HTML, no broken link, WCAG 2.2 AA, no sideways scroll on a phone. The gates are the repository's own
(test_quality_site, test_quality_browser), run on the pages only this county has (changes, completion
accounts, self-reviews, village ledgers)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import test_quality_browser as quality
import test_quality_site as quality_site
from browser import assert_clean, open_page, serve
from conftest import build_ok, run_build
from lifecycle_county import lifecycle_project
from site_pages import representative_pages
from test_browser_villages import pdf_pages

ONLINE = "https://example.org/lifecycle/"
ROAD = "projects/village-road/"
STAGE_NOTICES = ("", "library/", "change/", "completion/", "review/")


@pytest.fixture(scope="module")
def lifecycle_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The county at its last stage, built as the quality gates build the real site (no site_url)."""
    project = lifecycle_project(tmp_path_factory.mktemp("lifecycle-browser") / "project")
    return build_ok(project)


@pytest.fixture(scope="module")
def lifecycle_url(lifecycle_site: Path):
    with serve(lifecycle_site) as url:
        yield url


@pytest.fixture(scope="module")
def online_url(tmp_path_factory: pytest.TempPathFactory):
    """The same county built with a site_url, so that its notices carry QR codes, as printed."""
    project = lifecycle_project(tmp_path_factory.mktemp("lifecycle-online") / "project")
    result = run_build(project, env={"SITE_URL": ONLINE})
    assert result.returncode == 0, result.stderr
    with serve(project / "site") as url:
        yield url


@pytest.fixture(scope="module")
def lifecycle_pages(lifecycle_site: Path) -> list[str]:
    found = representative_pages(lifecycle_site)
    for page in (
        "plans/2025/",
        "plans/2025/review/",
        "places/990201100202/",
        *(f"notices/{ROAD}{s}" for s in STAGE_NOTICES),
    ):
        assert page in found or (lifecycle_site / page / "index.html").is_file(), page
    return sorted({*found, "plans/2025/review/", "places/990201100202/", "changes/"})


def test_every_stage_notice_prints_on_one_a4_sheet(browser, online_url, lifecycle_site):
    page = browser.new_page()
    try:
        notices = sorted(
            p.parent.relative_to(lifecycle_site).as_posix()
            for p in lifecycle_site.glob("notices/projects/**/index.html")
            if p.parent.name != "a3"  # the large-print notices print on A3: tests/test_reach_browser.py
        )
        assert len(notices) == 6, notices  # five stages of the road, the plan notice of the training project
        for path in notices:
            page.goto(f"{online_url}{path}/")
            assert page.locator("svg.gs-qr").count() == 1, path
            page.emulate_media(media="print")
            assert pdf_pages(page.pdf(format="A4")) == 1, path
            page.emulate_media(media="screen")
    finally:
        page.close()


@pytest.mark.parametrize(
    "today, words",
    [
        (dt.date(2024, 12, 27), "尚未开始，10 天后开始"),  # before the library notice
        (dt.date(2025, 1, 15), "公示中，还剩 1 天（含今天）"),  # its last day
        (dt.date(2025, 1, 6), "公示中，还剩 10 天（含今天）"),  # its first day
        (dt.date(2025, 1, 16), "公示期已结束"),
    ],
)
def test_the_period_script_tells_the_visitor_by_their_own_clock(browser, lifecycle_url, today, words):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(quality.CSP_RECORDER)
    try:
        context.clock.set_fixed_time(dt.datetime.combine(today, dt.time(10, 0)))
        visit = open_page(context, lifecycle_url, ROAD)
        visit.page.wait_for_load_state("networkidle")
        assert_clean(visit)
        assert visit.page.evaluate("window.__csp") == []
        library = visit.page.locator("#notice-library .gs-period-today")
        assert library.inner_text() == f"今天（按您设备的日期）：{words}"
        assert visit.page.locator(".gs-period-today").count() == 5  # one per stated period
    finally:
        context.close()


def test_the_period_reads_without_javascript(browser, lifecycle_url):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(lifecycle_url + ROAD)
        cell = page.locator("#notice-library td").nth(1)
        assert cell.is_visible()
        assert "2025年1月6日至2025年1月15日（共 10 天）" in cell.inner_text()
        assert page.locator(".gs-period-today").count() == 0
    finally:
        context.close()


def test_lifecycle_pages_are_valid_html(lifecycle_site: Path):
    quality_site.test_every_page_is_valid_html(lifecycle_site)


def test_lifecycle_pages_have_no_broken_link(lifecycle_site: Path):
    quality_site.test_no_broken_link_anchor_or_asset(lifecycle_site)


def test_lifecycle_pages_have_a_strict_script_policy(lifecycle_site: Path):
    quality.test_every_page_has_a_strict_script_policy(lifecycle_site)


def test_lifecycle_pages_pass_axe(context, lifecycle_url, lifecycle_pages):
    quality.test_axe_finds_no_wcag_22_aa_violation(context, lifecycle_url, lifecycle_pages)


def test_lifecycle_pages_fit_a_phone_and_a_wide_screen(browser, lifecycle_url, lifecycle_pages):
    quality.test_no_page_scrolls_sideways_on_a_phone(browser, lifecycle_url, lifecycle_pages)
    quality.test_no_cell_is_squeezed_on_a_wide_screen(browser, lifecycle_url, lifecycle_pages)
