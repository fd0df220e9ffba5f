"""The funds pages (资金构成): every chart of a plan beside its table twin, and the scripts that draw them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from markupsafe import Markup

from gongshi.web import chart_svg
from gongshi.web.chart_assets import PAGE_SCRIPT, SCRIPTS, asset_files, interactive_kb
from gongshi.web.charts import plan_charts, script_json
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer


def funds_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """One funds page per plan, and the chart scripts (served once, shared by every chart page)."""
    site, urls = renderer.site, renderer.urls
    for plan in site.plans:
        others = [other for other in site.plans if other.id != plan.id]
        yield renderer.render(
            "funds.md.j2",
            urls.funds(plan),
            plan=plan,
            others=others,
            chart_page_script=PAGE_SCRIPT,
            interactive_scripts=SCRIPTS,
            interactive_kb=interactive_kb(),
            static_bars=chart_svg.bars,
            static_legend=chart_svg.legend,
        )
    for served, content in asset_files():
        yield GeneratedPage(served, content)


def funds_helpers(renderer: Renderer) -> Mapping[str, Any]:
    """The charts of a plan (also drawn, without script, on the home page) and their embedded data."""
    site = renderer.site
    return {
        "plan_charts": lambda plan: plan_charts(site, plan),
        "chart_scripts": SCRIPTS,
        "chart_json": lambda chart, name: Markup(script_json(chart, name)),
    }


FAMILY = PageFamily("funds", funds_pages, funds_helpers)
