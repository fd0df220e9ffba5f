"""The charts' numbers against the records, read here independently of gongshi's loader."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from decimal import Decimal

import plotly.io
import plotly.offline
import pytest
from conftest import FIXTURE_CONTENT, ROOT
from helpers import edit
from records import fixture
from variants import MUSHROOM, TEA, add_front_matter

from gongshi.content.load import load_site
from gongshi.web import chart_assets
from gongshi.web.charts import NO_TOWNSHIP, PALETTE, TRACE_TYPES, build_figure, figure_data, plan_charts

SITE = load_site(FIXTURE_CONTENT, ROOT)
PLAN = SITE.plans[0]
CHARTS = {c.id: c for c in plan_charts(SITE, PLAN)}
RECORDS = fixture()
PLAN_YAML = RECORDS.plans[0]


def leaves(chart) -> list[Decimal]:
    return [s.amount for g in chart.groups for s in g.segments]


def exact(value: float) -> Decimal:
    """A figure's number back as the decimal it was written from (repr is the shortest round trip)."""
    return Decimal(repr(value))


@pytest.mark.parametrize("chart_id", ["categories", "projects", "sources", "units", "townships"])
def test_leaves_add_up_to_the_plan_total(chart_id):
    chart = CHARTS[chart_id]
    declared = PLAN_YAML["total"]
    assert sum(leaves(chart)) == declared
    assert sum(g.amount for g in chart.groups) == declared
    assert chart.total == declared


def test_each_category_equals_its_declared_amount_and_projects():
    chart = CHARTS["categories"]
    declared = {c["name"]: c["amount"] for c in PLAN_YAML["categories"]}
    assert [g.label for g in chart.groups] == list(declared)
    for group, category in zip(chart.groups, PLAN_YAML["categories"], strict=True):
        assert group.amount == category["amount"]
        mine = RECORDS.in_category(PLAN_YAML, category)
        assert sorted(s.amount for s in group.segments) == sorted(r["investment"] for r in mine)
        assert [s.project.id for s in group.segments] == [r["id"] for r in mine]  # one bar per record listed


def test_sources_say_which_projects_each_source_pays_for():
    chart = CHARTS["sources"]
    for group, source in zip(chart.groups, PLAN_YAML["funding"], strict=True):
        assert group.label == source["name"]
        assert group.amount == source["amount"]
        expected = sorted(
            (r["id"], f["amount"]) for r in RECORDS.projects for f in r["funding"] if f["source"] == source["id"]
        )
        assert sorted((s.project.id, s.amount) for s in group.segments) == expected
    # The project paid from two sources appears under each, with that source's amount.
    two = next(r for r in RECORDS.projects if len(r["funding"]) == 2)
    assert [s.amount for g in chart.groups for s in g.segments if s.project.id == two["id"]] == [
        f["amount"] for f in two["funding"]
    ]


def test_shared_projects_are_never_split():
    """Every project is one whole segment in exactly one group of the unit and township charts."""
    investments = {r["id"]: r["investment"] for r in RECORDS.projects}
    for chart_id in ("units", "townships"):
        seen = [(s.project.id, s.amount) for g in CHARTS[chart_id].groups for s in g.segments]
        assert sorted(seen) == sorted(investments.items()), chart_id
    for record in RECORDS.projects:
        group = next(g for g in CHARTS["units"].groups if record["id"] in [p.id for p in g.projects])
        names = [RECORDS.unit(u)["name"] for u in record["responsible_units"]]
        assert group.shared == (len(names) > 1)
        assert all(name in group.label for name in names), (record["id"], group.label)
    road = next(g for g in CHARTS["units"].groups if "liuxi-road" in [p.id for p in g.projects])
    assert road.shared and road.amount == investments["liuxi-road"]


def test_townships_follow_the_records_places():
    chart = CHARTS["townships"]
    names = {t.code: t.name for t in SITE.gazetteer.townships}
    for record in RECORDS.projects:
        # The records write places as township+village; the township is the name the reference starts with.
        expected = {RECORDS.split(ref)[0] for ref in RECORDS.place_refs(record)}
        group = next(g for g in chart.groups if record["id"] in [p.id for p in g.projects])
        if not expected:
            assert group.label == NO_TOWNSHIP
        else:
            assert group.shared == (len(expected) > 1)
            assert {n for n in names.values() if n in group.label} == expected, record["id"]
    tea = next(g for g in chart.groups if "tea-processing" in [p.id for p in g.projects])
    assert tea.label == "青山镇、白水乡（共享）" and tea.amount == RECORDS.project("tea-processing")["investment"]


def test_dividends_as_promised(project):
    assert "dividends" not in CHARTS  # the test county promises none, so there is no dividend chart
    add_front_matter(project, TEA, "dividend:\n  rate_percent: 3\n  annual: 14.4\n")
    # 320.456789 × 5% = 16.02283945: more decimals than an amount may carry, written as the document rounds it
    add_front_matter(project, MUSHROOM, "dividend:\n  rate_percent: 5\n  annual: 16.022839\n")
    site = load_site(project / "content", project)
    (chart,) = [c for c in plan_charts(site, site.plans[0]) if c.id == "dividends"]
    assert {s.project.id: s.amount for g in chart.groups for s in g.segments} == {
        "tea-processing": Decimal("14.4"),
        "mushroom-base": Decimal("16.022839"),  # as written: the promise, not the product
    }
    assert chart.total == Decimal("30.422839")
    assert sum(g.share for g in chart.groups) == Decimal("100.0")


def test_disbursed_as_reported(project):
    reported = {r["id"]: r["progress"][-1]["disbursed"] for r in RECORDS.projects if r.get("progress")}
    chart = CHARTS["disbursed"]
    assert {s.project.id: s.amount for g in chart.groups for s in g.segments} == reported
    assert chart.total == sum(reported.values())
    edit(project, TEA, "    disbursed: 144\n", "")
    site = load_site(project / "content", project)
    assert "disbursed" not in [c.id for c in plan_charts(site, site.plans[0])]  # nothing reported, no chart


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_shares_add_up_to_100(chart_id):
    chart = CHARTS[chart_id]
    assert sum(g.share for g in chart.groups) == Decimal("100.0")
    assert sum(s.share for g in chart.groups for s in g.segments) == Decimal("100.0")


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_figure_draws_the_table_numbers(chart_id):
    """The figure's bars carry exactly the amounts of the table twin, bar by bar."""
    chart = CHARTS[chart_id]
    figure = figure_data(chart)
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    drawn = [exact(x) for t in bars for x in t["x"]]
    if chart.by_project:
        assert drawn == leaves(chart)
    elif len(bars) == 1:
        assert drawn == [g.amount for g in chart.groups]
    else:
        assert drawn == leaves(chart)
        per_bar: dict[str, Decimal] = defaultdict(Decimal)
        for trace in bars:
            per_bar[trace["y"][0]] += exact(trace["x"][0])
        assert list(per_bar.values()) == [g.amount for g in chart.groups]
        labels = next(t for t in figure["data"] if t["type"] == "scatter")
        assert [exact(x) for x in labels["x"]] == [g.amount for g in chart.groups]
    hovers = [row for t in bars for row in t["customdata"]]
    assert all(re.fullmatch(r"[\d,.]+ 万元", h[1]) and re.fullmatch(r"[\d,.]+ 元", h[2]) for h in hovers)


def test_one_colour_per_category_everywhere():
    """A legend group is a category, known by its id (two categories the document does not name stay two)."""
    names = {c["id"]: c["name"] for c in PLAN_YAML["categories"]}
    colours: dict[str, set[str]] = defaultdict(set)
    for chart in CHARTS.values():
        for trace in figure_data(chart)["data"]:
            if trace["type"] == "bar" and "legendgroup" in trace:
                colours[trace["legendgroup"]].add(trace["marker"]["color"])
                assert trace["name"] == names[trace["legendgroup"]]
    for index, category in enumerate(PLAN_YAML["categories"]):
        assert colours[category["id"]] == {PALETTE[index]}


def test_palette_matches_the_stylesheet():
    css = (ROOT / "templates/overrides/stylesheets/gongshi.css").read_text(encoding="utf-8")
    declared = dict(re.findall(r"--gs-c(\d): (#[0-9A-Fa-f]{6})", css))
    assert [declared[str(i)].upper() for i in range(8)] == [c.upper() for c in PALETTE]


def test_figures_use_only_what_the_bundle_has():
    used = {t["type"] for chart in CHARTS.values() for t in figure_data(chart)["data"]}
    assert used <= TRACE_TYPES <= chart_assets.BUNDLE_TRACES
    readme_traces = {"bar", "pie", "scatter"}  # npm plotly.js-basic-dist-min README: "bar, pie and scatter"
    assert readme_traces == chart_assets.BUNDLE_TRACES


def test_bundle_matches_the_python_plotly():
    version = plotly.offline.get_plotlyjs_version()
    assert version == chart_assets.BUNDLE_VERSION
    head = chart_assets.BUNDLE.read_text(encoding="utf-8")[:300]
    assert f"plotly.js (basic - minified) v{version}" in head
    assert chart_assets.LOCALE.name == f"plotly-locale-zh-cn-{version}.js"
    assert 'name:"zh-CN"' in chart_assets.LOCALE.read_text(encoding="utf-8")
    assert "MIT" in chart_assets.LICENSE.read_text(encoding="utf-8")


def plotly_json(chart) -> str:
    """The figure as plotly itself serializes it, every trace validated."""
    return json.dumps(json.loads(plotly.io.to_json(build_figure(chart), validate=True, engine="json")))


def test_figure_data_is_what_plotly_makes(project):
    """The pages' figure data is assembled without a plotly object per trace; it must be plotly's own JSON,
    key order included, for every chart (the dividend chart too, and labels that plotly would render)."""
    add_front_matter(project, TEA, "dividend:\n  rate_percent: 3\n  annual: 14.4\n")
    edit(project, MUSHROOM, "title: ", "title: <b>x</b> & ")
    site = load_site(project / "content", project)
    charts = plan_charts(site, site.plans[0])
    assert {"dividends", "projects", "townships"} <= {c.id for c in charts}
    for chart in charts:
        assert json.dumps(figure_data(chart)) == plotly_json(chart), chart.id


def test_figures_are_deterministic():
    again = {c.id: c.figure_json() for c in plan_charts(load_site(FIXTURE_CONTENT, ROOT), PLAN)}
    assert again == {c.id: c.figure_json() for c in CHARTS.values()}


def test_long_titles_that_shorten_alike_stay_separate_bars(project):
    edit(
        project,
        "content/projects/03-liuxi-road.md",
        "title: 青山镇柳溪村产业路硬化项目",
        "title: 青山镇农村道路提升改造工程一期",
    )
    edit(
        project,
        "content/projects/04-water-supply.md",
        "title: 白水乡农村供水保障提升项目",
        "title: 青山镇农村道路提升改造工程二期",
    )
    site = load_site(project / "content", project)
    chart = next(c for c in plan_charts(site, site.plans[0]) if c.id == "projects")
    ys = [y for t in figure_data(chart)["data"] for y in t["y"]]
    assert len(ys) == len(set(ys)) == len(RECORDS.projects)
