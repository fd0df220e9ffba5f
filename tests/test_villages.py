"""Village and township pages, the village map and the printable notices, in a real `mkdocs build`.

Expectations come from the content files themselves (parsed here with PyYAML, not through gongshi),
so a page that drops or invents a project fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_ok, run_build
from helpers import main_text
from village_records import asset_villages, gazetteer, named_places, project_links, records, with_tiles

PARK = "content/projects/01-maoping-bamboo-park.md"


# --- village and township pages ----------------------------------------------------------


def test_every_named_place_has_a_page_listing_exactly_its_projects(built_site: Path):
    expected = named_places()
    assert len(expected) >= 25
    for code, projects in expected.items():
        html = (built_site / "places" / code / "index.html").read_text(encoding="utf-8")
        assert project_links(html) == projects, code
        assert code in main_text(built_site / "places" / code / "index.html")
    townships, _ = gazetteer()
    village_codes = {c for c in expected if c not in townships.values()}
    built = {p.name for p in (built_site / "places").iterdir() if re.fullmatch(r"\d{12}", p.name)}
    # Every village page is one a record asks for; townships get a page when they or a village are named.
    assert {c for c in built if not c.endswith("000")} == village_codes


def test_village_page_shows_investment_sharing_dividend_and_targets(built_site: Path):
    park = records()["maoping-bamboo-park"]
    code = gazetteer()[1][("毛坪镇", "长梯村")]
    text = main_text(built_site / "places" / code / "index.html")
    assert "长梯村村民委员会" in text and code in text and "毛坪镇" in text
    assert "确权村" in text
    assert "1,150" in text  # the project's investment
    assert f"{len(park['beneficiaries']['asset_villages'])} 个村集体共享" in text
    assert "34.5 万元" in text and "各村分配比例原文件未写明" in text
    assert "15,000㎡以上" in text  # the project's target


def test_site_village_and_township_roles(built_site: Path):
    _, villages = gazetteer()
    xinhua = main_text(built_site / "places" / villages[("毛坪镇", "新华村")] / "index.html")
    assert "实施地点" in xinhua and "确权村" not in xinhua.split("关系：")[0]
    xingxing = main_text(built_site / "places" / villages[("新场乡", "星星村")] / "index.html")
    assert "确权村、实施地点" in xingxing
    townships, _ = gazetteer()
    shaping = main_text(built_site / "places" / townships["沙坪镇"] / "index.html")
    assert "峨边总部经济园科技创新平台建设项目" in shaping and "实施地点" in shaping


def test_villages_index_groups_by_township_with_counts(built_site: Path):
    text = main_text(built_site / "places/index.html")
    expected = named_places()
    _townships, villages = gazetteer()
    by_town: dict[str, set[str]] = {}
    for (town, _), code in villages.items():  # aliases map to the same code
        if code in expected:
            by_town.setdefault(town, set()).add(code)
    for town, codes in by_town.items():
        assert f"{town}：{len(codes)} 个村" in text
    assert f"{sum(len(c) for c in by_town.values())} 个村（社区）" in text


def test_alias_resolves_and_both_spellings_show(built_site: Path):
    code = gazetteer()[1][("杨河乡", "垭垭村")]
    assert code == gazetteer()[1][("杨河乡", "桠桠村")]
    for page in (
        f"places/{code}/index.html",
        "projects/maoping-bamboo-park/index.html",
        "places/map/index.html",
        f"notices/places/{code}/index.html",
    ):
        text = main_text(built_site / page)
        assert "桠桠村" in text and "垭垭村" in text, page


def test_unknown_village_fails_with_a_same_township_suggestion(project: Path):
    path = project / PARK
    path.write_text(path.read_text(encoding="utf-8").replace("- 杨河乡垭垭村", "- 杨河乡桠子村"), encoding="utf-8")
    result = run_build(project)
    assert result.returncode != 0
    assert not (project / "site/index.html").exists()
    assert PARK in result.stderr and "杨河乡桠子村" in result.stderr
    hint = next(line for line in result.stderr.splitlines() if "是否应为" in line)
    suggested = re.findall(r"[\u4e00-\u9fff]+乡[\u4e00-\u9fff]+村|[\u4e00-\u9fff]+镇[\u4e00-\u9fff]+村", hint)
    assert "杨河乡桠桠村" in suggested
    assert all(s.startswith("杨河乡") for s in suggested), hint


# --- the map page -------------------------------------------------------------------------


def test_map_shows_every_asset_village_and_the_park_site(built_site: Path):
    html = (built_site / "places/map/index.html").read_text(encoding="utf-8")
    text = main_text(built_site / "places/map/index.html")
    _, villages = gazetteer()
    wanted = set(asset_villages()) | {("毛坪镇", "新华村")}
    assert len(set(asset_villages())) == 24
    for town, name in wanted:
        code = villages[(town, name)]
        assert name in text, name
        # linked twice: from the schematic and from the list
        assert len(re.findall(rf'href="\.\./{code}/"', html)) >= 2, name


def test_map_svg_has_outline_and_seat_and_no_invented_points(built_site: Path):
    html = (built_site / "places/map/index.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg class=\"gs-map-svg\".*?</svg>", html, re.S).group(0)
    assert 'class="gs-map-outline"' in svg
    assert svg.count("<rect") == 1  # the county seat from site.yml
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
    places = project / "content/places.yml"
    text = places.read_text(encoding="utf-8")
    village = "        official_name: 新华村村民委员会\n        kind: 村民委员会\n"
    assert village in text
    text = text.replace(
        village,
        village
        + (
            "        coordinates:\n          lon: 103.25875\n          lat: 29.23249\n          crs: WGS-84\n"
            "          source: 测试用坐标（与县城同点）\n"
        ),
        1,
    )
    township = "    name: 大堡镇\n    kind: 镇\n"
    assert township in text
    text = text.replace(
        township,
        township
        + ("    coordinates:\n      lon: 103.45\n      lat: 29.25\n      crs: GCJ-02\n      source: 测试用坐标\n"),
        1,
    )
    places.write_text(text, encoding="utf-8")
    site = build_ok(project)
    html = (site / "places/map/index.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg class=\"gs-map-svg\".*?</svg>", html, re.S).group(0)
    width, height = map(float, re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg).groups())
    ((rx, ry, rw, rh),) = _svg_numbers(svg, "rect", "x", "y", "width", "height")
    circles = _svg_numbers(svg, "circle", "cx", "cy")
    assert len(circles) == 2
    _, villages = gazetteer(project)
    townships, _ = gazetteer(project)
    xinhua = villages[("毛坪镇", "新华村")]
    assert f'href="../{xinhua}/"' in svg and f'href="../{townships["大堡镇"]}/"' in svg
    for cx, cy in circles:
        assert 0 <= cx <= width and 0 <= cy <= height
    # 新华村 was given the seat's coordinates: same spot; 大堡镇 lies east and a little north of it.
    (dx, dy), (vx, vy) = circles  # gazetteer order: 大堡镇 before 毛坪镇新华村
    assert (vx, vy) == pytest.approx((rx + rw / 2, ry + rh / 2), abs=0.2)
    assert dx > vx and dy < vy
    text = main_text(site / "places/map/index.html")
    assert "测试用坐标（与县城同点）" in text and "位置可能偏差数百米" in text  # GCJ-02 vs a CGCS2000 outline
    assert "补充坐标后" not in text


def test_missing_outline_file_is_a_content_error(project: Path):
    config = project / "content/site.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "county_boundary_fastgeocn_cgcs2000.geojson", "no_such_file.geojson"
        ),
        encoding="utf-8",
    )
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
    for pid, front in records().items():
        page = built_site / "notices/projects" / pid / "index.html"
        text = main_text(page)
        assert front["title"] in text and front["location"] in text
        assert "12317" in text and "号码待公布" in text
        assert "责任人" in text and "未列明" in text
        assert "公示期：未设定" in text
        # without site_url there is no QR code, and the page says why and where to look
        assert "二维码暂缺" in text and f"projects/{pid}/" in text
        assert 'class="md-header' not in page.read_text(encoding="utf-8")
        project_page = (built_site / "projects" / pid / "index.html").read_text(encoding="utf-8")
        assert f'href="../../notices/projects/{pid}/"' in project_page
    expected = named_places()
    townships, _ = gazetteer()
    for code, projects in expected.items():
        if code in townships.values():
            continue
        html = (built_site / "notices/places" / code / "index.html").read_text(encoding="utf-8")
        titles = set(re.findall(r"<h2>\d+\. (.*?)</h2>", html))
        assert titles == {records()[p]["title"] for p in projects}, code


def test_notices_are_not_in_search(built_site: Path):
    for notice in (built_site / "notices").rglob("*.html"):
        html = notice.read_text(encoding="utf-8")
        assert "data-pagefind-body" not in html and 'name="gongshi:type"' not in html, notice


def test_notice_period_from_site_config(project: Path):
    config = project / "content/site.yml"
    config.write_text(config.read_text(encoding="utf-8") + "notice_days: 10\n", encoding="utf-8")
    site = build_ok(project)
    assert "公示期：10 天" in main_text(site / "notices/projects/maoping-bamboo-park/index.html")


def test_township_page_lists_its_villages_and_their_projects(built_site: Path):
    townships, villages = gazetteer()
    expected = named_places()
    text = main_text(built_site / "places" / townships["新场乡"] / "index.html")
    codes = {c for (t, _), c in villages.items() if t == "新场乡" and c in expected}
    assert f"写到本乡镇的 {len(codes)} 个村" in text
    titles = {records()[pid]["title"] for code in codes for pid in expected[code]}
    assert titles and all(title in text for title in titles)


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
    outline = project / "content/sources/ebian/county_boundary_fastgeocn_cgcs2000.geojson"
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
    lon, lat = 103.25875, 29.23249
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

    config = project / "content/site.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("county_boundary_fastgeocn_cgcs2000.geojson", "gone.geojson"),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "gongshi", "check", "--content", str(project / "content")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "map.outline" in result.stderr and "gone.geojson" in result.stderr
