"""Chart files for officials who paste a chart into a report: each chart of each plan as plotly JSON and as a
self-contained HTML page (plotly.js and its zh-CN locale inlined: it opens offline and asks no other host).

The figures come from gongshi.web.charts, the same functions the site build uses.
"""

from __future__ import annotations

import html
from pathlib import Path

from gongshi.content.load import load_site
from gongshi.content.model import Plan
from gongshi.content.unstated import stated
from gongshi.web.chart_assets import BUNDLE, LICENSE, LOCALE
from gongshi.web.charts import Chart, embedded_json, plan_charts, script_json
from gongshi.web.present import total_wan, wan

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:sans-serif;margin:1rem;color:#222}}p{{font-size:.85rem;color:#555}}</style>
</head>
<body>
<h1>{title}</h1>
<div id="chart"></div>
<p>{note}</p>
<script type="application/json" id="figure">{figure}</script>
<!-- plotly.js {version} (MIT licence, below), then its zh-CN locale -->
<script>{bundle}</script>
<script>{locale}</script>
<script>
var figure = JSON.parse(document.getElementById("figure").textContent);
Plotly.newPlot("chart", figure.data, figure.layout, figure.config);
</script>
<!--
{licence}
-->
</body>
</html>
"""


def standalone_html(chart: Chart, plan: Plan, name: str) -> str:
    """One chart as a self-contained HTML page (inline plotly.js, no request to any host)."""
    issuer = plan.issuer if stated(plan.issuer) else ""
    sum_ = chart.sum
    if sum_ is None or sum_.complete:
        total = f"{chart.total_label} {wan(chart.total)}。"
    else:  # what a part covers ("已列明的 2 项合计 150 万元，另有 1 项未列明"); nothing when none is stated
        total = f"{total_wan(sum_)}。" if sum_.counted else ""
    note = f"数据来源：{issuer}《{plan.label}》。{total}金额单位为万元，与原文件一致。{chart.note}"
    return PAGE.format(
        title=html.escape(f"{plan.label}：{chart.title}"),
        note=html.escape(note),
        figure=script_json(chart, name),
        version=BUNDLE.name,
        bundle=BUNDLE.read_text(encoding="utf-8").replace("</script", "<\\/script"),
        locale=LOCALE.read_text(encoding="utf-8"),
        licence=LICENSE.read_text(encoding="utf-8").replace("--", "- -"),
    )


def write_charts(root: Path, out: Path) -> list[Path]:
    """Write <plan>-<chart>.json and .html for every chart; returns the files written."""
    site = load_site(root / "content", root)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for plan in site.plans:
        for chart in plan_charts(site, plan):
            name = f"{plan.id}-{chart.id}"
            (out / f"{name}.json").write_text(embedded_json(chart, name) + "\n", encoding="utf-8")
            (out / f"{name}.html").write_text(standalone_html(chart, plan, name), encoding="utf-8")
            written += [out / f"{name}.json", out / f"{name}.html"]
    return written
