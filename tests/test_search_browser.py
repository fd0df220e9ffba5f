"""Site search in a real Chromium: the header's box finds the right page first, says what each result is,
filters and sorts; nothing is fetched for search before the visitor types; it passes axe and fits a phone;
without JavaScript the box gives way to links to the project and village lists.

Queries on Ebian's site are content rules: the page a query must find first is derived from the Site model
(a village or unit whose name holds the query, else a project whose title or description does), so they
hold through valid edits of content/. Filters, sorting, villages, units and amounts are checked on a
purpose-made synthetic county (bench/generate.py) with two plans of different years and programmes.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal

import pytest
from browser import open_page, serve
from conftest import ROOT, build_ok
from helpers import edit
from tiny_county import data, make_project

from gongshi.content.load import load_site
from gongshi.content.site import Site
from gongshi.content.unstated import stated
from gongshi.money import plain
from gongshi.web.search import programme

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate

SITE = load_site(ROOT / "content", ROOT)
PHONE = {"width": 360, "height": 740}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SEARCH_FILES = re.compile(r"/pagefind/|/assets/gongshi/search\.js")
PART_PAGES = 25  # the purpose-made county's index is in parts of this many pages (about four parts)


@pytest.fixture(scope="module")
def site_url(ebian_site):
    """This module searches Ebian's site (its queries are content rules, see above), served over local HTTP."""
    with serve(ebian_site) as url:
        yield url


READ_RESULTS = """els => els.map(a => ({
    url: a.getAttribute('href'),
    type: a.querySelector('.gs-result__type').textContent,
    amount: (a.querySelector('.gs-result__amount') || {textContent: ''}).textContent,
    title: a.querySelector('.gs-result__title').textContent}))"""


def _key(term: str, filters: dict[str, str], order: str) -> str:
    chosen = {name: [value] for name, value in filters.items()}
    return f"{term}\n{json.dumps(chosen, ensure_ascii=False, separators=(',', ':'))}\n{order}"


def search(page, term: str, filters: dict[str, str] | None = None, order: str = "", every: bool = False) -> list[dict]:
    """Type a query into the header's box (opening it on a phone), choose filters and order; the results shown
    (`every`: all of them, pressing 显示更多结果 until none are left)."""
    filters = filters or {}
    box = page.locator("#gs-search-query")
    if not box.is_visible():
        page.locator(".gs-search-open").click()
    page.evaluate("() => document.querySelectorAll('.gs-search-controls select').forEach(s => { s.value = ''; })")
    box.fill(term)
    if filters and page.locator(".gs-search-filter-open").count():  # the filters load when asked for
        page.locator(".gs-search-filter-open").click()
    for name, value in filters.items():
        page.locator(f"#gs-search-filter-{name}").select_option(value, timeout=15000)
    if order:
        page.locator("#gs-search-sort").select_option(order, timeout=15000)
    page.wait_for_function(
        "key => document.getElementById('gs-search-results').getAttribute('data-search') === key",
        arg=_key(term, filters, order),
        timeout=15000,
    )
    while every and page.locator(".gs-result-more button").count():
        shown = page.locator(".gs-result__link").count()
        page.locator(".gs-result-more button").click()
        page.wait_for_function("n => document.querySelectorAll('.gs-result__link').length > n", arg=shown)
    return page.eval_on_selector_all("#gs-search-results .gs-result__link", READ_RESULTS)


def expected_first(site: Site, query: str) -> set[tuple[str, str]]:
    """(type, title) of the pages a query must find first: those whose title holds it (a village or township,
    a unit, a project), else those whose text does (a unit's full name, a project's description)."""
    titled = {("村" if p.is_village else "乡镇", p.full_name) for p in site.linked_places if query in p.name}
    titled |= {("单位", u.name) for u in site.used_units if query in u.name}
    titled |= {("项目", p.title) for p in site.projects if query in p.title}
    if titled:
        return titled
    found = {("单位", u.name) for u in site.used_units if query in (u.full_name or "")}
    return found | {("项目", p.title) for p in site.projects if query in p.body}


@pytest.mark.parametrize("query", ["柑子口村", "县人社局", "竹笋", "残疾", "经颅磁刺激仪", "柑子口", "人社局"])
def test_ebian_queries_find_the_right_page_first(context, site_url, query):
    expected = expected_first(SITE, query)
    assert expected, f"{query} no longer names anything in content/: pick another query"
    visit = open_page(context, site_url, "")
    found = search(visit.page, query)
    assert found, query
    assert (found[0]["type"], found[0]["title"]) in expected, (query, found[:3])
    assert visit.console_errors == [] and visit.other_hosts == []


def test_results_show_the_amount_of_a_project(context, site_url):
    project = max(SITE.projects, key=lambda p: p.investment)
    found = search(open_page(context, site_url, "").page, project.title)
    first = found[0]
    assert first["title"] == project.title and first["type"] == "项目"
    assert plain(Decimal(re.sub(r"[^\d.]", "", first["amount"]))) == plain(project.investment)
    assert (site_url.rstrip("/") + first["url"]).endswith(f"/projects/{project.id}/")


def test_nothing_is_fetched_for_search_before_the_visitor_types(context, site_url):
    visit = open_page(context, site_url, f"projects/{SITE.projects[0].id}/")
    requested: list[str] = []
    visit.page.on("request", lambda r: requested.append(r.url))
    visit.page.wait_for_load_state("networkidle")
    box = visit.page.locator("#gs-search-query")
    box.focus()
    visit.page.wait_for_timeout(500)
    early = [u for u in requested if SEARCH_FILES.search(u)]
    assert early == []
    search(visit.page, "竹笋")
    fetched = [u for u in requested if SEARCH_FILES.search(u)]
    assert any(u.endswith("/pagefind/pagefind.js") for u in fetched), fetched
    assert visit.other_hosts == [] and visit.console_errors == [] and visit.failed_requests == []


def test_the_results_pass_axe_and_fit_a_phone(browser, site_url):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    try:
        page = open_page(context, site_url, "").page
        assert search(page, "柑子口")
        assert page.locator("#gs-search-query").is_visible() and page.locator(".gs-result").first.is_visible()
        page.wait_for_timeout(600)  # Material's opening transition
        # Nothing of the box or its results sticks out (the overlay is Material's circle that grows to cover
        # the screen, clipped), and the page cannot be scrolled sideways.
        right = page.evaluate(
            """() => Math.max(...[...document.querySelectorAll('.gs-search *:not(.md-search__overlay)')]
                         .map(e => e.getBoundingClientRect().right))"""
        )
        assert right <= PHONE["width"] + 0.5, right
        assert page.evaluate("() => { window.scrollTo(400, window.scrollY); return window.scrollX; }") == 0
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.response["violations"] == [], [v["id"] for v in results.response["violations"]]
        page.keyboard.press("Escape")  # closes the box and gives focus back to its button
        assert page.evaluate("document.activeElement.classList.contains('gs-search-open')")
        assert not page.locator("#__search").is_checked()
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.gs-search .md-search__inner')).width === '0px'"
        )
    finally:
        context.close()


def test_the_search_box_is_usable_by_keyboard(context, site_url):
    page = open_page(context, site_url, "about/").page
    page.keyboard.press("/")  # the shortcut Material users know
    assert page.evaluate("document.activeElement.id") == "gs-search-query"
    assert page.locator("#gs-search-query").get_attribute("aria-label")
    found = search(page, "县人社局")
    page.locator("#gs-search-query").press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == found[0]["url"]
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(found[0]["url"]) + "$"))


def test_without_javascript_the_box_gives_way_to_the_lists(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="zh-CN")
    try:
        page = open_page(context, site_url, f"units/{SITE.used_units[0].id}/").page
        assert not page.locator("#gs-search-query").is_visible()
        links = page.locator(".gs-search-fallback a")
        assert links.count() == 2 and links.first.is_visible()
        for i in range(2):
            href = links.nth(i).get_attribute("href")
            response = page.request.get(page.url.rsplit("/", 2)[0] + "/" + href)
            assert response.ok, href
        assert links.nth(0).inner_text() == "全部项目" and links.nth(1).inner_text() == "受益村"
    finally:
        context.close()


# --- a purpose-made county: villages, units, amounts, filters and sorting --------------------------


@pytest.fixture(scope="module")
def fixture_county(tmp_path_factory):
    """A synthetic county of 40 projects in two plans; the second plan's money is another programme. Its
    index is made in parts of at most PART_PAGES pages, as a large site's is, and merged in the browser."""
    project = generate(tmp_path_factory.mktemp("search") / "county", 40, seed=14)
    edit(
        project,
        "mkdocs.yml",
        "templates_dir: templates",
        f"templates_dir: templates\n      search_part_pages: {PART_PAGES}",
    )
    plan = next(p for p in sorted((project / "content/plans").glob("*.yml")) if "2024" in p.name)
    text = (project / "content/plans" / plan.name).read_text(encoding="utf-8")
    programme_line = next(line for line in text.splitlines() if line.startswith("programme:"))
    edit(
        project,
        f"content/plans/{plan.name}",
        programme_line,
        "programme: {name: 衔接推进乡村振兴补助资金, short: 衔接资金}",
    )
    site = build_ok(project)
    with serve(site) as url:
        yield load_site(project / "content", project), url


def test_a_village_a_unit_and_an_amount_are_found_first(context, fixture_county):
    model, url = fixture_county
    page = open_page(context, url, "").page
    names = [p.name for p in model.linked_places]
    village = next(p for p in model.linked_places if p.is_village and sum(p.name in n for n in names) == 1)
    found = search(page, village.name)
    assert (found[0]["type"], found[0]["title"]) == ("村", village.full_name), found[:3]
    unit = model.used_units[0]
    found = search(page, unit.name)
    assert (found[0]["type"], found[0]["title"]) == ("单位", unit.name), found[:3]
    amounts = [p.investment for p in model.projects] + [p.total for p in model.plans]
    project = next(p for p in model.projects if amounts.count(p.investment) == 1 and "." not in plain(p.investment))
    found = search(page, plain(project.investment))  # 1,234 万元 typed as 1234
    assert (found[0]["type"], found[0]["title"]) == ("项目", project.title), found[:3]
    found = search(page, plain(project.investment) + "万元")
    assert found[0]["title"] == project.title


def test_filters_by_type_year_programme_and_township(context, fixture_county):
    model, url = fixture_county
    page = open_page(context, url, "").page
    township = max(
        (p for p in model.linked_places if not p.is_village),
        key=lambda t: sum(1 for p in model.linked_places if p.township.code == t.code),
    )
    everything = search(page, township.name)
    assert {r["type"] for r in everything} >= {"村", "乡镇"}
    assert search(page, township.name, {"type": "项目"})
    villages = search(page, township.name, {"type": "村"})
    assert villages and {r["type"] for r in villages} == {"村"}
    assert all(r["title"].startswith(township.name) for r in villages)
    older = min(model.plans, key=lambda p: p.year)
    by_year = search(page, township.name, {"type": "项目", "year": str(older.year)})
    titles = {p.title for p in model.projects_of_plan(older)}
    assert by_year and all(r["title"] in titles for r in by_year)
    by_programme = search(page, township.name, {"type": "项目", "programme": programme(older)})
    assert [r["title"] for r in by_programme] == [r["title"] for r in by_year]
    assert programme(older) != programme(max(model.plans, key=lambda p: p.year))
    other = next(t for t in model.linked_places if not t.is_village and t.code != township.code)
    in_other = search(page, "", {"type": "村", "township": other.name})  # filters alone, no words
    assert in_other and all(r["title"].startswith(other.name) for r in in_other)


def test_sort_by_amount(context, fixture_county):
    model, url = fixture_county
    page = open_page(context, url, "").page

    def amounts(results):
        return [Decimal(re.sub(r"[^\d.]", "", r["amount"])) for r in results]

    assert search(page, "项目")  # the filters and the sort appear with the first results

    # every project, across the parts of the index, in the county's order of amount
    investments = sorted(p.investment for p in model.projects)
    down = search(page, "", {"type": "项目"}, order="desc", every=True)
    assert amounts(down) == investments[::-1]
    up = search(page, "", {"type": "项目"}, order="asc", every=True)
    assert amounts(up) == investments


def test_the_index_in_parts_is_searched_as_one(context, fixture_county):
    """The purpose-made county's index is in parts; a query fetches each part's index and finds pages of
    every part, and nothing fails or goes to another host."""
    model, url = fixture_county
    visit = open_page(context, url, "")
    requested: list[str] = []
    visit.page.on("request", lambda r: requested.append(r.url))
    assert search(visit.page, "项目")  # the filters appear with the first results
    found = search(visit.page, "", {"type": "项目"}, every=True)
    assert len(found) == len(model.projects)
    searchable = len(model.projects) + len(model.linked_places) + len(model.used_units) + len(model.plans)
    parts = -(-searchable // PART_PAGES)
    assert parts >= 3
    entries = {u.split("?")[0] for u in requested if u.split("?")[0].endswith("pagefind-entry.json")}
    assert entries == {url.rstrip("/") + "/pagefind/pagefind-entry.json"} | {
        f"{url.rstrip('/')}/pagefind/part-{n}/pagefind-entry.json" for n in range(2, parts + 1)
    }
    assert not [u for u in requested if "/part-" in u and (u.endswith(".js") or "wasm" in u)]
    assert visit.other_hosts == [] and visit.console_errors == [] and visit.failed_requests == []


# --- an amount the document does not state ---------------------------------------------------------


@pytest.fixture(scope="module")
def unstated_county(tmp_path_factory):
    """The tiny county with one project whose investment (and funding amount) the document does not state."""
    county = data()
    school = county["content/projects/02-school.md"]
    school["investment"] = school["funding"][0]["amount"] = "原文件未列明"
    project = make_project(tmp_path_factory.mktemp("search-unstated") / "county", county)
    site = build_ok(project)
    with serve(site) as url:
        yield load_site(project / "content", project), url


def test_a_page_without_an_amount_sorts_last_never_as_zero(context, unstated_county):
    """Pagefind leaves a page without the sort key out of sorted results; search.js lists it after them."""
    model, url = unstated_county
    page = open_page(context, url, "").page
    assert search(page, "项目")
    unstated = next(p.title for p in model.projects if not stated(p.investment))
    for order in ("desc", "asc"):
        found = search(page, "", {"type": "项目"}, order=order, every=True)
        assert [r["title"] for r in found][-1] == unstated, (order, found)
        assert len(found) == len(model.projects) and found[-1]["amount"] == "", found


# --- a one-plan county with amounts 500 and 50 万元: ranking by a typed amount, filters, excerpts ------------


@pytest.fixture(scope="module")
def amounts_county(tmp_path_factory):
    """The tiny county (one plan) with a 500 万元 project beside a 50 万元 one: "500万" must not find 50 first."""
    county = data()
    plan = county["content/plans/2025.yml"]
    park = county["content/projects/01-park.md"]
    park["investment"] = park["funding"][0]["amount"] = 500
    park["dividend"]["annual"] = 15  # 3 % of 500
    plan["categories"][0]["amount"] = 500
    plan["total"] = plan["funding"][0]["amount"] = 550
    plan["summary"] = "2025年规划资金550万元，实施2类2个项目。"
    project = make_project(tmp_path_factory.mktemp("search-amounts") / "county", county)
    site = build_ok(project)
    with serve(site) as url:
        yield load_site(project / "content", project), url


@pytest.mark.parametrize("typed", ["{}万", "{}万元", "{} 万元", "{}0000元"])
def test_a_typed_amount_ranks_the_project_of_that_amount_first(context, amounts_county, typed):
    model, url = amounts_county
    page = open_page(context, url, "").page
    for project in model.projects:
        query = typed.format(plain(project.investment))
        found = search(page, query)
        assert found and found[0]["title"] == project.title, (query, found[:3])
        assert plain(project.investment) in found[0]["amount"].replace(",", ""), found[0]


def _filter_button(page) -> str:
    assert search(page, "项目")  # the controls come with the first results
    button = page.locator(".gs-search-filter-open")
    return button.inner_text() if button.count() else ""


def test_the_filter_button_offers_only_filters_with_a_choice(context, amounts_county, fixture_county):
    """One plan: no 年度 or 资金类别 to choose between, so the button does not offer them; two plans of two
    programmes: it does, and each filter it names opens with more than one value."""
    one = _filter_button(open_page(context, amounts_county[1], "").page)
    assert "年度" not in one and "资金类别" not in one, one
    page = open_page(context, fixture_county[1], "").page
    two = _filter_button(page)
    assert "年度" in two and "资金类别" in two and "类型" in two, two
    page.locator(".gs-search-filter-open").click()
    for name in ("year", "programme", "type"):
        options = page.locator(f"#gs-search-filter-{name} option")
        options.first.wait_for(state="attached", timeout=15000)
        assert options.count() > 2, name  # 全部 and at least two values


HAN_SPACE = re.compile(r"[\u3400-\u9fff][ \u00a0]+[\u3400-\u9fff]")
FIELD_DOT = re.compile(r"[\u3400-\u9fff]\. |\. [\u3400-\u9fff]")


@pytest.mark.parametrize("query", ["县人社局", "柑子口村", "残疾"])
def test_excerpts_read_as_written(context, site_url, query):
    """Pagefind's excerpts hold the index's spaced words (县 人 社 局) and blocks joined by ". "; a result shows
    the text as written: no space between Chinese characters, fields apart with "；"."""
    page = open_page(context, site_url, "").page
    assert search(page, query)
    excerpts = page.eval_on_selector_all(".gs-result__excerpt", "els => els.map(e => e.textContent)")
    assert excerpts and any(e.strip() for e in excerpts)
    marks = page.eval_on_selector_all(".gs-result__excerpt mark", "els => els.map(e => e.textContent)")
    assert marks, query  # the matched words are still marked
    for text in excerpts:
        assert not HAN_SPACE.search(text), text
        assert not FIELD_DOT.search(text), text
