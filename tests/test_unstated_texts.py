"""原文件未列明 in what the site says outside its pages: text messages, loudspeaker scripts, share images, feeds,
search entries, charts and downloads, for a purpose-made county whose documents leave out a township's and a
village's code, both category names, a project's title and another's investment, funding amount and units.

The rule (gongshi/content/unstated.py): an unstated value is shown whole or not at all — never spliced into a
sentence, never 0, never summed as if known; a sum over partly stated values says what it covers."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from tiny_county import data, make_project

from gongshi.content.load import load_site
from gongshi.content.unstated import NOT_STATED, UNSTATED
from gongshi.content.values import Texts
from gongshi.staff.chart_files import standalone_html
from gongshi.staff.xlsx_export import export_xlsx
from gongshi.web import chart_svg, search
from gongshi.web.charts import plan_charts
from gongshi.web.downloads.csv_tables import to_csv
from gongshi.web.downloads.datapackage import datapackage
from gongshi.web.downloads.tables import tables
from gongshi.web.downloads.xlsx_workbook import to_xlsx
from gongshi.web.pages import follow, reach
from gongshi.web.plugin import make_renderer

U = NOT_STATED
PARK, SCHOOL = "content/projects/01-park.md", "content/projects/02-school.md"
# What a villager must never hear or read for a value the document does not state.
NEVER = re.compile(r"(?<![\d.,])0(?:\.0+)?\s*(?:万元|元|个村|%)|投资是?零|零元|（0")


def county() -> dict:
    c = data()
    township = c["content/places.yml"]["townships"][0]
    township.update(code=U, id="jia")  # the guide's way for a place without code
    township["villages"][1].update(code=U, id="er")
    plan = c["content/plans/2025.yml"]
    plan["categories"][0]["name"] = plan["categories"][1]["name"] = U
    plan["categories"][1]["amount"] = U
    c[PARK].update(title=U, places=["甲镇一村", "甲镇"])
    c[SCHOOL].update(investment=U, responsible_units=U)
    c[SCHOOL]["funding"][0]["amount"] = U
    return c


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("unstated-texts") / "county", county())


@pytest.fixture(scope="module")
def site(root: Path):
    return load_site(root / "content", root)


@pytest.fixture(scope="module")
def renderer(site, root: Path):
    return make_renderer(site, root / "templates")


@pytest.fixture(scope="module")
def files(renderer) -> dict[str, str]:
    """Every village-channel and feed file of the county, as text (share images left out)."""
    out = {}
    for page in (*reach.reach_pages(renderer), *follow.follow_pages(renderer)):
        if page.src_uri.endswith((".txt", ".xml", ".md")):
            content = page.content
            out[page.src_uri] = content.decode("utf-8") if isinstance(content, bytes) else str(content)
    return out


def project(site, project_id: str):
    return next(p for p in site.projects if p.id == project_id)


# --- text messages, loudspeaker scripts, feeds ---------------------------------------------------------


def test_messages_scripts_and_feeds_never_splice_the_placeholder_nor_say_zero(files: dict[str, str]):
    spoken = {uri: text for uri, text in files.items() if uri.endswith((".txt", ".xml"))}
    assert {"projects/park/sms.txt", "places/er/broadcast.txt", "projects/school/feed.xml"} <= set(spoken)
    for uri, text in spoken.items():
        assert U not in text, uri
        assert not NEVER.search(text), (uri, NEVER.findall(text))


def test_a_message_without_a_stated_investment_has_no_amount_clause(files: dict[str, str]):
    school = files["projects/school/sms.txt"].strip()
    assert school.startswith("【公示】甲镇学校改善项目。") and "投资" not in school and "12317" in school
    park = files["projects/park/sms.txt"].strip()
    assert len(park) <= 70 and "投资100万元" in park
    # An untitled project is named by what its document does state: its number and its place.
    assert park.startswith("【公示】名称未列明的项目（原文序号 1，甲镇一村）"), park


def test_a_village_total_is_said_only_when_every_investment_is_stated(files: dict[str, str]):
    assert "总投资100万元" in files["places/990100100201/sms.txt"]  # its one project states its investment
    both = files["places/er/sms.txt"]
    assert "2个项目与本村有关" in both and "总投资" not in both and "万元" not in both
    script = files["places/er/broadcast.txt"]
    assert "其中一个项目写明了投资，合计一百万元；另外一个项目的投资，原文件没有写明。" in script
    assert "第二个，甲镇学校改善项目，我们村是" in script  # no amount clause for the project without one
    assert not re.search(r"\d", script.replace("原文序号 一", "")), script


def test_the_loudspeaker_script_leaves_out_what_the_document_does_not_state(files: dict[str, str]):
    script = files["projects/school/broadcast.txt"]
    assert "计划投资" not in script and "资金来源是：二〇二五年协作资金。" in script
    assert "责任单位" not in script
    park = files["projects/park/broadcast.txt"]
    assert "协作项目：名称未列明的项目（原文序号 一，甲镇一村）。" in park
    assert "由二个村的村集体共享" in park


def test_the_village_a3_notice_says_what_its_sum_covers(files: dict[str, str]):
    a3 = files["notices/places/er/a3.md"]
    assert "已列明的 1 项合计 100 万元，另有 1 项未列明" in a3
    assert "甲镇学校改善项目</strong>：本村是" in a3  # no 投资 clause for the unstated investment


def test_feeds_name_an_untitled_project_in_words(files: dict[str, str]):
    feed = files["projects/park/feed.xml"]
    assert "名称未列明的项目（原文序号 1，甲镇一村） · 项目动态" in feed
    assert "名称未列明的项目（原文序号 1，甲镇一村）：进展报告" in feed


# --- share images ----------------------------------------------------------------------------------------


def test_share_cards_show_an_unstated_amount_whole_and_a_partial_sum_with_what_it_covers(renderer, site):
    park = reach.project_card(renderer, project(site, "park"))
    assert park.title == "名称未列明的项目（原文序号 1，甲镇一村）"
    school = reach.project_card(renderer, project(site, "school"))
    assert (school.amount, school.amount_note) == (U, "")  # under its label 规划投资: a whole value
    village = reach.place_card(renderer, site.place("er"))
    assert village.amount == "100 万元" and "已列明的 1 项合计，另有 1 项未列明" in village.amount_note
    assert U not in village.facts[0][1]  # the projects' names


# --- search ---------------------------------------------------------------------------------------------


def test_a_township_and_village_without_code_are_found_by_their_key(site):
    township = site.place("jia")
    entry = search.entry_of(site, township).data()
    assert entry["type"] == "乡镇" and entry["township"] == ["甲镇"]
    village = search.entry_of(site, site.place("er")).data()
    assert village["type"] == "村" and village["township"] == ["甲镇"]
    # A project's and a unit's townships are looked up by key (was a KeyError for a township without code).
    assert search.entry_of(site, project(site, "park")).data()["township"] == ["甲镇"]
    assert search.entry_of(site, site.units[0]).data()["township"] == ["甲镇"]


def test_an_unstated_or_partial_amount_has_no_amount_meta(site):
    school = search.entry_of(site, project(site, "school")).data()
    assert "amount" not in school and "amount_sort" not in school and "0" not in school["words"].split()
    # 二村's two projects: one investment is not stated, so their sum is not the total.
    village = search.entry_of(site, site.place("er")).data()
    assert "amount" not in village and "amount_sort" not in village
    park = search.entry_of(site, project(site, "park")).data()
    assert park["amount_sort"] == "100"
    # Pages without an amount are indexed after the others, never as 0.
    assert search.parts({"a.html": "", "b.html": "100", "c.html": "5"}) == [["c.html", "b.html", "a.html"]]


# --- charts ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def charts(site):
    return {c.id: c for c in plan_charts(site, site.plans[0])}


def test_an_unstated_amount_has_no_bar_and_no_share(charts):
    for chart in charts.values():
        for segment in chart.segments:
            if segment.project.id == "school" and chart.id != "disbursed":
                assert segment.amount is UNSTATED and segment.share is UNSTATED, chart.id
        drawn = chart_svg.bars(chart)
        assert all(bar.amount > 0 and bar.share > 0 for bar in drawn), chart.id
        assert all(bar.label and bar.label != U for bar in drawn), chart.id
        figure = chart.figure_json()
        assert '"x":[0' not in figure and f'"{U}"' not in figure, chart.id
    categories = charts["categories"]
    assert [g.label for g in categories.groups] == ["第 1 类（名称未列明）", "第 2 类（名称未列明）"]
    assert categories.groups[1].amount is UNSTATED and categories.groups[1].share is UNSTATED
    assert [b.label for b in chart_svg.bars(categories)] == ["第 1 类（名称未列明）"]


def test_totals_and_notes_say_what_they_cover_without_the_placeholder_in_a_sentence(charts):
    categories = charts["categories"]
    assert categories.total == Decimal(100)
    assert categories.total_label == "已列明的 1 项合计（另有 1 项未列明）"
    assert "1 个项目的规划投资未列明，没有画出，也没有计入合计和占比：甲镇学校改善项目。" in categories.note
    for chart in charts.values():
        assert U not in chart.note and U not in chart.total_label, chart.id
    assert "各项目规划投资：已列明的 1 项合计 100 万元，另有 1 项未列明" in charts["disbursed"].note


def test_projects_without_stated_units_form_a_group_that_says_so(charts):
    assert [g.label for g in charts["units"].groups] == ["县甲局", "责任单位未列明"]


def test_two_unnamed_categories_are_two_legend_entries(tmp_path: Path):
    c = county()
    c[SCHOOL].update(investment=50)
    c[SCHOOL]["funding"][0]["amount"] = 50
    folder = make_project(tmp_path / "named", c)
    other = load_site(folder / "content", folder)
    chart = next(ch for ch in plan_charts(other, other.plans[0]) if ch.id == "projects")
    assert chart_svg.legend(chart) == [("第 1 类（名称未列明）", 0), ("第 2 类（名称未列明）", 1)]
    legends = {t["legendgroup"]: t["name"] for t in chart.figure.to_plotly_json()["data"] if t["showlegend"]}
    assert legends == {"cat-a": "第 1 类（名称未列明）", "cat-b": "第 2 类（名称未列明）"}


def test_a_category_without_project_records_is_no_bar_of_zero(tmp_path: Path):
    c = county()
    plan = c["content/plans/2025.yml"]
    plan["categories"].append({"id": "cat-c", "name": "乡村建设", "amount": U, "count": U})
    plan["summary"] = U
    folder = make_project(tmp_path / "empty-category", c)
    other = load_site(folder / "content", folder)
    chart = plan_charts(other, other.plans[0])[0]
    assert [g.label for g in chart.groups] == ["第 1 类（名称未列明）", "第 2 类（名称未列明）"]
    assert "没有项目记录，不在本图中：乡村建设。" in chart.note


def test_a_chart_file_leaves_out_an_unstated_issuer_and_says_what_its_total_covers(site, charts):
    plan = site.plans[0]
    page = standalone_html(charts["categories"], plan, "2025-categories")
    note = re.search(r"<p>(.*?)</p>", page, re.S).group(1)
    assert "已列明的 1 项合计 100 万元，另有 1 项未列明" in note and f"{U}《" not in note


# --- downloads and the staff export ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def download_tables(site, renderer):
    return {t.name: t for t in tables(site, renderer.urls)}


def _rows(table) -> list[dict]:
    return [dict(zip([c.name for c in table.columns], row)) for row in table.rows]


def test_every_unstated_cell_reads_the_words_never_empty_or_zero(download_tables, site):
    rows = {r["id"]: r for r in _rows(download_tables["projects"])}
    assert (rows["park"]["title"], rows["park"]["category"]) == (U, U)
    assert rows["school"]["investment_wan"] == U and rows["school"]["responsible_units"] == U
    funding = {r["project_id"]: r for r in _rows(download_tables["funding"])}
    assert funding["school"]["amount_wan"] == U
    text = to_csv(download_tables["projects"]).decode("utf-8-sig")
    school = next(r for r in csv.DictReader(io.StringIO(text)) if r["id"] == "school")
    assert school["investment_wan"] == U and school["category"] == U
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(list(download_tables.values()), site.stamp)))
    sheet = book["projects"]
    header = [c.value for c in sheet[2]]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    by_id = {row[header.index("id")]: row for row in values}
    assert by_id["school"][header.index("investment_wan")] == U
    assert by_id["park"][header.index("category")] == U


def test_the_data_package_leaves_out_an_unstated_issuer_and_date(tmp_path: Path, renderer):
    c = county()
    c["content/plans/2025.yml"].update(issuer=U, date=U)
    folder = make_project(tmp_path / "undated", c)
    other = load_site(folder / "content", folder)
    description = datapackage(other, renderer.urls, [])["description"]
    assert description.startswith("数据来源：《关于印发《测试县2025年项目实施方案》的通知》。"), description


def test_reference_names_read_the_words(site):
    texts = Texts(site)
    park = project(site, "park")
    assert texts.field(park, "category") == U  # was the raw object: an empty cell
    assert texts.name(park, "source", "fund-a") == "2025年协作资金"


def test_places_are_listed_by_their_key_with_the_code_as_stated(download_tables):
    places = {(r["project_id"], r["place_id"]): r for r in _rows(download_tables["places"])}
    assert places[("park", "jia")]["place_code"] == U
    assert places[("school", "er")]["place_code"] == U
    assert places[("park", "990100100201")]["place_code"] == "990100100201"


def test_the_staff_export_total_rows_say_what_they_cover(site, tmp_path: Path):
    out = tmp_path / "plan.xlsx"
    export_xlsx(site, out)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[2]]
    title, amount = header.index("项目名称"), header.index("规划投资（万元）")
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    labelled = {r[title]: r[amount] for r in rows if r[0] is None}
    assert labelled == {
        "一、第 1 类（名称未列明）（1个）": 100,
        "二、第 2 类（名称未列明）（1个；已列明投资的0个合计，另有1个未列明）": U,
        "合计（2个项目；已列明投资的1个合计，另有1个未列明）": 100,
    }
