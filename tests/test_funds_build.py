"""The funds page in a real build: table twins equal the embedded figures; a changed record changes both."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from conftest import ROOT, build_ok
from helpers import edit, main_text
from records import amount, fixture
from test_charts import exact
from variants import TEA, add_front_matter

from gongshi.web import chart_assets

PLAN_FILE = "content/plans/2025.yml"
RECORDS = fixture()
PLAN = RECORDS.plans[0]
# Charts whose total row is their own sum, not the plan total.
OWN_TOTAL = {"dividends", "disbursed"}


class _Page(HTMLParser):
    """The embedded figures (by chart id) and the table twins' rows (kind, amount, share) by chart id."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, dict] = {}
        self.tables: dict[str, list[tuple[str, Decimal, Decimal | None]]] = {}
        self.scripts: list[str] = []
        self._chart: str | None = None
        self._table: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and "gs-chart" in (a.get("class") or "").split():
            self._chart = a["data-chart"].split("-", 1)[1]
        elif tag == "script" and a.get("type") == "application/json" and self._chart:
            self.figures[self._chart] = {}
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "table" and "gs-twin" in (a.get("class") or ""):
            self._table = a["data-chart"]
            self.tables[self._table] = []
        elif tag in ("tr", "li") and self._table and a.get("data-kind"):  # li: a project folded into its group
            share = Decimal(a["data-share"]) if a.get("data-share") else None
            self.tables[self._table].append((a["data-kind"], Decimal(a["data-amount"]), share))

    def handle_data(self, data):
        if self._chart and self._chart in self.figures and not self.figures[self._chart]:
            self.figures[self._chart] = json.loads(data)
            self._chart = None

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def bar_values(figure: dict) -> list[Decimal]:
    return [exact(x) for t in figure["data"] if t["type"] == "bar" for x in t["x"]]


def check_twins(page: _Page, total: Decimal) -> None:
    """Every table twin: its rows equal its figure's bars, shares add to 100.0, the total row is `total`."""
    assert set(page.tables) == set(page.figures)
    for chart_id, rows in page.tables.items():
        figure = page.figures[chart_id]
        groups = [r for r in rows if r[0] == "group"]
        segments = [r for r in rows if r[0] == "segment"]
        totals = [r[1] for r in rows if r[0] == "total"]
        bars = bar_values(figure)
        if chart_id == "categories":
            assert [g[1] for g in groups] == bars
        else:
            assert [s[1] for s in segments] == bars, chart_id
        for level in (groups, segments):
            if level:
                assert sum(r[2] for r in level) == Decimal("100.0"), chart_id
        if chart_id in OWN_TOTAL:
            assert totals == [sum(bars)]
        else:
            assert totals == [total], chart_id
            assert sum(bars) == total


def test_funds_page_twins_equal_figures(built_site: Path):
    page = parse(built_site / "funds/index.html")
    # No dividend chart: the test county promises none. A disbursement chart: one project reports progress.
    assert list(page.figures) == ["categories", "projects", "sources", "units", "townships", "disbursed"]
    check_twins(page, PLAN["total"])
    assert len(page.tables["projects"]) == len(RECORDS.projects) + len(PLAN["categories"]) + 1
    text = main_text(built_site / "funds/index.html")
    for source in PLAN["funding"][1:]:  # what each further fund source pays for
        titles = "、".join(p["title"] for p in RECORDS.projects for f in p["funding"] if f["source"] == source["id"])
        assert f"{source['name']}。金额：{amount(source['amount'])} 万元；用于：{titles}。" in text


def home_bars(path: Path) -> list[Decimal]:
    """Amounts of the home page's static headline bars, in order."""
    return [Decimal(v) for v in re.findall(r'class="gs-homebar" data-amount="([^"]+)"', path.read_text("utf-8"))]


def test_home_shows_the_headline_chart_and_links_to_funds(built_site: Path):
    page = parse(built_site / "index.html")
    assert page.figures == {}  # no plotly on the home page: its chart is static SVG
    assert home_bars(built_site / "index.html") == [c["amount"] for c in PLAN["categories"]]
    assert 'href="funds/"' in (built_site / "index.html").read_text(encoding="utf-8")


def test_plotly_only_on_chart_pages(built_site: Path):
    bundle = f"assets/gongshi/{chart_assets.BUNDLE.name}"
    assert (built_site / bundle).read_bytes() == chart_assets.BUNDLE.read_bytes()
    for path in built_site.rglob("*.html"):
        page = parse(path)
        assert not any(s.endswith(chart_assets.BUNDLE.name) for s in page.scripts), path  # never up front
        offers = any(s.endswith(chart_assets.PAGE_SCRIPT) for s in page.scripts)
        assert offers == bool(page.figures), path
        if offers:  # the button fetches plotly.js, then its locale, then our renderer, each once
            html = path.read_text(encoding="utf-8")
            listed = re.search(r'class="md-button gs-chart-load" data-scripts="([^"]*)"', html).group(1).split()
            assert listed == list(chart_assets.SCRIPTS)
    article = (built_site / "funds/index.html").read_text(encoding="utf-8").split("<article")[1].split("</article>")[0]
    tags = re.findall(r"<script[^>]*>", article)
    assert tags and all('type="application/json"' in tag for tag in tags)  # data, never inline code


def test_changed_record_changes_chart_table_and_totals(project: Path):
    """The tea factory costs 430 instead of 480 and promises a dividend: the plan's declared figures follow,
    and so must every chart."""
    edit(project, TEA, "investment: 480", "investment: 430")
    edit(project, TEA, "    amount: 480", "    amount: 430")
    add_front_matter(project, TEA, "dividend:\n  rate_percent: 3\n  annual: 12.9\n")
    edit(project, PLAN_FILE, "total: 1276.456789", "total: 1226.456789")
    edit(project, PLAN_FILE, "资金1276.456789万元（其中中央资金1000万元", "资金1226.456789万元（其中中央资金950万元")
    edit(project, PLAN_FILE, "amount: 1000", "amount: 950")
    edit(project, PLAN_FILE, "amount: 800.456789", "amount: 750.456789")
    site = build_ok(project)
    page = parse(site / "funds/index.html")
    new_total = Decimal("1226.456789")
    check_twins(page, new_total)
    assert Decimal(430) in bar_values(page.figures["projects"])
    assert Decimal(480) not in bar_values(page.figures["projects"])
    assert bar_values(page.figures["categories"])[0] == Decimal("750.456789")
    assert bar_values(page.figures["dividends"]) == [Decimal("12.9")]
    text = main_text(site / "funds/index.html")
    assert "1,226.456789" in text and "1,276.456789" not in text
    assert "12.9" in text and "129,000 元" in text  # the dividend in 万元 and 元
    assert home_bars(site / "index.html")[0] == Decimal("750.456789")


def test_build_charts_writes_the_site_figures(tmp_path: Path, project: Path, built_site: Path):
    out = tmp_path / "charts"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build_charts.py"), "--root", str(project), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    page = parse(built_site / "funds/index.html")
    for chart_id, embedded in page.figures.items():
        written = json.loads((out / f"2025-{chart_id}.json").read_text(encoding="utf-8"))
        assert written == embedded
        html = (out / f"2025-{chart_id}.html").read_text(encoding="utf-8")
        assert "Plotly.newPlot" in html and 'name:"zh-CN"' in html
        assert not re.search(r"""<(?:script|link|img)[^>]+(?:src|href)=""", html)


def test_build_charts_refuses_bad_content(tmp_path: Path, project: Path):
    edit(project, TEA, "investment: 480", "investment: 480万元")
    out = tmp_path / "charts"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build_charts.py"), "--root", str(project), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "01-tea-processing.md" in result.stderr and "investment" in result.stderr
    assert not out.exists()


def test_page_weight_script_prints_figures(built_site: Path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/page_weight.py"), str(built_site)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    funds = re.search(r"^funds\s+([\d.]+)\s+(\d+)\s+funds/index\.html", result.stdout, re.M)
    assert funds, result.stdout
    assert chart_assets.BUNDLE.name in result.stdout
    for kind in ("home", "project", "category", "unit", "place"):
        assert re.search(rf"^{kind}\s+[\d.]+", result.stdout, re.M), kind


def test_project_page_shows_its_share_of_category_and_plan(built_site: Path):
    plan, records = PLAN, RECORDS.projects
    declared = {c["id"]: c["amount"] for c in plan["categories"]}
    colours = {c["id"]: i for i, c in enumerate(plan["categories"])}
    for record in records:
        html = (built_site / "projects" / record["id"] / "index.html").read_text(encoding="utf-8")
        bars = re.findall(r'<rect class="gs-fill-c(\d)" width="([\d.]+)"', html)
        of_category = (record["investment"] * 100 / declared[record["category"]]).quantize(Decimal("0.1"))
        of_plan = (record["investment"] * 100 / plan["total"]).quantize(Decimal("0.1"))
        assert [(int(c), Decimal(w)) for c, w in bars] == [
            (colours[record["category"]], of_category),
            (colours[record["category"]], of_plan),
        ]
