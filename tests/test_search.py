"""Site search, as built: which pages Pagefind indexes, what each declares, and the index beside them.
(tests/test_search_browser.py searches in Chromium.)"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

from conftest import FIXTURE_CONTENT, ROOT, run_build
from helpers import edit

from gongshi.content.load import load_site
from gongshi.content.model import FundSource, Plan
from gongshi.content.unstated import stated
from gongshi.money import plain, wan_text
from gongshi.web import search
from gongshi.web.search import SEARCH_END, programme, project_entry

SITE = load_site(FIXTURE_CONTENT, FIXTURE_CONTENT.parent)  # the test county the session builds (built_site)
BODY = "<div data-pagefind-body>"


def _plan(funding: str, title: str = "某县2026年项目实施方案") -> Plan:
    return Plan.model_validate(
        dict(
            id="p",
            title=title,
            issuer="某县人民政府",
            date=dt.date(2026, 1, 1),
            year=2026,
            total=Decimal(1),
            funding=(FundSource(id="a", name=funding, amount=Decimal(1)),),
            categories=({"id": "c", "name": "类", "amount": Decimal(1), "count": 1},),
        )
    )


def test_programme_is_read_from_the_plan():
    assert programme(_plan("2025年东西部协作资金")) == "东西部协作"
    assert programme(_plan("2026年度衔接资金")) == "衔接"
    assert programme(_plan("常态化帮扶资金")) == "常态化帮扶"
    assert programme(_plan("资金", title="某县计划")) == "某县计划"  # nothing left: the plan's title


def _meta(html: str, name: str) -> list[str]:
    return re.findall(rf'<meta name="gongshi:{name}" content="([^"]*)"', html)


def test_only_pages_a_visitor_searches_for_are_indexed(built_site: Path):
    indexed = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html") if BODY in p.read_text("utf-8")}
    expected = {f"projects/{p.id}/index.html" for p in SITE.projects}
    expected |= {f"places/{p.code}/index.html" for p in SITE.linked_places}
    expected |= {f"units/{u.id}/index.html" for u in SITE.used_units}
    expected |= {f"plans/{p.id}/index.html" for p in SITE.plans}
    assert indexed == expected
    entry = json.loads((built_site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["zh"]["page_count"] == len(expected)
    bundle = {p.name for p in (built_site / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "index", "fragment", "filter"} <= bundle
    assert not {n for n in bundle if n.startswith("pagefind-ui") or "component" in n}  # our own interface only


def test_header_navigation_and_footer_stay_out_of_the_index(built_site: Path):
    html = (built_site / "projects" / SITE.projects[0].id / "index.html").read_text(encoding="utf-8")
    start = html.index(BODY)
    body = indexed_part(html)
    assert "md-header" not in body and "md-tabs" not in body and "md-nav" not in body
    # The hotline is on every page (the supervision footer, the village text message), all after the indexed part.
    assert "12317" not in body and "12317" in html[start + len(body) :]
    assert html.index("md-header") < start


def indexed_part(html: str) -> str:
    """The element Pagefind indexes: from `<div data-pagefind-body>` to the `</div>` that closes it."""
    start, depth = html.index(BODY), 0
    for tag in re.finditer(r"<(/?)div\b", html[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[start : start + tag.end()]
    raise AssertionError("data-pagefind-body is not closed")


def test_each_page_declares_its_type_amount_year_programme_and_townships(built_site: Path):
    for project in SITE.projects:
        html = (built_site / "projects" / project.id / "index.html").read_text(encoding="utf-8")
        plan = SITE.plan(project.plan)
        entry = project_entry(SITE, project)
        assert _meta(html, "type") == ["项目"]
        assert _meta(html, "amount") == [f"规划投资 {wan_text(project.investment)} 万元"]
        assert Decimal(_meta(html, "amount-sort")[0]) == project.investment
        assert _meta(html, "year") == [str(plan.year)]
        assert _meta(html, "programme") == [programme(plan)]
        assert _meta(html, "township") == list(entry.townships)
        assert 'data-pagefind-sort="amount[content]"' in html
    for place in SITE.linked_places:
        html = (built_site / "places" / place.code / "index.html").read_text(encoding="utf-8")
        assert _meta(html, "type") == ["村" if place.is_village else "乡镇"], place.code
        assert _meta(html, "township") == [place.township.name]
    for unit in SITE.used_units:
        html = (built_site / "units" / unit.id / "index.html").read_text(encoding="utf-8")
        assert _meta(html, "type") == ["单位"]
    for plan in SITE.plans:
        html = (built_site / "plans" / plan.id / "index.html").read_text(encoding="utf-8")
        assert _meta(html, "type") == ["计划"]
        assert _meta(html, "amount") == [f"计划资金 {wan_text(plan.total)} 万元"]


def test_lists_notices_and_funds_are_not_indexed(built_site: Path):
    for rel in ("index.html", "projects/index.html", "places/index.html", "funds/index.html", "about/index.html"):
        html = (built_site / rel).read_text(encoding="utf-8")
        assert BODY not in html and not _meta(html, "type"), rel
    for notice in (built_site / "notices").rglob("index.html"):
        assert BODY not in notice.read_text(encoding="utf-8"), notice


def test_every_page_has_the_search_box_and_its_fallback_links(built_site: Path):
    for rel in ("index.html", "projects/index.html", f"projects/{SITE.projects[0].id}/index.html", "404.html"):
        html = (built_site / rel).read_text(encoding="utf-8")
        assert 'id="gs-search-query"' in html and 'aria-label="站内搜索"' in html, rel
        fallback = html[html.index('class="gs-search-fallback"') :]
        fallback = fallback[: fallback.index("</nav>")]
        assert "全部项目" in fallback and "受益村" in fallback
    assert not (built_site / "search").exists()  # Material's search index is gone


def test_material_search_plugin_is_refused(project: Path):
    edit(project, "mkdocs.yml", "      templates_dir: templates\n", "      templates_dir: templates\n  - search\n")
    result = run_build(project)
    assert result.returncode != 0
    assert "Pagefind" in result.stderr and "search" in result.stderr


def test_a_part_size_below_one_is_refused_naming_file_line_and_field(project: Path):
    edit(
        project,
        "mkdocs.yml",
        "      templates_dir: templates\n",
        "      templates_dir: templates\n      search_part_pages: 0\n",
    )
    line = next(
        i for i, t in enumerate((project / "mkdocs.yml").read_text().splitlines(), 1) if "search_part_pages" in t
    )
    result = run_build(project)
    assert result.returncode != 0 and not (project / "site" / "pagefind").exists()
    assert f"mkdocs.yml 第 {line} 行 search_part_pages" in result.stderr
    assert f"mkdocs.yml, line {line}, search_part_pages: must be" in result.stderr


def _body(html: str) -> str:
    """The part of a page Pagefind indexes: from data-pagefind-body to the words it adds at the end."""
    start = html.index(BODY)
    return html[start : html.index("</div>", html.index("data-gs-search-words", start))]


def test_the_indexed_part_ends_where_the_template_says(built_site: Path):
    assert SEARCH_END in (ROOT / "templates/overrides/main.html").read_text(encoding="utf-8")
    project = SITE.projects[0]
    html = (built_site / "projects" / project.id / "index.html").read_text(encoding="utf-8")
    body = _body(html)
    assert project.title in body and "建设内容" in body  # the record, its description and villages
    assert 'id="progress"' in html and 'id="progress"' not in body  # progress, history and links are not
    assert SEARCH_END not in html
    village = next(p for p in SITE.linked_places if p.is_village)
    body = _body((built_site / "places" / village.code / "index.html").read_text(encoding="utf-8"))
    assert village.full_name in body and "相关项目" not in body  # its name and facts, not the projects' text
    unit = SITE.used_units[0]
    body = _body((built_site / "units" / unit.id / "index.html").read_text(encoding="utf-8"))
    assert unit.name in body and "作为责任单位" not in body


INDEX_FROM_A_LARGE_PROCESS = """
import json, shutil, sys
from pathlib import Path
from gongshi.web import search

ballast = bytearray(600 * 2**20)  # the build's own memory, which a forked child shares until it starts Pagefind
ballast[:: 4096] = b"x" * len(ballast[:: 4096])
site = Path(sys.argv[2])
shutil.copytree(sys.argv[1], site)
run = search.index_site(site)
print(json.dumps({"pages": run.pages, "peak": run.peak_mb}))
"""


def test_the_indexers_reported_memory_is_its_own_not_the_builds(built_site: Path, tmp_path: Path):
    """The build log gives Pagefind's peak memory; started from a build holding 600 MB, the figure is Pagefind's
    (tens of MB for this site), not the build's memory that the child shared before it started Pagefind."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", INDEX_FROM_A_LARGE_PROCESS, str(built_site), str(tmp_path / "site")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    run = json.loads(done.stdout)
    assert run["pages"] > 0
    assert 0 < run["peak"] < 300


# --- an index in parts ---------------------------------------------------------------------------


def test_pages_are_dealt_into_parts_in_order_of_amount():
    pages = {f"projects/p{i}/index.html": str(Decimal(i % 7) + Decimal(i) / 100) for i in range(23)}
    pages |= {f"places/v{i}/index.html": "" for i in range(5)}  # pages without an amount
    split = search.parts(pages, 10)
    assert len(split) == 3 and all(len(part) <= 10 for part in split)
    assert sorted(page for part in split for page in part) == sorted(pages)
    by_amount = sorted((p for p in pages if pages[p]), key=lambda p: Decimal(pages[p]))
    for rank, page in enumerate(by_amount):  # rank r in the site is rank r // 3 in part r % 3
        assert split[rank % 3].index(page) == rank // 3
    assert search.parts(pages, 28) == [by_amount + sorted(p for p in pages if not pages[p])]
    assert search.parts({}, 10) == [] and search.parts(pages, 1000)[0][0] == by_amount[0]


def _fragments(bundle: Path) -> set[str]:
    return {p.name for p in (bundle / "fragment").iterdir()}


def test_a_site_larger_than_a_part_is_indexed_in_parts(built_site: Path, tmp_path: Path):
    """Each part is one Pagefind run over its pages only; the first holds the program, the others only their
    index, and parts.json lists them for the browser to merge. The pages are the ones the build found."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    declared = search.indexed_pages(site)
    amounts = {f"projects/{p.id}/index.html": plain(p.investment) for p in SITE.projects if stated(p.investment)}
    assert amounts and {page: declared[page] for page in amounts} == amounts
    assert declared[f"places/{SITE.linked_places[0].code}/index.html"]  # a village's related investment
    size = -(-len(declared) // 3)
    run = search.index_site(site, part_pages=size)
    assert run.parts == 3 and run.pages == len(declared) and "3 部分 / parts" in str(run)
    others = json.loads((site / "pagefind/parts.json").read_text(encoding="utf-8"))
    assert others == ["part-2/", "part-3/"]
    bundles = [site / "pagefind", *(site / "pagefind" / name for name in others)]
    counts = [json.loads((b / "pagefind-entry.json").read_text())["languages"]["zh"]["page_count"] for b in bundles]
    assert sum(counts) == len(declared) and max(counts) <= size
    assert (bundles[0] / "pagefind.js").is_file() and list(bundles[0].glob("wasm.*"))
    for bundle in bundles[1:]:
        assert not list(bundle.glob("*.js")) and not list(bundle.glob("wasm.*"))
        assert list(bundle.glob("pagefind.*.pf_meta")) and list((bundle / "index").iterdir())
    assert not set.intersection(*map(_fragments, bundles))  # each page in one part
    assert not list(tmp_path.glob(".site-search-*"))  # the tree of links Pagefind read is gone


def test_one_part_is_the_index_one_run_makes(built_site: Path):
    assert json.loads((built_site / "pagefind/parts.json").read_text(encoding="utf-8")) == []
    assert not list((built_site / "pagefind").glob("part-*"))


def test_a_page_gone_since_it_was_recorded_is_left_out(built_site: Path, tmp_path: Path):
    """`mkdocs serve` keeps the searchable pages across rebuilds; a record deleted meanwhile has no page."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    declared = search.indexed_pages(site)
    run = search.index_site(site, {**declared, "projects/deleted/index.html": "12"})
    assert run.pages == len(declared) and run.parts == 1
