"""The funds page draws every chart before any script: static SVG bars with the table twin's numbers; plotly
(about half a megabyte) is fetched only when the visitor asks for the interactive charts."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from browser import open_page

from gongshi.web import chart_assets


def _holders(html: str) -> dict[str, str]:
    """Chart id → the chart's holder element (static bars and embedded figure)."""
    return {
        m.group(1).split("-", 1)[1]: m.group(2)
        for m in re.finditer(r'<div class="gs-chart" data-chart="([^"]+)"[^>]*>(.*?)</div>', html, re.S)
    }


def _twin(html: str, chart: str) -> list[tuple[str, Decimal]]:
    table = re.search(rf'<table class="[^"]*gs-twin[^"]*" data-chart="{chart}">(.*?)</table>', html, re.S).group(1)
    rows = r'<(?:tr|li) class="[^"]*" data-kind="(\w+)" data-amount="([^"]+)"'  # li: a project folded into its group
    return [(k, Decimal(a)) for k, a in re.findall(rows, table)]


def test_every_chart_has_static_bars_with_the_twin_numbers(built_site: Path):
    html = (built_site / "funds/index.html").read_text(encoding="utf-8")
    holders = _holders(html)
    assert holders
    for chart, holder in holders.items():
        assert '<figure class="gs-homebars gs-chart-static">' in holder, chart
        bars = [Decimal(a) for a in re.findall(r'<p class="gs-homebar" data-amount="([^"]+)"', holder)]
        rows = _twin(html, chart)
        groups = [a for k, a in rows if k == "group"]
        segments = [a for k, a in rows if k == "segment"]
        # One bar per group, or per project where the chart is by project (a twin row per project then).
        assert bars in (groups, segments), chart
        assert sum(bars) == next(a for k, a in rows if k == "total"), chart
        widths = [float(w) for w in re.findall(r'<rect class="gs-fill-c\d" x="[\d.]+" width="([\d.]+)"', holder)]
        assert widths and max(widths) <= 100.001 and all(w >= 0 for w in widths), chart


def test_the_page_loads_no_plotly_until_asked(built_site: Path):
    html = (built_site / "funds/index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert not any("plotly" in s for s in sources)
    assert any(s.endswith(chart_assets.PAGE_SCRIPT) for s in sources)
    button = re.search(r'<button type="button" class="md-button gs-chart-load" data-scripts="([^"]+)" hidden>', html)
    assert button and button.group(1).split() == list(chart_assets.SCRIPTS)


def test_in_chromium_bars_show_first_and_plotly_draws_on_request(context, site_url):
    visit = open_page(context, site_url, "funds/")
    page = visit.page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.wait_for_load_state("networkidle")
    assert not any("plotly" in u for u in requested)
    static = page.locator(".gs-chart-static").first
    assert static.is_visible() and page.locator(".gs-chart-static rect").first.bounding_box()["width"] > 0
    button = page.locator(".gs-chart-load")
    assert button.is_visible() and "KB" in button.inner_text()
    button.click()
    page.wait_for_function(
        "() => document.querySelectorAll('.gs-chart--drawn').length === document.querySelectorAll('.gs-chart').length",
        timeout=20000,
    )
    assert any(u.endswith(chart_assets.BUNDLE.name) for u in requested)
    assert not static.is_visible()  # the interactive chart replaces the bars
    assert visit.console_errors == [] and visit.other_hosts == [] and visit.failed_requests == []


def test_without_javascript_the_bars_show_and_the_button_does_not(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        page = open_page(ctx, site_url, "funds/").page
        assert page.locator(".gs-chart-static").first.is_visible()
        assert not page.locator(".gs-chart-load").is_visible()
    finally:
        ctx.close()
