"""The test county's records load into the model as their files state them: exact money, references
resolved, absent fields absent, disclosed discrepancies kept as public notes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import FIXTURE_CONTENT, ROOT
from helpers import edit
from records import fixture
from variants import TEA, add_front_matter

from gongshi.content.load import load_site

RECORDS = fixture()


@pytest.fixture(scope="module")
def site():
    return load_site(FIXTURE_CONTENT, ROOT)


def test_plan_as_written(site):
    (written,) = RECORDS.plans
    (plan,) = site.plans
    assert plan.total == written["total"] and str(plan.total) == str(written["total"])
    assert [(s.id, s.name, s.amount) for s in plan.funding] == [
        (s["id"], s["name"], s["amount"]) for s in written["funding"]
    ]
    assert [(c.id, c.name, c.count, c.amount) for c in plan.categories] == [
        (c["id"], c["name"], c["count"], c["amount"]) for c in written["categories"]
    ]
    assert (plan.date, plan.issuer, plan.document_number) == (
        written["date"],
        written["issuer"],
        written["document_number"],
    )


def test_every_project_as_written(site):
    assert [p.id for p in site.projects] == [r["id"] for r in RECORDS.projects]  # files are numbered in order
    for project, record in zip(site.projects, RECORDS.projects, strict=True):
        assert (project.number, project.title, project.investment) == (
            record["number"],
            record["title"],
            record["investment"],
        )
        assert [f.amount for f in project.funding] == [f["amount"] for f in record["funding"]]
        assert list(project.responsible_units) == [RECORDS.unit(u)["id"] for u in record["responsible_units"]]
        owner = record.get("owner_unit")
        assert project.owner_unit == (RECORDS.unit(owner)["id"] if owner else None)
        assert list(project.beneficiaries.asset_villages) == [
            RECORDS.place_code(ref) for ref in record.get("beneficiaries", {}).get("asset_villages", [])
        ]
        assert project.body == RECORDS.files[project.id].read_text("utf-8").split("---\n", 2)[2].strip()


def test_money_stays_exact(site):
    (plan,) = site.plans
    assert sum((p.investment for p in site.projects), Decimal(0)) == plan.total
    two_sources = [p for p in site.projects if len(p.funding) > 1]
    assert len(two_sources) == 1, "the test county has one project paid from two fund sources"
    (project,) = two_sources
    record = RECORDS.project(project.id)
    assert {f.source: f.amount for f in project.funding} == {f["source"]: f["amount"] for f in record["funding"]}
    assert str(project.investment) == str(record["investment"])  # 320.456789 as written, not 320.45678900000001
    assert all(isinstance(p.investment, Decimal) for p in site.projects)


def test_project_without_owner_has_none_not_empty(site):
    without = [p for p in site.projects if p.owner_unit is None]
    assert [p.id for p in without] == [r["id"] for r in RECORDS.projects if "owner_unit" not in r]
    assert without, "the test county has a project without an owner unit"
    front = RECORDS.files[without[0].id].read_text(encoding="utf-8").split("---")[1]
    assert not any(line.startswith("owner_unit:") for line in front.splitlines())


def test_unit_alias_resolves_to_the_unit(site):
    water = next(p for p in site.projects if p.id == "water-supply")
    assert RECORDS.project("water-supply")["responsible_units"] == ["县水务局"]  # as the document writes it
    assert [site.unit(u).name for u in water.responsible_units] == ["县水利局"]


def test_no_dividend_unless_the_record_promises_one(site, project):
    assert all(p.dividend is None for p in site.projects)  # the test county promises none
    add_front_matter(project, TEA, "dividend:\n  rate_percent: 3\n  annual: 14.4\n")
    tea = next(p for p in load_site(project / "content", project).projects if p.id == "tea-processing")
    assert tea.dividend.annual == Decimal("14.4") == tea.investment * tea.dividend.rate_percent / 100


def test_targets_keep_comparators(site):
    for project, record in zip(site.projects, RECORDS.projects, strict=True):
        assert [(t.indicator, t.value, t.unit, t.comparator) for t in project.targets] == [
            (t["indicator"], t.get("value"), t.get("unit"), t.get("comparator")) for t in record.get("targets", [])
        ]
    comparators = {t.comparator for p in site.projects for t in p.targets}
    assert {"以上", "约", "余", None} <= comparators
    assert any(t.value is None for p in site.projects for t in p.targets), "a qualitative target"


def test_village_alias_resolves_to_official_name(site):
    written = "白水乡桃平村"
    assert written in RECORDS.project("tea-processing")["beneficiaries"]["asset_villages"]
    place = site.place_index.resolve(written)
    assert place.village.name == "桃坪村"
    assert place.code == RECORDS.villages[("白水乡", "桃坪村")] == RECORDS.villages[("白水乡", "桃平村")]
    assert site.spelled[place.code] == "桃平村"


def test_beneficiary_villages_are_those_the_records_name(site):
    expected = {
        RECORDS.place_code(ref)
        for r in RECORDS.projects
        for key in ("asset_villages", "villages")
        for ref in r.get("beneficiaries", {}).get(key, [])
    }
    assert {p.code for p in site.beneficiary_villages} == expected
    assert RECORDS.place_code("青山镇石门村") in site.projects[0].places


def test_disclosed_discrepancy_is_a_public_note(site):
    disclosed = [
        (f"category:{plan['id']}/{c['id']}", d["check"], d["note"])
        for plan in RECORDS.plans
        for c in plan["categories"]
        for d in c.get("discrepancies", [])
    ]
    assert disclosed, "the test county discloses a discrepancy"
    assert [(n.scope, n.check, n.note) for n in site.notes] == disclosed


def test_duplicate_number_is_disclosed(project):
    """The document numbers two projects alike: both records keep its number and disclose it."""
    water = "content/projects/04-water-supply.md"
    note = "\ndiscrepancies:\n  - check: number\n    note: 原文件把两个项目都编号为“3.”。\n"
    edit(project, water, 'number: "4"\n', 'number: "3"\norder: 4\n')
    for rel in ("content/projects/03-liuxi-road.md", water):
        add_front_matter(project, rel, note)
    site = load_site(project / "content", project)
    notes = [n for n in site.notes if n.check == "number"]
    assert {n.scope for n in notes} == {"project:liuxi-road", "project:water-supply"}
    assert [p.id for p in site.projects][2:4] == ["liuxi-road", "water-supply"]  # `order` keeps the sequence


def test_gazetteer_as_written(site):
    written = RECORDS.gazetteer["townships"]
    assert [(t.code, t.name) for t in site.gazetteer.townships] == [(t["code"], t["name"]) for t in written]
    assert [v.code for t in site.gazetteer.townships for v in t.villages] == [
        v["code"] for t in written for v in t.get("villages", [])
    ]
    assert all(len(v.code) == 12 for t in site.gazetteer.townships for v in t.villages)


def test_partner_is_optional(site):
    """A 衔接资金 plan has no partner district: the programme names none, and nothing is invented."""
    assert all(plan.programme is None or plan.programme.partner is None for plan in site.plans)
