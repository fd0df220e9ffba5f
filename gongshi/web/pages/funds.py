"""The funds pages (资金构成): every chart of a plan beside its table twin, and the scripts that draw them."""

from __future__ import annotations

from collections.abc import Iterator

from gongshi.web import chart_svg
from gongshi.web.chart_assets import PAGE_SCRIPT, SCRIPTS, asset_files, interactive_kb
from gongshi.web.render import GeneratedPage, Renderer, Routes


def funds_route(renderer: Renderer, index: int) -> str:
    plan = renderer.site.plans[index]
    return Routes.funds if index == 0 else Routes.plan_funds(plan)


def funds_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """One funds page per plan, and the chart scripts (served once, shared by every chart page)."""
    site = renderer.site
    for index, plan in enumerate(site.plans):
        others = [(p, funds_route(renderer, i)) for i, p in enumerate(site.plans) if i != index]
        yield renderer.render(
            "funds.md.j2",
            funds_route(renderer, index),
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
