"""原文件未列明: every required field taken from the document accepts it; the site shows it as not stated,
never as a fact, and lists the checks it stops."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from second_county import make_county

from gongshi.content.fields import field_rows
from gongshi.content.load import load_site
from gongshi.content.model import Gazetteer, Plan, Project, SiteConfig
from gongshi.content.unstated import NOT_STATED, UNSTATED, stated
from gongshi.web.present import FILTERS

# Required fields that do not come from the document, and why.
NOT_FROM_THE_DOCUMENT = {
    "id": "the site's own stable key (web address)",
    "plan": "a reference to a plan file",
    "category": "a reference to a category of the plan",
    "funding[].source": "a reference to a fund source of the plan",
    "funding[].id": "the site's own key of a fund source",
    "categories": "the plan's categories (one 原文件未列明 category when the document has none)",
    "categories[].id": "the site's own key of a category",
    "year": "how the site files the plan (pages, pickers)",
    "programme.name": "the site's own classification of the plan",
    "programme.partner.name": "the partner as a whole may be 原文件未列明",
    "programme.partner.full_name": "the partner as a whole may be 原文件未列明",
    "progress[].date": "a progress report written by staff, not the published plan",
    "progress[].stage": "a progress report written by staff",
    "dividends_paid[].year": "a payment reported by staff",
    "dividends_paid[].amount": "a payment reported by staff",
    "dividends_paid[].villages[].village": "a payment reported by staff",
    "dividends_paid[].villages[].amount": "a payment reported by staff",
    # Groups written only when the document states them (absent, the page says 原文件未列明): a part of one
    # cannot be unknown on its own.
    "line_items[].name": "a line item is written only when the document prices it",
    "line_items[].amount": "a line item is written only when the document prices it",
    "approval.number": "an approval is written only when the document names it",
    "dividend.shares[].village": "a share is written only when the document states each village's",
    "dividend.shares[].amount": "a share is written only when the document states each village's",
    "income_commitment.minimum_per_year": "a commitment is written only when the document states it",
    "income_commitment.per": "a commitment is written only when the document states it",
    "income_commitment.shares[].village": "a share is written only when the document states each village's",
    "income_commitment.shares[].amount": "a share is written only when the document states each village's",
    "changes[].date": "a change is written from its approval, only when there is one",
    "changes[].field": "a change is written from its approval, only when there is one",
    # The county's own acts, not the plan document.
    "notices[].stage": "the county's own notice periods",
    "notices[].start": "the county's own notice periods",
    "notices[].end": "the county's own notice periods",
    "review.year": "the county's own performance self-review",
}


@pytest.mark.parametrize("model", [Project, Plan, SiteConfig, Gazetteer])
def test_every_required_document_field_accepts_not_stated(model) -> None:
    for row in field_rows(model):
        name = row.path.rpartition("discrepancies[].")[2] if "discrepancies[]." in row.path else None
        if not row.required or name in ("check", "note") or row.path in NOT_FROM_THE_DOCUMENT:
            continue
        if model in (SiteConfig, Gazetteer) and not row.spec.document and row.path not in ("county.code",):
            continue  # site settings and the places list are not document fields, apart from codes
        assert row.spec.document, f"{model.__name__}.{row.path}: mark it field(..., document=True) or say why not"


def test_the_marker_is_one_value_that_reads_as_not_stated() -> None:
    plan = Plan.model_validate(
        dict(id="x", title=NOT_STATED, issuer=NOT_STATED, date=NOT_STATED, year=2025, total=f" {NOT_STATED} ",
             funding=NOT_STATED, categories=[dict(id="a", name=NOT_STATED, amount=NOT_STATED, count=NOT_STATED)])
    )  # fmt: skip
    assert plan.total is UNSTATED and plan.date is UNSTATED and not stated(plan.funding) and list(plan.funding) == []
    assert plan.model_dump(mode="json")["total"] == NOT_STATED
    for name in ("wan", "yuan", "number", "cn_date", "percent", "plain"):
        assert FILTERS[name](UNSTATED) == NOT_STATED
    with pytest.raises(TypeError):
        plan.total + 1  # arithmetic with an unstated value fails loudly


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_county(tmp_path_factory.mktemp("unstated") / "c")


REQUIRED_DOCUMENT = [
    row.path
    for row in field_rows(Project)
    if row.required and row.spec.document and "[]" not in row.path and "." not in row.path
]


@pytest.mark.parametrize("path", [*REQUIRED_DOCUMENT, "funding[].amount"])
def test_each_required_record_field_may_be_not_stated(county: Path, path: str) -> None:
    record = county / "content" / "projects" / "01-road-a.md"
    original = record.read_text(encoding="utf-8")
    if path == "funding[].amount":
        text = original.replace("    amount: 180", f"    amount: {NOT_STATED}")
    elif path == "funding":
        text = re.sub(r"funding:\n(  - .*\n(    .*\n)*)", f"funding: {NOT_STATED}\n", original)
    else:
        text = re.sub(rf"^{path}: .*$", f"{path}: {NOT_STATED}", original, flags=re.M)
    assert text != original
    try:
        record.write_text(text, encoding="utf-8")
        site = load_site(county / "content", county)
        project = next(p for p in site.projects if p.id == "road-a")
        value = project.funding[0].amount if path == "funding[].amount" else getattr(project, path)
        assert value is UNSTATED
        skipped = {n.check for n in site.skipped_for("project:road-a")}
        if path in ("investment", "funding", "funding[].amount"):
            assert "funding" in skipped  # the funding check is listed as not made, not passed
    finally:
        record.write_text(original, encoding="utf-8")


def test_a_place_without_an_official_code_has_an_id_and_says_so(tmp_path: Path) -> None:
    from conftest import run_build
    from helpers import main_text

    from gongshi.errors import ContentErrors

    folder = make_county(tmp_path / "c")
    places = folder / "content" / "places.yml"
    text = places.read_text(encoding="utf-8")
    first = re.search(r'      - code: "(\d{12})"\n', text)
    assert first
    places.write_text(text.replace(first.group(0), f"      - code: {NOT_STATED}\n", 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_site(folder / "content", folder)
    assert [e.field for e in caught.value.errors] == ["townships[0].villages[0]"]  # no code and no id
    places.write_text(
        text.replace(first.group(0), f"      - code: {NOT_STATED}\n        id: no-code-village\n", 1), encoding="utf-8"
    )
    result = run_build(folder)
    assert result.returncode == 0, result.stderr
    page = main_text(folder / "site" / "places" / "no-code-village" / "index.html")
    assert f"统计用区划代码 {NOT_STATED}" in page


def test_total_adds_the_stated_values_and_counts_the_others() -> None:
    from gongshi.content.unstated import UNSTATED, Total, total

    assert total([Decimal("1.5"), UNSTATED, Decimal("2"), None]) == Total(Decimal("3.5"), 2, 2)
    partial = total([Decimal("1"), UNSTATED])
    assert partial.value is UNSTATED and not partial.complete and partial.of == 2
    assert total([Decimal("3952.310194")]).value == Decimal("3952.310194")
    assert total([]).value == 0 and total([]).complete
    assert total([UNSTATED]) + total([Decimal(2)]) == Total(Decimal(2), 1, 1)


def test_a_total_says_what_it_covers() -> None:
    from gongshi.content.unstated import total
    from gongshi.web.present import total_wan

    assert total_wan(total([Decimal(100), Decimal(50), UNSTATED])) == "已列明的 2 项合计 150 万元，另有 1 项未列明"
    assert total_wan(total([UNSTATED, UNSTATED])) == NOT_STATED
    assert total_wan(total([Decimal("3952.310194")])) == "3,952.310194 万元"


@pytest.mark.parametrize(
    ("rate", "annual"), [(3, "34.5"), (NOT_STATED, "34.5"), (3, NOT_STATED), (NOT_STATED, NOT_STATED)]
)
def test_a_dividend_cell_says_what_is_not_stated_by_label_and_reads_back(rate, annual) -> None:
    from gongshi.content.model import Dividend
    from gongshi.content.wording import dividend_text
    from gongshi.staff.fundtable import parse_dividend

    dividend = Dividend.model_validate({"rate_percent": rate, "annual": annual, "condition": "运营后每年"})
    text = dividend_text(dividend)
    assert NOT_STATED not in re.sub(rf"(?:比例|每年)：{NOT_STATED}(?=；)", "", text), text  # only as a labelled value
    assert Dividend.model_validate(parse_dividend(text)) == dividend


def test_a_fund_source_without_name_reads_as_labelled_parts_on_a_notice(tmp_path: Path) -> None:
    """A reader (a printed notice) gets 来源：原文件未列明；金额：… — the marker never stands before an amount as if
    it were a name; a cell keeps the form the Excel import reads back."""
    from tiny_county import data, make_project

    from gongshi.content.values import Texts

    county = data()
    county["content/plans/2025.yml"]["funding"][0]["name"] = NOT_STATED
    project = make_project(tmp_path / "p", county)
    site = load_site(project / "content", project)
    park = next(p for p in site.projects if p.id == "park")
    assert Texts(site, reader=True).field(park, "funding") == f"来源：{NOT_STATED}；金额：100 万元"
    assert Texts(site).field(park, "funding") == f"{NOT_STATED} 100"
