"""Village and township pages, the village map and the printable notices, in a real `mkdocs build`.

Expectations come from the content files themselves (tests/records.py: PyYAML, not gongshi),
so a page that drops or invents a project fails."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_ok, run_build
from helpers import edit, main_text
from records import Records, amount, fixture
from variants import TEA, with_tiles

RECORDS = fixture()
SEAT = RECORDS.site["map"]["points"][0]["coordinates"]


def project_links(html: str) -> set[str]:
    """Project ids linked from the page's 相关项目 table."""
    table = re.search(r'<table class="gs-table gs-stack">(.*?)</table>', html, re.S)
    return set(re.findall(r'href="[./]*projects/([a-z0-9-]+)/"', table.group(1))) if table else set()


# --- village and township pages ----------------------------------------------------------


def test_every_named_place_has_a_page_listing_exactly_its_projects(built_site: Path):
    expected = RECORDS.named_places()
    for code, projects in expected.items():
        html = (built_site / "places" / code / "index.html").read_text(encoding="utf-8")
        assert project_links(html) == projects, code
        assert code in main_text(built_site / "places" / code / "index.html")
    built = {p.name for p in (built_site / "places").iterdir() if re.fullmatch(r"\d{12}", p.name)}
    # Every village page is one a record asks for (the gazetteer's other villages get none); a township gets
    # a page when it or one of its villages is named.
    assert {c for c in built if not c.endswith("000")} == RECORDS.village_codes()
    unnamed = set(RECORDS.official) - set(expected) - set(RECORDS.townships.values())
    assert unnamed and not unnamed & built  # the gazetteer's villages no record names get no page
    towns = {RECORDS.townships[RECORDS.official[c].get("township", RECORDS.official[c]["name"])] for c in expected}
    assert {c for c in built if c.endswith("000")} == towns


def test_village_page_shows_investment_sharing_dividend_and_targets(progress_site: Path):
    tea = Records(progress_site.parent / "content").project("tea-processing")  # promises a dividend there
    code = RECORDS.villages[("青山镇", "红岩村")]
    text = main_text(progress_site / "places" / code / "index.html")
    assert "红岩村村民委员会" in text and code in text and "青山镇" in text
    assert "确权村" in text
    assert amount(tea["investment"]) in text
    assert f"{len(tea['beneficiaries']['asset_villages'])} 个村集体共享" in text
    assert f"{amount(tea['dividend']['annual'])} 万元" in text and "各村分配比例原文件未写明" in text
    assert "1,200㎡以上" in text  # the project's target


def test_site_village_and_township_roles(built_site: Path):
    villages = RECORDS.villages
    longtan = main_text(built_site / "places" / villages[("白水乡", "龙潭村")] / "index.html")
    # 龙潭村: where the mushroom base is built (实施地点) and a village the water supply serves (受益村).
    assert "实施地点" in longtan and "受益村" in longtan and "确权村" not in longtan.split("关系：")[0]
    shimen = main_text(built_site / "places" / villages[("青山镇", "石门村")] / "index.html")
    assert "确权村、实施地点" in shimen
    liuxi = main_text(built_site / "places" / villages[("青山镇", "柳溪村")] / "index.html")
    assert "实施地点、受益村" in liuxi
    baishui = main_text(built_site / "places" / RECORDS.townships["白水乡"] / "index.html")
    assert RECORDS.project("water-supply")["title"] in baishui and "实施地点" in baishui


def test_villages_index_groups_by_township_with_counts(built_site: Path):
    text = main_text(built_site / "places/index.html")
    expected = RECORDS.named_places()
    by_town: dict[str, set[str]] = {}
    for (town, _), code in RECORDS.villages.items():  # aliases map to the same code
        if code in expected:
            by_town.setdefault(town, set()).add(code)
    for town, codes in by_town.items():
        assert f"{town}：{len(codes)} 个村" in text
    assert f"{sum(len(c) for c in by_town.values())} 个村（社区）" in text


def test_alias_resolves_and_both_spellings_show(built_site: Path):
    code = RECORDS.villages[("白水乡", "桃平村")]
    assert code == RECORDS.villages[("白水乡", "桃坪村")]
    for page in (
        f"places/{code}/index.html",
        "projects/tea-processing/index.html",
        "places/map/index.html",
        f"notices/places/{code}/index.html",
    ):
        text = main_text(built_site / page)
        assert "桃坪村" in text and "桃平村" in text, page


def test_unknown_village_fails_with_a_same_township_suggestion(project: Path):
    edit(project, TEA, "- 白水乡桃平村", "- 白水乡桃树村")
    result = run_build(project)
    assert result.returncode != 0
    assert not (project / "site/index.html").exists()
    assert TEA in result.stderr and "白水乡桃树村" in result.stderr
    hint = next(line for line in result.stderr.splitlines() if "是否应为" in line)
    suggested = re.findall(r"[\u4e00-\u9fff]+乡[\u4e00-\u9fff]+村|[\u4e00-\u9fff]+镇[\u4e00-\u9fff]+村", hint)
    assert "白水乡桃坪村" in suggested
    assert all(s.startswith("白水乡") for s in suggested), hint


# --- the map page -------------------------------------------------------------------------


def test_map_shows_every_named_village(built_site: Path):
    html = (built_site / "places/map/index.html").read_text(encoding="utf-8")
    text = main_text(built_site / "places/map/index.html")
    for code in RECORDS.village_codes():
        name = RECORDS.official[code]["name"]
        assert name in text, name
        # linked twice: from the schematic and from the list
        assert len(re.findall(rf'href="\.\./{code}/"', html)) >= 2, name
    unnamed = set(RECORDS.official) - set(RECORDS.named_places()) - set(RECORDS.townships.values())
    assert unnamed and not any(f'href="../{code}/"' in html for code in unnamed)


def test_map_svg_has_outline_and_seat_and_no_invented_points(built_site: Path):
    html = (built_site / "places/map/index.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg class=\"gs-map-svg\".*?</svg>", html, re.S).group(0)
    assert 'class="gs-map-outline"' in svg
    assert svg.count("<rect") == len(RECORDS.site["map"]["points"]) == 1  # the county seat from site.yml
    assert "coordinates" not in (RECORDS.content / "places.yml").read_text(encoding="utf-8")
    assert "<circle" not in svg  # no village in places.yml has coordinates
    assert "CGCS2000" in main_text(built_site / "places/map/index.html")
    assert "plotly" not in html and "<script" not in svg


def _svg_numbers(svg: str, tag: str, *attrs: str) -> list[tuple[float, ...]]:
    out = []
    for element in re.findall(rf"<{tag} [^>]*>", svg):
        out.append(tuple(float(re.search(rf'{a}="([-0-9.]+)"', element).group(1)) for a in attrs))
    return out


def test_places_with_coordinates_appear_on_the_map(project: Path):
    """Coordinates added to places.yml show up as linked points, with no code change."""
    village = "        official_name: 石门村村民委员会\n        kind: 村民委员会\n"
    edit(
        project,
        "content/places.yml",
        village,
        village
        + (
            f"        coordinates:\n          lon: {SEAT['lon']}\n          lat: {SEAT['lat']}\n          crs: WGS-84\n"
            "          source: 测试用坐标（与县城同点）\n"
        ),
    )
    township = "    name: 白水乡\n    kind: 乡\n"
    edit(
        project,
        "content/places.yml",
        township,
        township
        + ("    coordinates:\n      lon: 103.95\n      lat: 29.65\n      crs: GCJ-02\n      source: 测试用坐标\n"),
    )
    site = build_ok(project)
    html = (site / "places/map/index.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg class=\"gs-map-svg\".*?</svg>", html, re.S).group(0)
    width, height = map(float, re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg).groups())
    ((rx, ry, rw, rh),) = _svg_numbers(svg, "rect", "x", "y", "width", "height")
    circles = _svg_numbers(svg, "circle", "cx", "cy")
    assert len(circles) == 2
    shimen = RECORDS.villages[("青山镇", "石门村")]
    assert f'href="../{shimen}/"' in svg and f'href="../{RECORDS.townships["白水乡"]}/"' in svg
    for cx, cy in circles:
        assert 0 <= cx <= width and 0 <= cy <= height
    # 石门村 was given the seat's coordinates: same spot; 白水乡 lies east and a little north of it.
    (vx, vy), (tx, ty) = circles  # gazetteer order: 青山镇石门村 before 白水乡
    assert (vx, vy) == pytest.approx((rx + rw / 2, ry + rh / 2), abs=0.2)
    assert tx > vx and ty < vy
    text = main_text(site / "places/map/index.html")
    assert "测试用坐标（与县城同点）" in text and "位置可能偏差数百米" in text  # GCJ-02 vs a CGCS2000 outline
    assert "补充坐标后" not in text


def test_missing_outline_file_is_a_content_error(project: Path):
    edit(project, "content/site.yml", "outline: sources/outline.geojson", "outline: sources/no_such_file.geojson")
    result = run_build(project)
    assert result.returncode != 0
    assert "content/site.yml" in result.stderr and "map.outline" in result.stderr
    assert "县界文件不存在" in result.stderr and "no_such_file.geojson" in result.stderr


def test_map_and_villages_index_are_in_the_nav(built_site: Path):
    loader = type("ConfigLoader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", lambda load, node: None)  # mkdocs' environment-variable tag
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)["nav"]

    def targets(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            yield from targets(value) if isinstance(value, list) else [value]

    assert {"places/map.md", "places/index.md"} <= set(targets(nav))
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="places/map/"' in home


# --- printable notices --------------------------------------------------------------------


def test_every_project_and_village_has_a_notice(built_site: Path):
    for front in RECORDS.projects:
        pid = front["id"]
        page = built_site / "notices/projects" / pid / "index.html"
        text = main_text(page)
        assert front["title"] in text and front["location"] in text
        assert "12317" in text and "号码待公布" not in text  # a posted sheet names published numbers only
        assert "责任人" in text and "未列明" in text
        assert "公示期：____年__月__日至____年__月__日" in text and "张贴日期：____年__月__日" in text
        # without site_url there is no QR code, and the page says why and where to look
        assert "二维码暂缺" in text and f"projects/{pid}/" in text
        assert 'class="md-header' not in page.read_text(encoding="utf-8")
        project_page = (built_site / "projects" / pid / "index.html").read_text(encoding="utf-8")
        assert f'href="../../notices/projects/{pid}/"' in project_page
    for code, projects in RECORDS.named_places().items():
        if code in RECORDS.townships.values():
            continue
        html = (built_site / "notices/places" / code / "index.html").read_text(encoding="utf-8")
        titles = set(re.findall(r"<h2>\d+\. (.*?)</h2>", html))
        assert titles == {RECORDS.project(p)["title"] for p in projects}, code


def test_notices_are_not_in_search(built_site: Path):
    for notice in (built_site / "notices").rglob("*.html"):
        html = notice.read_text(encoding="utf-8")
        assert "data-pagefind-body" not in html and 'name="gongshi:type"' not in html, notice


def test_notice_period_from_site_config(project: Path):
    config = project / "content/site.yml"
    config.write_text(config.read_text(encoding="utf-8") + "notice_days: 10\n", encoding="utf-8")
    site = build_ok(project)
    text = main_text(site / "notices/projects/tea-processing/index.html")
    assert "公示期：____年__月__日至____年__月__日（共 10 天）" in text


def test_township_page_lists_its_villages_and_their_projects(built_site: Path):
    expected = RECORDS.named_places()
    for town, town_code in RECORDS.townships.items():
        text = main_text(built_site / "places" / town_code / "index.html")
        codes = {c for (t, _), c in RECORDS.villages.items() if t == town and c in expected}
        assert f"写到本乡镇的 {len(codes)} 个村" in text
        titles = {RECORDS.project(pid)["title"] for code in codes for pid in expected[code]}
        assert titles and all(title in text for title in titles)


def test_township_page_totals_the_projects_of_the_township_and_its_villages(built_site: Path):
    """Each township page counts every project that names the township or one of its villages once, and totals
    their investments as the records state them (a project shared by two of its villages counts once)."""
    expected = RECORDS.named_places()
    for town, town_code in RECORDS.townships.items():
        codes = {town_code} | {c for (t, _), c in RECORDS.villages.items() if t == town}
        ids = set().union(*(expected.get(code, set()) for code in codes))
        if not ids:
            continue
        investments = [RECORDS.project(pid)["investment"] for pid in ids]
        assert all(isinstance(value, (int, float, Decimal)) for value in investments)  # the fixture states each
        whole = amount(sum((Decimal(str(value)) for value in investments), Decimal(0)))
        text = main_text(built_site / "places" / town_code / "index.html")
        assert f"{len(ids)} 个项目与本乡镇或乡镇内的村有关。这些项目的投资合计（本站计算）：{whole} 万元" in text, town


def test_links_on_village_map_and_notice_pages_resolve(built_site: Path):
    pages = [built_site / "places/map/index.html", built_site / "places/index.html"]
    pages += sorted(built_site.glob("notices/*/*/index.html")) + sorted(built_site.glob("places/*/index.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        article = re.search(r"<article[^>]*>(.*)</article>", html, re.S).group(1)
        for href in re.findall(r'href="([^"#:]+)"', article):
            target = (page.parent / href).resolve()
            target = target / "index.html" if href.endswith("/") else target
            assert target.is_file(), (page.relative_to(built_site), href)


def test_malformed_outline_is_a_content_error(project: Path):
    outline = project / "content" / RECORDS.site["map"]["outline"]
    outline.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    result = run_build(project)
    assert result.returncode != 0
    assert "map.outline" in result.stderr and "不是有效的 GeoJSON" in result.stderr
    assert not (project / "site/index.html").exists()


def test_tiles_when_configured_line_up_with_the_points(project: Path):
    import math

    site = build_ok(with_tiles(project))
    html = (site / "places/map/index.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg class=\"gs-map-svg gs-has-tiles\".*?</svg>", html, re.S).group(0)
    images = re.findall(
        r'<image href="https://tiles\.example\.org/(\d+)/(\d+)/(\d+)\.png" '
        r'x="([-0-9.]+)" y="([-0-9.]+)" width="([0-9.]+)"',
        svg,
    )
    assert images
    zoom = int(images[0][0])
    # The county seat's tile by the slippy-map formula, computed here independently of gongshi.
    lon, lat = float(SEAT["lon"]), float(SEAT["lat"])
    n = 2**zoom
    tx, ty = int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    ((rx, ry, rw, rh),) = _svg_numbers(svg, "rect", "x", "y", "width", "height")
    seat_tile = next(i for i in images if (int(i[1]), int(i[2])) == (tx, ty))
    x, y, size = map(float, seat_tile[3:])
    assert x <= rx + rw / 2 <= x + size and y <= ry + rh / 2 <= y + size
    assert "测试瓦片" in main_text(site / "places/map/index.html")


def test_gongshi_check_reports_a_missing_outline(project: Path):
    import subprocess
    import sys

    edit(project, "content/site.yml", "outline: sources/outline.geojson", "outline: sources/gone.geojson")
    result = subprocess.run(
        [sys.executable, "-m", "gongshi", "check", "--content", str(project / "content")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "map.outline" in result.stderr and "gone.geojson" in result.stderr
