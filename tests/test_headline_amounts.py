"""One number style: the headline amount of the home and funds pages is rounded to two decimals of 万元 (whole
万元 when that is exact), with the exact figure on the line below it; tables and downloads stay exact. Built once
from the tiny county with a six-decimal plan total."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import build_ok
from helpers import main_text
from tiny_county import data, make_project

SIX = Decimal("50.310194")  # the school's investment; the plan's total becomes 150.310194


def hero(html: str) -> str:
    """The text of the page's headline block."""
    block = re.search(r'<div class="gs-hero">(.*?)</div>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The tiny county as it is (a whole total) and with a six-decimal total."""
    out = {"whole": build_ok(make_project(tmp_path_factory.mktemp("whole") / "project"))}
    county = data()
    plan, school = county["content/plans/2025.yml"], county["content/projects/02-school.md"]
    total = Decimal(plan["total"]) - Decimal(school["investment"]) + SIX
    school["investment"] = school["funding"][0]["amount"] = float(SIX)
    plan["total"] = plan["funding"][0]["amount"] = float(total)
    plan["categories"][1]["amount"] = float(SIX)
    plan["summary"] = plan["summary"].replace("150万元", f"{total}万元")  # the summary's amount is checked too
    out["six"] = build_ok(make_project(tmp_path_factory.mktemp("six") / "project", county))
    return out


@pytest.mark.parametrize("page", ["index.html", "funds/index.html"])
def test_a_six_decimal_headline_is_rounded_with_the_exact_figure_below(sites, page):
    text = hero((sites["six"] / page).read_text(encoding="utf-8"))
    assert "150.31 万元" in text, text
    assert "精确金额 150.310194 万元" in text, text
    assert text.index("150.31 万元") < text.index("精确金额"), text
    assert "合 1,503,101.94 元" in text, text


@pytest.mark.parametrize("page", ["index.html", "funds/index.html"])
def test_a_whole_headline_stays_whole_with_no_exact_line(sites, page):
    text = hero((sites["whole"] / page).read_text(encoding="utf-8"))
    assert "150 万元" in text and "150.00" not in text and "精确金额" not in text, text


def test_tables_and_downloads_stay_exact(sites):
    site = sites["six"]
    assert "150.310194" in main_text(site / "index.html").split("钱从哪里来", 1)[1]
    downloads = [p for p in (site / "data").rglob("*") if p.suffix in (".csv", ".json")]
    assert downloads
    found = ""
    for path in downloads:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            json.loads(text)
        else:
            list(csv.reader(text.splitlines()))
        assert "150.31," not in text and '"150.31"' not in text, path
        found += text
    assert "50.310194" in found  # the school's investment, as published
