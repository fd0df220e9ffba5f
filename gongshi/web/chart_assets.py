"""The JavaScript that draws charts in the browser: vendored plotly.js, its zh-CN locale, our renderer.

The funds pages draw every chart as static SVG at build time (chart_svg.py) and load only `PAGE_SCRIPT`
(front matter `gongshi_scripts`, added by the theme override): a button that fetches `SCRIPTS` when the
visitor asks for the interactive charts. File names carry the plotly.js version, so browsers may cache
them for good.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from gongshi.web.urls import ASSETS as ASSETS_FOLDER

ASSETS = Path(__file__).resolve().parent / "assets"
VENDOR = ASSETS / "vendor"
SERVED = ASSETS_FOLDER  # where the site serves them, relative to its root (the address book's assets)


def _one(pattern: str) -> Path:
    found = sorted(VENDOR.glob(pattern))
    if len(found) != 1:
        raise RuntimeError(f"expected one {pattern} in {VENDOR}, found {len(found)}: run scripts/fetch_plotly.py")
    return found[0]


BUNDLE = _one("plotly-basic-*.min.js")
LOCALE = _one("plotly-locale-zh-cn-*.js")
LICENSE = VENDOR / "LICENSE-plotly.js.txt"
RENDERER = ASSETS / "charts.js"
LOADER = ASSETS / "chart-loader.js"
BUNDLE_VERSION = BUNDLE.name.removeprefix("plotly-basic-").removesuffix(".min.js")
BUNDLE_TRACES = frozenset({"bar", "pie", "scatter"})
"""Trace types in npm's plotly.js-basic-dist-min (its README: `bar`, `pie` and `scatter`)."""

FILES = (BUNDLE, LOCALE, RENDERER, LOADER, LICENSE)
SCRIPTS = tuple(f"{SERVED}/{path.name}" for path in (BUNDLE, LOCALE, RENDERER))
"""Served paths of the scripts that draw the interactive charts, in order: plotly.js, its locale, ours."""
PAGE_SCRIPT = f"{SERVED}/{LOADER.name}"
"""What a chart page loads with it: the button that fetches SCRIPTS when the visitor asks."""


@functools.cache
def interactive_kb() -> int:
    """Kilobytes (gzipped, as a static host sends them) a visitor downloads for the interactive charts."""
    return round(sum(len(gzip.compress(p.read_bytes(), 6, mtime=0)) for p in (BUNDLE, LOCALE, RENDERER)) / 1024)


PLOTLY_CONFIG = {
    "locale": "zh-CN",
    "responsive": True,
    "displaylogo": False,
    "showLink": False,  # no link to plot.ly / Chart Studio
    "showEditInChartStudio": False,
    "showSendToCloud": False,
    "showTips": False,
    "scrollZoom": False,
    "displayModeBar": "hover",
    "modeBarButtonsToRemove": [
        "zoom2d",
        "pan2d",
        "select2d",
        "lasso2d",
        "zoomIn2d",
        "zoomOut2d",
        "autoScale2d",
        "resetScale2d",
        "toggleSpikelines",
        "hoverClosestCartesian",
        "hoverCompareCartesian",
    ],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
"""plotly.js config for every chart, on the site (embedded with each figure) and in build_charts.py's files."""


def asset_files() -> list[tuple[str, bytes]]:
    """(served path, content) of every file the charts need on the site."""
    return [(f"{SERVED}/{path.name}", path.read_bytes()) for path in FILES]
