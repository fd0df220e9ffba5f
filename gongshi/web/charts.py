"""Turn a plan in the Site model into charts: plotly figures, each with its table twin (the same numbers).

Every chart is a list of groups (a category, a fund source, a unit, a set of townships…), each made of
segments, one per project, in 万元 exactly as the records state them. The table twin is that list; the
figure is drawn from it, so the two cannot disagree. A project that several units or townships share is
one segment of one group named by all of them: it is never split by a ratio the documents do not give.
"""

from __future__ import annotations

import dataclasses
import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from gongshi.content.model import Category, Plan, Project
from gongshi.content.progress import coverage, disbursed
from gongshi.content.site import Site
from gongshi.content.unstated import UNSTATED, Total, Unstated, stated, total
from gongshi.content.values import category_name, project_name
from gongshi.money import wan_text, yuan_text
from gongshi.web.chart_assets import PLOTLY_CONFIG
from gongshi.web.present import shares, total_wan

# Okabe–Ito, in the order of the gs-c0…gs-c7 classes in templates/overrides/stylesheets/gongshi.css (a test checks).
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
NO_TOWNSHIP = "未落到具体乡镇（全县或县外）"
TRACE_TYPES = frozenset({"bar", "scatter"})  # scatter: text labels at the end of stacked bars
"""Every trace type the figures use; the vendored plotly.js bundle must contain them (a test checks)."""

INVESTMENT = "规划投资"
"""What most charts add up: the projects' planned investment (named in the note on the amounts left out)."""

BAR_HEIGHT = 34  # px per bar: readable on a phone, short enough to see a whole chart
PLOT_MARGIN = 70


@dataclass(frozen=True)
class Segment:
    """One project's amount within a group, with its share of the chart's total (percent). An amount the
    document does not state is UNSTATED and so is its share: it has no bar, and its table row says so."""

    project: Project
    category: Category
    colour: int  # the category's index in its plan, modulo the palette
    amount: Decimal | Unstated
    share: Decimal | Unstated
    label: str = ""  # the project's name (gongshi.content.values.project_name)
    legend: str = ""  # the category's name (gongshi.content.values.category_name)

    @property
    def drawn(self) -> bool:
        """Whether the segment has a bar: its amount is stated."""
        return stated(self.amount)


@dataclass(frozen=True)
class Group:
    """One bar: a label, its projects, their sum and its share of the chart's total (percent)."""

    label: str
    segments: tuple[Segment, ...]
    amount: Decimal | Unstated  # its stated segments added up; UNSTATED when none is stated
    share: Decimal | Unstated
    shared: bool = False  # named by several units or townships together
    colour: int | None = None  # set when the whole group is one category

    @property
    def projects(self) -> list[Project]:
        return [s.project for s in self.segments]

    @property
    def drawn(self) -> bool:
        """Whether the group has a bar: some amount of it is stated."""
        return stated(self.amount)


@dataclass(frozen=True)
class Chart:
    """A figure and its table twin: the groups, their total, and words for both."""

    id: str
    title: str
    group_heading: str  # the table's first column heading
    groups: tuple[Group, ...]
    total: Decimal | Unstated  # the stated amounts added up (what `sum` covers); UNSTATED when none is stated
    total_label: str
    note: str = ""
    by_project: bool = False  # bars are the segments (one per project), not the groups
    sum: Total | None = None  # the total with how many amounts are not stated

    @property
    def segments(self) -> list[Segment]:
        return [s for g in self.groups for s in g.segments]

    @property
    def figure(self) -> go.Figure:
        return build_figure(self)

    def figure_json(self) -> str:
        """The figure as plotly JSON, compact and deterministic."""
        return json.dumps(figure_dict(self), ensure_ascii=False, separators=(",", ":"))


def colour_of(plan: Plan, category: Category) -> int:
    """The category's colour index: its position in the plan, so that it is the same on every page."""
    return [c.id for c in plan.categories].index(category.id) % len(PALETTE)


Pairs = list[tuple[Project, Any]]
"""(project, amount) of one group: the amount as the record states it, a Decimal or UNSTATED."""


def _shares(amounts: list[Any], total: Decimal | Unstated) -> list[Decimal | Unstated]:
    """Percent shares of the stated amounts in the stated total (adding up to 100); an amount that is not stated
    has none."""
    known = [a for a in amounts if stated(a)]
    pcts = iter(shares(known, total) if stated(total) else [UNSTATED] * len(known))
    return [next(pcts) if stated(a) else UNSTATED for a in amounts]


def _segments(site: Site, plan: Plan, pairs: Pairs, total: Decimal | Unstated) -> list[Segment]:
    pcts = _shares([amount for _, amount in pairs], total)
    out = []
    for (project, amount), pct in zip(pairs, pcts):
        category = site.category(project)
        colour = colour_of(plan, category)
        out.append(
            Segment(project, category, colour, amount, pct, project_name(site, project), category_name(plan, category))
        )
    return out


def _total(keyed: list[tuple[str, bool, Pairs]]) -> Total:
    return total(a for _, _, pairs in keyed for _, a in pairs)


def _groups(
    site: Site,
    plan: Plan,
    keyed: list[tuple[str, bool, Pairs]],
    whole: Decimal | Unstated,
    colours: list[int] | None = None,
) -> tuple[Group, ...]:
    """Groups from (label, shared, [(project, amount)]) in order; shares of groups and of segments add to 100.
    `colours` gives each group one category colour (when each group is one category or one project). An
    amount the document does not state stays in its group, without a bar or a share (the chart's note says
    how many); a group none of whose amounts is stated has neither."""
    every = [pair for _, _, pairs in keyed for pair in pairs]
    segments = iter(_segments(site, plan, every, whole))
    sums = [total(a for _, a in pairs) for _, _, pairs in keyed]
    amounts = [s.amount if s.counted else UNSTATED for s in sums]
    pcts = _shares(amounts, whole)
    groups = []
    for index, ((label, shared, pairs), amount, pct) in enumerate(zip(keyed, amounts, pcts)):
        segs = tuple(next(segments) for _ in pairs)
        groups.append(Group(label, segs, amount, pct, shared, colours[index] if colours else None))
    return tuple(groups)


def _chart(
    site: Site,
    plan: Plan,
    keyed: list[tuple[str, bool, Pairs]],
    id: str,
    title: str,
    heading: str,
    what: str,
    total_label: str = "合计",
    colours: list[int] | None = None,
    note: str = "",
    by_project: bool = False,
) -> Chart:
    """A chart of the groups, with its total (what it covers) and a note on the amounts left out (`what` names
    them: 规划投资, 每年分红 …). A group no record belongs to (a category or fund source without project
    records) is not a bar of 0: it is left out, and the note names it."""
    empty = [label for label, _, pairs in keyed if not pairs]
    if colours:
        colours = [c for c, (_, _, pairs) in zip(colours, keyed) if pairs]
    keyed = [group for group in keyed if group[2]]
    sum_ = _total(keyed)
    whole = sum_.amount if sum_.counted or not sum_.missing else UNSTATED
    groups = _groups(site, plan, keyed, whole, colours)
    if not sum_.complete:
        total_label = f"已列明的 {sum_.counted} 项{total_label}（另有 {sum_.missing} 项未列明）"
    unrecorded = f"没有项目记录，不在本图中：{'、'.join(empty)}。" if empty else ""
    notes = [note, left_out(site, [s for g in groups for s in g.segments if not s.drawn], what), unrecorded]
    return Chart(id, title, heading, groups, whole, total_label, " ".join(n for n in notes if n), by_project, sum_)


def left_out(site: Site, segments: list[Segment], what: str) -> str:
    """What a chart's note says of the amounts the documents do not state: of how many projects, which, and that
    they have no bar and no share; '' when every amount is stated."""
    names = list(dict.fromkeys(s.label for s in segments))
    if not names:
        return ""
    return f"{len(names)} 个项目的{what}未列明，没有画出，也没有计入合计和占比：{'、'.join(names)}。"


def category_chart(site: Site, plan: Plan) -> Chart:
    """The headline: how much each category gets."""
    keyed = [
        (category_name(plan, c), False, [(p, p.investment) for p in site.projects_in(plan, c)]) for c in plan.categories
    ]
    colours = [colour_of(plan, c) for c in plan.categories]
    return _chart(
        site, plan, keyed, "categories", f"{plan.year}年资金按项目类别", "项目类别", INVESTMENT, colours=colours
    )


def project_chart(site: Site, plan: Plan) -> Chart:
    """Plan → category → project: every project's amount, coloured by its category."""
    chart = category_chart(site, plan)
    return dataclasses.replace(
        chart, id="projects", title=f"{plan.year}年资金按项目", group_heading="项目类别 / 项目", by_project=True
    )


def source_chart(site: Site, plan: Plan) -> Chart:
    """Where the money comes from, and which projects each source pays for. A project whose record does not
    state its sources is in none (the note says so)."""
    keyed = []
    for index, source in enumerate(plan.funding, start=1):
        pairs = [(p, f.amount) for p in site.projects_of_plan(plan) for f in p.funding if f.source == source.id]
        keyed.append((source.name if stated(source.name) else f"第 {index} 项资金来源（名称未列明）", False, pairs))
    unsourced = [project_name(site, p) for p in site.projects_of_plan(plan) if not stated(p.funding)]
    note = f"{len(unsourced)} 个项目的资金来源未列明，不在本图中：{'、'.join(unsourced)}。" if unsourced else ""
    return _chart(
        site, plan, keyed, "sources", f"{plan.year}年资金来源及其用途", "资金来源 / 项目", "资金来源金额", note=note
    )


def _by_key(projects: list[Project], key: Callable[[Project], tuple[str, ...]]) -> dict[tuple[str, ...], list[Project]]:
    """Projects grouped by a key (ids or keys the site gives, never a document's value), groups in the order their
    first project appears."""
    out: dict[tuple[str, ...], list[Project]] = {}
    for project in projects:
        out.setdefault(key(project), []).append(project)
    return out


NO_UNIT = "责任单位未列明"


def unit_chart(site: Site, plan: Plan) -> Chart:
    """Money by responsible unit (责任单位); units responsible together form one group; the projects whose
    records do not state their units form one group that says so."""
    order = {u.id: i for i, u in enumerate(site.units)}
    groups = _by_key(site.projects_of_plan(plan), lambda p: tuple(sorted(p.responsible_units, key=order.get)))
    keyed = []
    for ids, projects in groups.items():
        names = "、".join(site.unit(i).name for i in ids) or NO_UNIT
        shared = len(ids) > 1
        keyed.append((f"{names}（共同负责）" if shared else names, shared, [(p, p.investment) for p in projects]))
    return _chart(
        site,
        plan,
        keyed,
        "units",
        f"{plan.year}年资金按责任单位",
        "责任单位 / 项目",
        INVESTMENT,
        note="几个单位共同负责的项目列在一起，不按单位拆分金额；业主单位见各项目页。",
    )


def project_townships(site: Site, project: Project) -> tuple[str, ...]:
    """Keys of the townships a project is in or benefits (sites, title-holding and beneficiary villages), in
    gazetteer order: a township's key is its official code, or its id where the document states no code."""
    keys = {
        site.place(c).township.key
        for c in (*project.places, *project.beneficiaries.asset_villages, *project.beneficiaries.villages)
    }
    return tuple(t.key for t in site.gazetteer.townships if t.key in keys)


def township_chart(site: Site, plan: Plan) -> Chart:
    """Money by township; a project that spans several townships is one bar shared by them, never split."""
    names = {t.key: t.name for t in site.gazetteer.townships}
    groups = _by_key(site.projects_of_plan(plan), lambda p: project_townships(site, p))
    located = sorted((k for k in groups if k), key=lambda k: (len(k) > 1, list(groups).index(k)))
    keyed = []
    for keys in located:
        shared = len(keys) > 1
        label = "、".join(names[k] for k in keys) + ("（共享）" if shared else "")
        keyed.append((label, shared, [(p, p.investment) for p in groups[keys]]))
    if () in groups:
        keyed.append((NO_TOWNSHIP, False, [(p, p.investment) for p in groups[()]]))
    return _chart(
        site,
        plan,
        keyed,
        "townships",
        f"{plan.year}年资金按乡镇",
        "乡镇 / 项目",
        INVESTMENT,
        note="乡镇按项目的实施地点和受益村（含资产确权村）确定。一个项目涉及几个乡镇时，"
        "整笔金额记在这几个乡镇共享的一行，原文件没有写各乡镇的分配比例，本站不作拆分。",
    )


def dividend_chart(site: Site, plan: Plan) -> Chart | None:
    """The dividends village collectives are promised each year; None if no project promises any."""
    dividends = [p for p in site.projects_of_plan(plan) if p.dividend]
    promising = [p for p in dividends if stated(p.dividend.annual)]  # type: ignore[union-attr]
    if not promising:
        return None
    # The table lists each project's rate and villages beside its amount: a project that does not state its
    # amount is named in the note instead.
    keyed = [(project_name(site, p), False, [(p, p.dividend.annual)]) for p in promising]  # type: ignore[union-attr]
    colours = [colour_of(plan, site.category(p)) for p in promising]
    unstated = [project_name(site, p) for p in dividends if p not in promising]
    note = (
        f"{len(unstated)} 个项目的每年分红未列明，没有画出，也没有计入合计：{'、'.join(unstated)}。" if unstated else ""
    )
    return _chart(
        site,
        plan,
        keyed,
        "dividends",
        "每年给村集体的保底分红",
        "项目",
        "每年分红",
        total_label="每年合计",
        colours=colours,
        note=note,
        by_project=True,
    )


def disbursement_chart(site: Site, plan: Plan) -> Chart | None:
    """Money disbursed so far by category, as the latest progress reports state it; None if none reports any."""
    keyed = []
    colours = []
    for category in plan.categories:
        pairs = [(p, amount) for p in site.projects_in(plan, category) if (amount := disbursed(p)) is not None]
        if pairs:
            keyed.append((category_name(plan, category), False, pairs))
            colours.append(colour_of(plan, category))
    if not keyed:
        return None
    paid = _total(keyed).amount
    projects = site.projects_of_plan(plan)
    planned = total(p.investment for p in projects)
    covers = coverage(sum(len(pairs) for _, _, pairs in keyed), len(projects))  # "11 个项目中 1 个已报告"
    share = f"{(paid * 100 / planned.amount).quantize(Decimal('0.1'))}%" if planned.complete and planned.amount else ""
    said = "，".join(part for part in (share, covers) if part)
    rate = f"（{said}）" if said else ""
    return _chart(
        site,
        plan,
        keyed,
        "disbursed",
        f"{plan.year}年已拨付资金（据进展报告）",
        "项目类别 / 项目",
        "拨付金额",
        total_label=f"已拨付合计（{covers}）" if covers else "已拨付合计",
        colours=colours,
        note=f"各项目规划投资：{total_wan(planned)}；已报告拨付 {wan_text(paid)} 万元{rate}。"
        "只计入进展报告写明了拨付金额的项目；占比为占已拨付合计的比例。按类别的计划与拨付对照见“项目进展”页。",
    )


def plan_charts(site: Site, plan: Plan) -> list[Chart]:
    """Every chart of a plan, in the order the funds page shows them."""
    charts = [
        category_chart(site, plan),
        project_chart(site, plan),
        source_chart(site, plan),
        unit_chart(site, plan),
        township_chart(site, plan),
        dividend_chart(site, plan),
        disbursement_chart(site, plan),
    ]
    return [c for c in charts if c is not None]


# --- figures -----------------------------------------------------------------------------------


def _number(amount: Decimal) -> float:
    # plotly draws floats; the exact Decimal stays in the table and in the hover text.
    return float(amount)


def plotly_text(text: str) -> str:
    """Text for plotly, which draws a subset of HTML in every label, legend and hover (<a href>, <b>, <br>):
    escaped, so that a name like `<a href="https://evil.example/">` is shown as written, never as a link."""
    return html.escape(text, quote=False)


def _hover(label: str, amount: Decimal, share: Decimal, share_of: str) -> list[str]:
    return [
        plotly_text(t) for t in (label, f"{wan_text(amount)} 万元", f"{yuan_text(amount)} 元", f"{share}%", share_of)
    ]


HOVER = (
    "<b>%{customdata[0]}</b><br>%{customdata[1]}（%{customdata[2]}）<br>"
    "占%{customdata[4]} %{customdata[3]}<extra></extra>"
)


def _short(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _traces(chart: Chart) -> tuple[list[tuple[str, dict[str, Any]]], int]:
    """The chart's traces as (plotly trace type, properties), and the number of bars. Only stated amounts are
    drawn; a legend entry stands for one category (by its id: two categories without a name stay two)."""
    share_of = "分红总额" if chart.id == "dividends" else "计划总额"
    traces: list[tuple[str, dict[str, Any]]] = []
    if chart.by_project:
        drawn = [s for g in chart.groups for s in g.segments if s.drawn]
        labelled = iter(_unique([_short(s.label) for s in drawn]))
        seen: set[str] = set()
        for seg in drawn:
            legend = plotly_text(seg.legend)
            traces.append(
                (
                    "bar",
                    dict(
                        y=[next(labelled)],
                        x=[_number(seg.amount)],
                        orientation="h",
                        name=legend,
                        legendgroup=seg.category.id,
                        legendrank=seg.colour + 1,
                        showlegend=seg.category.id not in seen and chart.id != "dividends",
                        marker=dict(color=PALETTE[seg.colour]),
                        customdata=[_hover(seg.label, seg.amount, seg.share, share_of)],
                        hovertemplate=HOVER,
                        text=[wan_text(seg.amount)],
                        textposition="outside",
                        cliponaxis=False,
                    ),
                )
            )
            seen.add(seg.category.id)
        return traces, len(drawn)
    groups = [g for g in chart.groups if g.drawn]
    if all(g.colour is not None for g in chart.groups):
        bar = dict(
            y=_unique([g.label for g in groups]),
            x=[_number(g.amount) for g in groups],
            orientation="h",
            marker=dict(color=[PALETTE[g.colour or 0] for g in groups]),
            showlegend=False,
            name=plotly_text(chart.title),
            customdata=[_hover(g.label, g.amount, g.share, share_of) for g in groups],
            hovertemplate=HOVER,
            text=[wan_text(g.amount) for g in groups],
            textposition="outside",
            cliponaxis=False,
        )
        return [("bar", bar)], len(groups)
    # Stacked: one segment per project, coloured by its category; the bar's end shows the group's sum.
    seen = set()
    ys = _unique([_short(g.label, 24) for g in groups])
    for group, y in zip(groups, ys):
        for seg in group.segments:
            if not seg.drawn:
                continue
            legend = plotly_text(seg.legend)
            traces.append(
                (
                    "bar",
                    dict(
                        y=[y],
                        x=[_number(seg.amount)],
                        orientation="h",
                        name=legend,
                        legendgroup=seg.category.id,
                        legendrank=seg.colour + 1,
                        showlegend=seg.category.id not in seen,
                        marker=dict(color=PALETTE[seg.colour], line=dict(color="#ffffff", width=1)),
                        customdata=[_hover(f"{group.label}：{seg.label}", seg.amount, seg.share, share_of)],
                        hovertemplate=HOVER,
                    ),
                )
            )
            seen.add(seg.category.id)
    traces.append(
        (
            "scatter",
            dict(
                y=ys,
                x=[_number(g.amount) for g in groups],
                mode="text",
                text=[f"  {wan_text(g.amount)}" for g in groups],
                textposition="middle right",
                hoverinfo="skip",
                showlegend=False,
                cliponaxis=False,
            ),
        )
    )
    return traces, len(groups)


def _layout(bars: int, legend: bool) -> dict[str, Any]:
    """The figure's layout properties (for `Figure.update_layout`)."""
    top = 80 if legend else 10  # the legend sits above the bars, clear of the axis title
    return dict(
        template="none",
        barmode="stack",
        separators=".,",
        height=bars * BAR_HEIGHT + PLOT_MARGIN + top,
        margin=dict(l=10, r=60, t=top, b=PLOT_MARGIN - 20),
        font=dict(size=13),
        xaxis=dict(title=dict(text="万元"), tickformat=",~r", fixedrange=True, rangemode="tozero", gridcolor="#dddddd"),
        yaxis=dict(autorange="reversed", automargin=True, fixedrange=True, type="category"),
        legend=dict(orientation="h", x=0, y=1, xanchor="left", yanchor="bottom", traceorder="normal"),
        showlegend=legend,
        hoverlabel=dict(align="left"),
    )


_TRACE_CLASSES: dict[str, Callable[..., Any]] = {"bar": go.Bar, "scatter": go.Scatter}


def build_figure(chart: Chart) -> go.Figure:
    """The plotly figure of a chart: horizontal bars, one colour per category."""
    traces, bars = _traces(chart)
    # one Figure(data=…) at the end: add_bar per trace is quadratic
    fig = go.Figure(data=[_TRACE_CLASSES[kind](**props) for kind, props in traces])
    fig.update_layout(**_layout(bars, any(props["showlegend"] for _, props in traces)))
    return fig


def _plain_trace(kind: str, props: dict[str, Any]) -> dict[str, Any]:
    """A trace as plotly serializes it: properties in alphabetical order (nested ones too), then its type."""

    def ordered(value: Any) -> Any:
        return {k: ordered(value[k]) for k in sorted(value)} if isinstance(value, dict) else value

    return {**ordered(props), "type": kind}


def figure_dict(chart: Chart) -> dict[str, Any]:
    """The figure as plotly's JSON data, without making a plotly object per trace: validating one bar per
    project took over a minute at 10,000 projects. The layout is made by plotly itself; a test checks that
    the whole equals `build_figure`'s JSON for every chart."""
    traces, bars = _traces(chart)
    layout = go.Figure().update_layout(**_layout(bars, any(props["showlegend"] for _, props in traces)))
    return {
        "data": [_plain_trace(kind, props) for kind, props in traces],
        "layout": json.loads(pio.to_json(layout, validate=True, pretty=False, engine="json"))["layout"],
    }


def _unique(labels: list[str]) -> list[str]:
    """Axis labels for plotly (escaped); bars with the same label would be drawn as one: number the repeats."""
    out, seen = [], {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(plotly_text(label if seen[label] == 1 else f"{label}（{seen[label]}）"))
    return out


def figure_data(chart: Chart) -> dict[str, Any]:
    """The figure as a plain dict (what the page embeds and build_charts.py writes)."""
    return figure_dict(chart)


def embedded_json(chart: Chart, name: str) -> str:
    """The figure and its plotly.js config as one JSON object (what a page embeds or a file holds)."""
    config = dict(PLOTLY_CONFIG, toImageButtonOptions=dict(PLOTLY_CONFIG["toImageButtonOptions"], filename=name))
    figure = figure_data(chart)
    figure["config"] = config
    return json.dumps(figure, ensure_ascii=False, separators=(",", ":"))


def script_json(chart: Chart, name: str) -> str:
    """embedded_json, safe inside <script type="application/json"> (no '<', '>' or '&' left to parse)."""
    text = embedded_json(chart, name)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
