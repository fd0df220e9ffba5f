"""The Ebian 2025 records load, validate and say what the published document says."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import ROOT

from gongshi.content.load import load_site

# Transcribed by hand from content/sources/ebian/2025-plan-document.txt, independently of the records.
DOCUMENT = [
    # number, title, investment (万元), responsible units, owner unit, villages titled to the assets
    ("1", "毛坪林竹产业加工园区建设项目", "1150", ["县林业局"], "毛坪镇人民政府", 12),
    ("2", "峨边总部经济园科技创新平台建设项目", "500", ["县发改局"], "黑竹沟运营集团", 7),
    ("3", "新场“粮蔬”现代农业园区科技+提升项目", "300", ["县农业农村局"], "新场乡人民政府", 5),
    ("4", "峨边“乐在浙里”就业帮扶项目", "150", ["县人社局"], "县就业创业促进中心", 0),
    ("5", "峨边“蓝鹰工程”人才共育项目", "140", ["县教育局"], "县职教中心", 0),
    ("6", "峨边“四季文旅”消费帮扶项目", "200", ["县文广体旅局"], "县文广体旅局", 0),
    ("7", "峨边干部人才交流培训项目", "300", ["县委组织部", "县委党校"], None, 0),
    ("8", "峨边助残融爱项目", "50", ["县残联"], "县残联", 0),
    ("9", "峨边残疾儿童康复中心提升项目", "50", ["县卫健局"], "峨边中医院", 0),
    ("10", "峨边中医医院特色专科打造项目", "150", ["县卫健局"], "峨边中医院", 0),
    (
        "10",
        "峨边九年一贯制学校建设项目（“山海情”柯峨教育协作帮扶建设项目）",
        "962.310194",
        ["县住建局", "县教育局"],
        "县城投公司",
        0,
    ),
]


@pytest.fixture(scope="module")
def site():
    return load_site(ROOT / "content", ROOT)


def test_plan_totals_as_published(site):
    plan = site.plans[0]
    assert plan.total == Decimal("3952.310194")
    assert str(plan.total) == "3952.310194"
    assert [(s.name, s.amount) for s in plan.funding] == [
        ("2025年东西部协作资金", Decimal("3900")),
        ("往年结余资金", Decimal("52.310194")),
    ]
    assert [(c.name, c.count, c.amount) for c in plan.categories] == [
        ("产业集群打造", 2, Decimal("1650")),
        ("特色产业提升", 1, Decimal("300")),
        ("劳务协作提升", 2, Decimal("290")),
        ("消费协作提升", 1, Decimal("200")),
        ("人才交流", 1, Decimal("300")),
        ("民生改善", 4, Decimal("1212.310194")),
    ]
    assert plan.date.isoformat() == "2025-02-25"
    assert plan.issuer == "峨边彝族自治县人民政府办公室"


def test_every_project_as_published(site):
    assert len(site.projects) == 11
    for project, (number, title, investment, units, owner, villages) in zip(site.projects, DOCUMENT):
        assert project.number == number
        assert project.title == title
        assert project.investment == Decimal(investment)
        assert [site.unit(u).name for u in project.responsible_units] == units
        assert (site.unit(project.owner_unit).name if project.owner_unit else None) == owner
        assert len(project.beneficiaries.asset_villages) == villages
    assert len({p.id for p in site.projects}) == 11


def test_money_stays_exact(site):
    total = sum((p.investment for p in site.projects), Decimal(0))
    assert total == Decimal("3952.310194")
    school = next(p for p in site.projects if p.order == 11)
    assert {f.source: f.amount for f in school.funding} == {
        "east-west-2025": Decimal("910"),
        "carryover": Decimal("52.310194"),
    }
    assert all(isinstance(p.investment, Decimal) for p in site.projects)


def test_project_without_owner_has_none_not_empty(site):
    cadre = site.projects[6]
    assert cadre.owner_unit is None
    front = (ROOT / cadre.source).read_text(encoding="utf-8").split("---")[1]
    assert not any(line.startswith("owner_unit:") for line in front.splitlines())


def test_dividends_checked_against_rate(site):
    park, platform = site.projects[0], site.projects[1]
    assert park.dividend.annual == Decimal("34.5") == park.investment * park.dividend.rate_percent / 100
    assert platform.dividend.annual == Decimal("15")


def test_targets_keep_comparators(site):
    park = site.projects[0].targets[0]
    assert (park.value, park.unit, park.comparator) == (Decimal(15000), "㎡", "以上")
    assert site.projects[1].targets[0].comparator == "约"
    children = site.projects[8].targets[1]
    assert (children.value, children.comparator) == (Decimal(10), "余")


def test_village_alias_resolves_to_official_name(site):
    yaya = site.place_index.resolve("杨河乡垭垭村")
    assert yaya.village.name == "桠桠村"
    assert yaya.code == "511132206205"
    assert site.spelled[yaya.code] == "垭垭村"
    assert yaya.code in site.projects[0].beneficiaries.asset_villages


def test_twenty_four_villages_receive_assets(site):
    assert len(site.beneficiary_villages) == 24
    assert "511132102211" in site.projects[0].places  # 毛坪镇新华村, the park's site


def test_duplicate_number_is_disclosed(site):
    notes = [n for n in site.notes if n.check == "number"]
    assert {n.scope for n in notes} == {"project:tcm-specialty", "project:nine-year-school"}


def test_gazetteer_is_complete(site):
    townships = site.gazetteer.townships
    assert len(townships) == 13
    assert sum(len(t.villages) for t in townships) == 99
    assert all(len(v.code) == 12 for t in townships for v in t.villages)
