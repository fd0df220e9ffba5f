"""Text that renderers would read as markup stays text (issue 17): plotly draws a subset of HTML in labels,
legends and hovers, so every label passed to it is escaped; a body image whose address a browser reads as
another host (`/\\evil.example`) is dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import open_page, serve
from conftest import build_ok
from tiny_county import data, make_project

from gongshi.content.load import load_site
from gongshi.web.body import render_body
from gongshi.web.charts import figure_data, plan_charts

LINK = '<a href="https://evil.example/">点我</a>'
BOLD = "<b>粗</b><br>x & y <span style='font-size:90px'>大</span>"


def hostile_county() -> dict:
    county = data()
    county["content/plans/2025.yml"]["categories"][0]["name"] = LINK
    county["content/projects/01-park.md"]["title"] = BOLD
    county["content/units.yml"]["units"][0]["full_name"] = LINK
    return county


def labels(value, key: str = "") -> list[str]:
    """Every string in a plotly figure but our own hover template."""
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "hovertemplate" for s in labels(v, k)]
    if isinstance(value, list):
        return [s for v in value for s in labels(v, key)]
    return [value] if isinstance(value, str) else []


def test_every_label_passed_to_plotly_is_escaped(tmp_path: Path):
    from tiny_county import write_content

    write_content(tmp_path, hostile_county())
    site = load_site(tmp_path / "content", tmp_path)
    texts = [s for chart in plan_charts(site, site.plans[0]) for s in labels(figure_data(chart)["data"])]
    assert not [t for t in texts if "<" in t or ">" in t], texts
    assert any("&lt;a href=" in t for t in texts) and any("x &amp; y" in t for t in texts)


@pytest.fixture(scope="module")
def chart_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ok(make_project(tmp_path_factory.mktemp("charts") / "project", hostile_county()))


def test_chart_labels_are_shown_as_written_in_the_browser(chart_site: Path, context):
    with serve(chart_site) as url:
        visit = open_page(context, url, "funds/")
        page = visit.page
        page.locator(".gs-chart-load").click()  # the interactive charts load when the visitor asks
        charts = page.locator(".gs-chart").count()  # polled from here: the page's CSP forbids evaluated strings
        page.locator(".gs-chart--drawn").nth(charts - 1).wait_for(state="attached", timeout=20000)
        found = page.evaluate("""() => ({
            links: [...document.querySelectorAll('.js-plotly-plot svg a, a[href*="evil.example"]')].length,
            bold: [...document.querySelectorAll('.js-plotly-plot svg text')].filter(
                t => t.querySelector('tspan[style*="bold"], tspan[style*="90px"]')).length,
            legend: [...document.querySelectorAll('.js-plotly-plot .legend text')].map(t => t.textContent),
            ticks: [...document.querySelectorAll('.js-plotly-plot .ytick text')].map(t => t.textContent),
        })""")
        page.locator(".js-plotly-plot svg .barlayer g.point path").first.hover(force=True)
        hover = page.locator(".hoverlayer .hovertext").first
        hover.wait_for(state="attached", timeout=5000)
        hover_links = page.locator(".hoverlayer a").count()
        assert visit.console_errors == [] and visit.other_hosts == []
    assert found["links"] == 0 and found["bold"] == 0 and hover_links == 0, found
    assert LINK in found["legend"], found["legend"]
    assert any(tick.startswith("<b>粗</b>") for tick in found["ticks"]), found["ticks"]


@pytest.mark.parametrize(
    "body",
    [
        "![p](/\\evil.example/p.png)",
        '<img src="/\\evil.example/p.png">',
        '<img src="\\\\evil.example/p.png">',
        '<img src=" //evil.example/p.png">',
        '<img src="&#10;//evil.example/p.png">',
        '<img src="//evil.example/p.png">',
        '<img src="https://evil.example/p.png">',
        '<img src="/\t/evil.example/p.png">',
    ],
)
def test_an_image_from_another_host_is_dropped_however_it_is_written(body: str):
    html = render_body(body)
    src = html.split('src="', 1)[1].split('"', 1)[0] if 'src="' in html else ""
    seen = src.replace("\\", "/").replace("&#10;", "").strip()
    assert not seen.startswith("//") and ":" not in seen, html


def test_a_local_image_stays():
    assert 'src="photos/a.jpg"' in render_body("![现场](photos/a.jpg)")


@pytest.mark.parametrize(
    "body",
    [
        "[x](/\\evil.example/x)",
        "[x](\\\\evil.example/x)",
        "[x](//evil.example/x)",
        '<a href="/\\evil.example/x">x</a>',
        '<a href=" /\t\\evil.example/x">x</a>',
        '<a href="&#10;//evil.example/x">x</a>',
        '<a href="java&#9;script:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](http://evil.example/x)",
    ],
)
def test_a_link_another_host_without_scheme_is_dropped_like_an_image(body: str):
    """Links and images share one URL check: `[x](/\\host/x)` is a link a browser sends to http://host/x."""
    html = render_body(body)
    href = html.split('href="', 1)[1].split('"', 1)[0] if 'href="' in html else ""
    seen = href.replace("\\", "/").replace("&#10;", "").replace("\t", "").strip()
    assert not seen.startswith("//") and not seen.startswith("http:") and "script" not in seen, html


@pytest.mark.parametrize(
    "body, href",
    [
        ("[x](https://example.org/a)", "https://example.org/a"),
        ("[x](mailto:a@example.org)", "mailto:a@example.org"),
        ("[x](../projects/park/)", "../projects/park/"),
        ("[x](#part)", "#part"),
        ("[x](a/b:c)", "a/b:c"),
    ],
)
def test_ordinary_links_stay(body: str, href: str):
    assert f'href="{href}"' in render_body(body)
