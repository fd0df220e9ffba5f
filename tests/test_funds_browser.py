"""The funds page in a real Chromium: charts drawn from the site's own files, under a strict CSP, and the
same facts without JavaScript."""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import _QuietHandler, assert_clean, open_page
from records import amount, fixture, yuan

RECORDS = fixture()
PLAN = RECORDS.plans[0]


def expected_marks() -> dict[str, int]:
    """Bars each chart should draw, counted from the records: one per category, per project, per
    (project, fund source), per promised dividend and per project reporting money disbursed (the last two
    charts only when some record has one)."""
    projects = RECORDS.projects
    marks = {
        "categories": len(PLAN["categories"]),
        "projects": len(projects),
        "sources": sum(len(r["funding"]) for r in projects),
        "units": len(projects),
        "townships": len(projects),
        "dividends": sum(1 for r in projects if "dividend" in r),
        "disbursed": sum(1 for r in projects if any("disbursed" in e for e in r.get("progress", []))),
    }
    return {chart: count for chart, count in marks.items() if count}


def drawn_marks(page) -> dict[str, int]:
    """Ask for the interactive charts (the page shows static bars until then); plotly's bars per chart."""
    button = page.locator(".gs-chart-load")
    if button.count() and button.is_enabled():
        button.click()
    page.wait_for_function(
        "() => document.querySelectorAll('.gs-chart--drawn').length === document.querySelectorAll('.gs-chart').length",
        timeout=20000,
    )
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.gs-chart')].map(
        el => [el.dataset.chart.split('-').slice(1).join('-'),
               el.querySelectorAll('svg .barlayer g.point').length]))""")


def test_funds_page_draws_every_chart_cleanly(context, site_url):
    visit = open_page(context, site_url, "funds/")
    visit.page.wait_for_load_state("networkidle")
    assert drawn_marks(visit.page) == expected_marks()
    assert_clean(visit)
    page = visit.page
    assert page.locator(".modebar-btn--logo").count() == 0
    assert page.locator("a[href*='plot.ly'], a[href*='plotly.com']").count() == 0
    # zh-CN locale is registered and used (the mode bar's download button speaks Chinese).
    page.locator(".gs-chart--drawn").first.hover()
    assert page.locator(".modebar-btn[data-title='下载图表为PNG格式']").count() >= 1


def test_home_draws_the_headline_chart_without_plotly(context, site_url):
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    visit = open_page(context, site_url, "")
    visit.page.wait_for_load_state("networkidle")
    bars = visit.page.locator(".gs-homebar svg rect")
    assert bars.count() == len(PLAN["categories"])
    assert all(bars.nth(i).bounding_box()["width"] > 0 for i in range(bars.count()))
    assert not any("plotly" in url for url in requested)
    assert visit.other_hosts == [] and visit.console_errors == [] and visit.failed_requests == []


def test_hover_shows_yuan_with_thousands_separators(context, site_url):
    visit = open_page(context, site_url, "funds/")
    page = visit.page
    drawn_marks(page)
    page.locator("[data-chart='2025-categories'] svg .barlayer g.point path").first.hover(force=True)
    label = page.locator(".hoverlayer .hovertext").first
    label.wait_for(state="attached", timeout=5000)
    hover = label.text_content()
    first = PLAN["categories"][0]["amount"]
    assert f"{amount(first)} 万元" in hover and yuan(first) in hover


def test_without_javascript_the_tables_carry_the_facts(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        visit = open_page(ctx, site_url, "funds/")
        page = visit.page
        assert page.locator("svg.main-svg").count() == 0
        tables = page.locator("table.gs-twin")
        assert tables.count() == len(expected_marks())
        text = page.locator("article").inner_text()
        assert amount(PLAN["total"]) in text and yuan(PLAN["total"]) in text
        for record in RECORDS.projects:
            assert record["title"] in text
        for category in PLAN["categories"]:
            assert category["name"] in text
        assert page.locator("table.gs-twin").first.is_visible()
        assert visit.other_hosts == []
    finally:
        ctx.close()


# --- a strict Content-Security-Policy: scripts only from the site itself ------------------------


def _inline_hashes(html: str) -> list[str]:
    """CSP hashes of the theme's own inline scripts (Material's), which our pages do not add to."""
    out = []
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        if "src=" in attrs or 'type="application/json"' in attrs:
            continue
        out.append("'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'")
    return out


@contextmanager
def serve_with_csp(directory: Path, policy: str):
    class Handler(_QuietHandler):
        def end_headers(self):
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", ["funds/"])  # the only page with plotly charts
def test_charts_run_under_a_strict_csp(context, built_site: Path, path):
    html = (built_site / path / "index.html").read_text(encoding="utf-8")
    policy = (
        "default-src 'self'; script-src 'self' "
        + " ".join(_inline_hashes(html))
        + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self'; object-src 'none'"
    )
    with serve_with_csp(built_site, policy) as url:
        visit = open_page(context, url, path)
        marks = drawn_marks(visit.page)
        assert all(count > 0 for count in marks.values()) and marks
        visit.page.wait_for_load_state("networkidle")
        assert visit.console_errors == []
        assert visit.other_hosts == []


def test_standalone_chart_asks_no_other_host(context, tmp_path: Path, project: Path):
    import subprocess
    import sys

    from conftest import ROOT

    out = tmp_path / "charts"
    subprocess.run(
        [sys.executable, str(ROOT / "build_charts.py"), "--root", str(project), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    from browser import serve

    with serve(out) as url:
        for chart, count in expected_marks().items():
            visit = open_page(context, url, f"2025-{chart}.html")
            visit.page.wait_for_selector("svg .barlayer g.point", state="attached", timeout=20000)
            assert visit.page.locator("svg .barlayer g.point").count() == count, chart
            assert visit.other_hosts == [] and visit.console_errors == [] and visit.failed_requests == []
            visit.page.close()


def test_phone_charts_give_the_bars_the_width(browser, site_url):
    """At 360 px the labels stand above the bars (annotations, no tick labels beside them): the plot area keeps
    most of the width, and every bar has its label and every label stays inside the chart."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True)
    try:
        page = open_page(context, site_url, "funds/").page
        drawn_marks(page)
        charts = page.evaluate("""() => [...document.querySelectorAll('.gs-chart--drawn')].map(chart => {
            const plot = chart.querySelector('.gs-chart-plot');
            const box = plot.getBoundingClientRect();
            const area = chart.querySelector('.draglayer .nsewdrag').getBoundingClientRect();
            const labels = [...chart.querySelectorAll('.annotation-text')].map(a => a.getBoundingClientRect());
            return {
                chart: chart.dataset.chart,
                share: area.width / box.width,
                ticks: chart.querySelectorAll('.yaxislayer-above .ytick text').length,
                labels: labels.length,
                outside: labels.filter(r => r.left < box.left - 0.5 || r.right > box.right + 0.5).length,
            };
        })""")
    finally:
        context.close()
    assert len(charts) == len(expected_marks())
    for chart in charts:
        assert chart["share"] > 0.9 and chart["ticks"] == 0 and chart["labels"] > 0, chart
        assert chart["outside"] == 0, chart


VISIBLE_LINKS = """() => Object.fromEntries([...document.querySelectorAll('table.gs-twin')].map(table =>
    [table.dataset.chart, [...table.querySelectorAll('a[href*="projects/"]')].filter(a => a.checkVisibility())
        .map(a => a.getAttribute('href').split('projects/')[1].replace(/\\/$/, ''))]))"""


def test_each_project_is_listed_once_and_the_other_views_fold_it(browser, site_url):
    """The funds page was twenty phone screens listing every project five times. At 360 px each project is
    linked once, in the table of the chart by project; the tables by source, unit and township show their groups
    with each group's projects folded into its name, and tapping a name shows exactly that group's projects."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True)
    try:
        page = open_page(context, site_url, "funds/").page
        before = page.evaluate(VISIBLE_LINKS)
        ids = sorted(r["id"] for r in RECORDS.projects)
        assert sorted(before["projects"]) == ids
        folded = ("sources", "units", "townships")
        assert all(before[chart] == [] for chart in folded), before
        for chart in folded:
            for summary in page.locator(f"table[data-chart='{chart}'] details.gs-fold > summary").all():
                summary.click()
        after = page.evaluate(VISIBLE_LINKS)
    finally:
        context.close()
    # One line per (project, fund source); one whole project in exactly one unit group and one township group.
    assert sorted(after["sources"]) == sorted(r["id"] for r in RECORDS.projects for _ in r["funding"])
    assert sorted(after["units"]) == ids and sorted(after["townships"]) == ids
