"""Printed notices as a township posts them, printed to PDF by Debian's Chromium (with a CJK font) and read back:
each A4 and A3 sheet carries its 公示期 (the record's period, or blanks to fill by hand), a posting date, the office
that posts it, room for its seal and the published supervision numbers only; no text falls outside the sheet's
printable area (the A3 village list keeps its numbers)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from browser import open_page, serve
from conftest import build_ok
from pdf_text import Page, pdf_pages
from tiny_county import data, make_project

OFFICE = "测试县人民政府办公室"
UNPUBLISHED = "测试县监督举报电话"
PERIOD = {"stage": "plan", "start": dt.date(2025, 3, 3), "end": dt.date(2025, 3, 12), "where": "甲镇一村村务公开栏"}
BLANK_PERIOD = "公示期：____年__月__日至____年__月__日"
BLANK_POSTED = "张贴日期：____年__月__日"
VILLAGE = "990100100202"  # 二村: named by both projects, so its notices list two


@pytest.fixture(scope="module")
def notice_site(tmp_path_factory: pytest.TempPathFactory):
    """The tiny county with a second, unpublished supervision number, a plan whose document does not state its
    issuer, and a plan notice period for the park (the school states none), built once and served."""
    county = data()
    county["content/plans/2025.yml"]["issuer"] = "原文件未列明"
    county["content/site.yml"]["contacts"].append({"name": UNPUBLISHED, "phone": None, "note": "号码待县里公布"})
    county["content/projects/01-park.md"]["notices"] = [PERIOD]
    project = make_project(tmp_path_factory.mktemp("notice") / "project", county)
    site = build_ok(project)
    with serve(site) as url:
        yield url


def printed(context, url: str, path: str) -> list[Page]:
    page = open_page(context, url, path).page
    pdf = page.pdf(prefer_css_page_size=True)
    page.close()
    return pdf_pages(pdf)


def sheets(path: str) -> int:
    """A project's notice fits one sheet (A4 or A3), as does a village's A3; a village's A4 notice takes at most a
    sheet per project it lists (two here)."""
    return 2 if path == f"notices/places/{VILLAGE}/" else 1


def assert_fit_to_post(pages: list[Page], path: str) -> str:
    """What every printed notice carries, and nothing outside the printable area; returns the text."""
    assert 1 <= len(pages) <= sheets(path), (path, len(pages))
    text = "\n".join(sheet.text for sheet in pages)
    assert f"公示单位：{OFFICE}" in text, path
    assert "（盖章）" in text, path
    assert "12317" in text, path
    for gone in ("号码待公布", UNPUBLISHED, "未设定", "原文件未列明《", "监督举报电话：监督举报电话"):
        assert gone not in text, (path, gone)
    outside = [
        r
        for sheet in pages
        for r in sheet.runs
        if not r.visible or not (0 <= r.x <= sheet.width and 0 <= r.y <= sheet.height)
    ]
    assert outside == [], (path, outside[:5])
    return text


@pytest.mark.parametrize("path", ["notices/projects/park/", "notices/projects/park/a3/"])
def test_a_stated_period_is_printed_with_its_posting_date(context, notice_site, path):
    text = assert_fit_to_post(printed(context, notice_site, path), path)
    assert "公示期：2025年3月3日至2025年3月12日（共 10 天）" in text, text
    assert "张贴日期：2025年3月3日" in text
    assert BLANK_PERIOD not in text


@pytest.mark.parametrize(
    "path",
    [
        "notices/projects/school/",
        "notices/projects/school/a3/",
        f"notices/places/{VILLAGE}/",
        f"notices/places/{VILLAGE}/a3/",
    ],
)
def test_without_a_period_the_sheet_has_blanks_to_fill_by_hand(context, notice_site, path):
    text = assert_fit_to_post(printed(context, notice_site, path), path)
    assert BLANK_PERIOD in text and BLANK_POSTED in text, text


def test_the_a3_village_list_keeps_its_numbers(context, notice_site):
    (sheet,) = printed(context, notice_site, f"notices/places/{VILLAGE}/a3/")
    numbered = [row for row in sheet.rows() if re.match(r"\d+\.", "".join(r.text for r in row))]
    assert ["".join(r.text for r in row).split(".")[0] for row in numbered] == ["1", "2"], sheet.lines()
    left = sheet.width * 0.5
    for row in numbered:
        assert row[0].visible and 0 < row[0].x < left, row[:3]
