"""The pages of a county whose document leaves things unstated: it builds, and its pages say only what the
document says — 原文件未列明 as a whole value (its own element, or the value after a label), never spliced, never
0, and every sum with what it covers (DESIGN.md: "Not stated is one concept with one presentation rule")."""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_build
from jinja2 import DictLoader, Environment
from tiny_county import data, make_project

from gongshi.content.unstated import UNSTATED, Total
from gongshi.web.present import shares
from gongshi.web.render import RawValueError, refuse_raw

U = "原文件未列明"


def county() -> dict:
    """The tiny county with a township without code, two categories without a name, a category whose amount
    and count are not stated, a project without title (and period, location, beneficiaries), one without
    investment (and a responsible person without name, a target without value), a plan without date and with a
    fund source whose amount is not stated, a category without records."""
    c = data()
    township = c["content/places.yml"]["townships"][0]
    township["code"], township["id"] = U, "jia"
    plan = c["content/plans/2025.yml"]
    plan["date"] = plan["summary"] = U
    plan["total"] = 170
    plan["funding"][0]["amount"] = 170
    plan["funding"].append({"id": "fund-b", "name": "2025年第二批资金", "amount": U})
    plan["categories"][0]["name"] = U
    plan["categories"][1].update(amount=U, count=U)
    plan["categories"].append({"id": "cat-c", "name": U, "amount": 20, "count": 1})
    plan["categories"].append({"id": "cat-d", "name": "乡村建设", "amount": U, "count": U})  # no records yet
    park = c["content/projects/01-park.md"]
    park.update(title=U, period=U, location=U)
    park["beneficiaries"]["households"] = {"value": U, "unit": "户"}
    school = c["content/projects/02-school.md"]
    school["investment"] = U
    school["funding"][0]["amount"] = U
    school["responsible_person"] = {"name": U, "post": "县乙局局长"}
    school["targets"] = [
        {"indicator": "改善学校", "value": U, "unit": "所", "comparator": "≥"},
        {"indicator": "群众满意度", "planned": "明显提高"},
    ]
    road = copy.deepcopy(school)
    road.update(id="road", number="3", category="cat-c", title="乙路项目", investment=20, owner_unit=U)
    road["funding"] = [{"source": "fund-a", "amount": 20}]
    road["places"] = ["甲镇一村"]
    c["content/projects/03-road.md"] = road
    return c


def projects(c: dict) -> list[dict]:
    return [v for k, v in c.items() if k.startswith("content/projects/")]


def covered(values: list) -> str:
    """What a page must say for a sum over these values, written here from the fixture data."""
    stated_ = [Decimal(str(v)) for v in values if v != U]
    amount = f"{sum(stated_, Decimal(0)):,f}"
    amount = amount.rstrip("0").rstrip(".") if "." in amount else amount
    if len(stated_) == len(values):
        return f"{amount} 万元"
    if not stated_:
        return U
    return f"已列明的 {len(stated_)} 项合计 {amount} 万元，另有 {len(values) - len(stated_)} 项未列明"


BLOCK = {"p", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "dd", "dt", "title", "caption"}
BLOCK |= {"figcaption", "tr", "table", "ul", "ol", "section", "figure", "body", "header", "footer", "nav", "br"}


class Texts(HTMLParser):
    """The visible text of a page, with where each piece of text starts (a block boundary or not)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.boundary = True
        self.last = ""
        self.pieces: list[tuple[str, bool, str]] = []  # (text, after a boundary, text before it)
        self.meta: list[str] = []
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "svg"):
            self.skip += 1
        if tag in BLOCK:
            self.boundary = True
        self.in_title = tag == "title"
        if tag == "meta":
            content = dict(attrs).get("content") or ""
            self.meta.append(content)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg"):
            self.skip -= 1
        self.in_title = False
        if tag in BLOCK:
            self.boundary = True

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if self.skip or not data.strip():
            return
        self.pieces.append((data, self.boundary, self.last))
        self.boundary = False
        self.last = data


def spliced(text: str, boundary: bool, before: str) -> list[str]:
    """Occurrences of 原文件未列明 that are neither the whole text of their element nor a labelled value."""
    bad = []
    for match in re.finditer(U, text):
        prefix, suffix = text[: match.start()].rstrip(), text[match.end() :].lstrip()
        starts = prefix.endswith("：") or (not prefix and (boundary or before.rstrip().endswith("：")))
        ends = not suffix or suffix[0] in "；。，、（）|·："
        quoted = prefix.endswith("“") and suffix.startswith("”")  # the words themselves, explained
        if quoted:
            continue
        if not (starts and ends):
            bad.append(f"{before[-20:]}|{text.strip()[:80]}")
    return bad


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("unstated") / "project", county())
    result = run_build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Texts]:
    out = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("guide/", "assets/")):
            continue
        parser = Texts()
        parser.feed(path.read_text(encoding="utf-8"))
        out[rel] = parser
    return out


def visible(parser: Texts) -> str:
    return "\n".join(text for text, _, _ in parser.pieces)


def test_shares_with_an_unstated_amount_or_total_end():
    d = Decimal
    assert shares([d(100), UNSTATED]) == [UNSTATED, UNSTATED]
    assert shares([d(100), UNSTATED], d(150)) == [d("66.7"), UNSTATED]
    assert shares([d(100), d(50)], UNSTATED) == [UNSTATED, UNSTATED]
    assert shares([UNSTATED]) == [UNSTATED]
    assert shares([d(1), d(1), d(1)]) == [d("33.4"), d("33.3"), d("33.3")]


def test_a_template_prints_no_raw_value():
    env = Environment(finalize=refuse_raw, loader=DictLoader({"one.md.j2": "投资{{ v }}"}))
    template = env.get_template("one.md.j2")
    for raw in (UNSTATED, Decimal("1.5"), 1.5, dt.date(2025, 1, 1), Total(Decimal(1), 1, 0)):
        with pytest.raises(RawValueError, match=r"one\.md\.j2"):
            template.render(v=raw)
    assert template.render(v="1.5 万元") == "投资1.5 万元"


def test_unstated_is_never_spliced_into_a_sentence(pages):
    assert len(pages) > 10
    bad = {rel: b for rel, p in pages.items() if (b := [x for piece in p.pieces for x in spliced(*piece)])}
    assert not bad, bad


def test_page_titles_and_open_graph_are_not_spliced(pages):
    for rel, p in pages.items():
        for content in p.meta:
            assert not spliced(content, True, ""), (rel, content)


def test_known_bad_outputs_are_gone(site, pages):
    texts = {rel: visible(p) for rel, p in pages.items()}
    texts |= {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.txt")}
    for bad in ("开展原文件未列明", "年原文件未列明项目", "结余资金 0", "确权到 0 个村", "0 个单位负责"):
        assert not [rel for rel, t in texts.items() if bad in t], bad
    for rel, text in texts.items():
        assert not re.search(r"(?<![\d.,])0(\.0+)? ?万元", text), rel
        assert not re.search(r"(?<![\d.,])0 ?个", text), rel
        assert "0（0%）" not in text and "合计 0 万元" not in text, rel


def test_no_internal_id_file_name_or_doubled_word(pages):
    for rel, p in pages.items():
        text = visible(p)
        for word in (
            "cat-a",
            "cat-b",
            "cat-c",
            "cat-d",
            "fund-a",
            "fund-b",
            "site.yml",
            "places.yml",
            "content/",
            "site_url",
        ):
            assert word not in text, (rel, word)
        for doubled in ("项目项目", "投资投资", "。。", "资金资金"):
            assert doubled not in text, (rel, doubled)


def test_the_plan_total_of_project_investments_says_what_it_covers(pages):
    c = county()
    expected = covered([p["investment"] for p in projects(c)])
    assert expected.startswith("已列明的 2 项合计 120 万元")
    assert expected in visible(pages["projects/index.html"])


def test_village_totals_say_what_they_cover(pages):
    c = county()
    by_village: dict[str, list] = {}
    for p in projects(c):
        named = dict.fromkeys([*p.get("places", []), *p.get("beneficiaries", {}).get("asset_villages", [])])
        for place in named:
            by_village.setdefault(place, []).append(p["investment"])
    assert by_village["甲镇二村"] == [100, U]
    checked = 0
    for rel, p in pages.items():
        name = p.title.split(" - ")[0].strip()
        if rel.startswith("places/") and name in by_village:
            assert covered(by_village[name]) in visible(p), rel
            checked += 1
    assert checked == 2
    village_map = visible(pages["map/index.html"]) if "map/index.html" in pages else ""
    if village_map:
        assert covered(by_village["甲镇二村"]) in village_map


def test_unnamed_categories_stay_two_and_an_untitled_project_is_named_by_its_number(pages):
    plan = pages["plans/2025/index.html"]
    headings = [t.strip() for t, _, _ in plan.pieces]
    first = [h for h in headings if h.startswith("第 1 类")]
    third = [h for h in headings if h.startswith("第 3 类")]
    assert first and third and U not in first[0] + third[0]
    project = next(p for rel, p in pages.items() if rel.startswith("projects/park/"))
    text = visible(project)
    assert project.title.startswith("原文序号 1") or "（原文序号 1" in project.title, project.title
    assert f"项目名称\n{U}" in text


def test_the_map_says_one_thing(pages):
    page = next(p for rel, p in pages.items() if "map" in rel and "受益村地图" in visible(p))
    text = visible(page)
    assert "位置还没有记录" in text
    assert "暂不显示地图" not in text and "只有县界和县城" not in text
    assert "一村" in text and "二村" in text


def test_a_document_field_not_stated_keeps_its_row(pages):
    road = visible(next(p for rel, p in pages.items() if rel.startswith("projects/road/")))
    assert f"业主单位\n{U}" in road
    park = visible(next(p for rel, p in pages.items() if rel.startswith("projects/park/")))
    assert f"实施地点\n{U}" in park and f"受益户数：{U}" in park
    plan = visible(next(p for rel, p in pages.items() if rel.startswith("plans/2025/index")))
    assert f"印发日期\n{U}" in plan


def test_no_share_of_zero_for_an_unstated_amount(pages):
    for rel, p in pages.items():
        assert not re.search(r"(?<![\d.,])0（0(\.0+)?%）", visible(p)), rel


def test_the_home_sources_total_is_the_sum_of_its_rows_and_the_plan_total_its_own_row(site):
    """Generative finding F19: the 合计 row of "钱从哪里来" printed the plan total, not the sum of its rows. It is
    the rows' sum (with what it covers), labelled as computed; the document's total is a row of its own."""
    home = (site / "index.html").read_text(encoding="utf-8")
    table = home[home.index("钱从哪里来") :]
    table = table[: table.index("</table>")]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in table.split("<tr>")[2:]]
    c = county()["content/plans/2025.yml"]
    amounts = [s["amount"] for s in c["funding"]]
    assert rows[-2] == f"合计（本站计算） {covered(amounts).replace(' 万元', '')} —"
    assert rows[-1] == f"计划总额（原文件） {c['total']} {c['total'] * 10000:,} 元"


def test_each_skipped_check_on_the_about_page_names_and_links_what_it_concerns(site):
    """With two plans or two projects, "项目个数等于文件中的个数：原文件没有写明项目个数" alone does not say where: each
    line of the about page's list names the record it concerns and links to its page."""
    about = (site / "about/index.html").read_text(encoding="utf-8")
    listed = about[about.index("项核对需要") :]
    items = re.findall(r"<li>(.*?)</li>", listed[: listed.index("</ul>")], flags=re.S)
    category = next(i for i in items if "民生改善" in i and "项目个数" in i)
    assert 'href="../plans/2025/cat-b/"' in category, category
    school = next(i for i in items if i.startswith("资金来源合计等于规划投资"))
    assert '（<a href="../projects/school/">甲镇学校改善项目</a>）' in school, school


def test_a_category_without_records_says_so(pages):
    """A category with no project records: its page and its section of the plan page say 尚未录入本类别的项目,
    not an empty table."""
    for rel in ("plans/2025/cat-d/index.html", "plans/2025/index.html"):
        text = visible(pages[rel])
        assert "尚未录入本类别的项目" in text, rel
    plan = visible(pages["plans/2025/index.html"])
    assert plan.count("尚未录入本类别的项目") == 1


def test_a_person_without_name_and_a_target_without_value_are_labelled_parts(pages):
    school = visible(next(p for rel, p in pages.items() if rel.startswith("projects/school/index")))
    assert f"姓名：{U}；职务：县乙局局长" in school
    assert f"{U}（不少于）" not in school
    notice = visible(pages["notices/projects/school/index.html"])
    assert f"姓名：{U}；职务：县乙局局长" in notice
    assert f"改善学校：{U}；\n群众满意度：明显提高" in notice.replace("\n\n", "\n")


def test_a_dividend_shared_by_villages_says_the_unstated_split_as_its_own_sentence(pages):
    notice = visible(pages["notices/projects/park/index.html"])
    assert f"由 2 个村的村集体共享。各村分配比例：{U}。" in notice
