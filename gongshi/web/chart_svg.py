"""Every chart of the funds page drawn at build time as bars of static SVG: on screen before any script.

The interactive plotly version (hover details, zoom, PNG download) is about half a megabyte of script;
the page offers it with a button (assets/gongshi/chart-loader.js) and draws it over these bars. The
bars carry the same groups and amounts as the figure and the table twin (gongshi/web/charts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gongshi.web.charts import Chart

SCALE = 100  # the bars' viewBox is 0…SCALE wide; the widest bar spans it


@dataclass(frozen=True)
class Piece:
    """One coloured stretch of a bar, in viewBox units."""

    colour: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str  # a group's label or a project's name
    amount: Decimal
    share: Decimal  # percent of the chart's total
    pieces: tuple[Piece, ...]


def _pieces(parts: list[tuple[int, Decimal]], widest: Decimal) -> tuple[Piece, ...]:
    out, x = [], 0.0
    for colour, amount in parts:
        width = float(amount * SCALE / widest) if widest else 0.0
        out.append(Piece(colour, round(x, 3), round(width, 3)))
        x += width
    return tuple(out)


def bars(chart: Chart) -> list[Bar]:
    """The chart's bars: one per project where the chart is by project, else one per group; a group of
    several categories is stacked from its projects' segments, each in its category's colour. An amount the
    documents do not state has no bar (the table twin and the chart's note say so)."""
    if chart.by_project:
        rows = [(s.label, s.amount, s.share, [(s.colour, s.amount)]) for s in chart.segments if s.drawn]
    else:
        rows = [
            (
                g.label,
                g.amount,
                g.share,
                [(g.colour, g.amount)]
                if g.colour is not None
                else [(s.colour, s.amount) for s in g.segments if s.drawn],
            )
            for g in chart.groups
            if g.drawn
        ]
    widest = max((amount for _, amount, _, _ in rows), default=Decimal(0))
    return [Bar(label, amount, share, _pieces(parts, widest)) for label, amount, share, parts in rows]


def legend(chart: Chart) -> list[tuple[str, int]]:
    """(category name, colour) of the categories a chart's colours stand for; none when bars are categories.
    A category is one entry by its id, so two categories the documents do not name stay two."""
    if not chart.by_project and all(g.colour is not None for g in chart.groups):
        return []
    seen: dict[str, tuple[str, int]] = {}
    for segment in chart.segments:
        if segment.drawn:
            seen.setdefault(segment.category.id, (segment.legend, segment.colour))
    return sorted(seen.values(), key=lambda item: item[1])
