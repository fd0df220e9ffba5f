"""Every key of a project's life under the 公示 rules, written wrong, gets an error naming file, line and field,
in Chinese and English — and no site. The lifecycle county (tests/fixtures/lifecycle) at its last stage is
edited one mistake at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_build
from helpers import edit, line_of, main_text
from lifecycle_county import PLAN, ROAD, lifecycle_project

from gongshi.content.load import load_site
from gongshi.errors import ContentError, ContentErrors


@pytest.fixture
def county(tmp_path: Path) -> Path:
    return lifecycle_project(tmp_path / "project")


def errors_of(project: Path) -> list[ContentError]:
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content", project)
    return caught.value.errors


def one_error(project: Path) -> ContentError:
    errors = errors_of(project)
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0]


def test_the_county_is_clean(county: Path):
    site = load_site(county / "content", county)
    assert [n.check for n in site.notes] == ["completion"]


# (what is wrong, the file, text to replace, its replacement, the field reported, the line's text after the edit,
#  words of the Chinese message, words of the English message)
CASES = [
    # notices
    (
        "notice too short",
        ROAD,
        "    end: 2025-01-15",
        "    end: 2025-01-14",
        "notices[0].end",
        "end: 2025-01-14",
        "公示期只有 9 天",
        "at least 10",
    ),
    ("notice stage twice", ROAD, "  - stage: change", "  - stage: plan", "notices", "notices:", "写了两次", "twice"),
    (
        "notice stage unknown",
        ROAD,
        "  - stage: change",
        "  - stage: adjust",
        "notices[2].stage",
        "stage: adjust",
        "不是允许的取值",
        "allowed values",
    ),
    (
        "notice date impossible",
        ROAD,
        "    start: 2025-07-03",
        "    start: 2025-07-32",
        "notices[2].start",
        "start: 2025-07-32",
        "日期",
        "date",
    ),
    # approval and subsidy standard
    (
        "approval without number",
        ROAD,
        "  number: 演府函〔2025〕5号\n",
        "",
        "approval.number",
        "approval:",
        "缺少必填字段",
        "missing",
    ),
    (
        "approval date impossible",
        ROAD,
        "  date: 2025-02-25",
        "  date: 2025-02-30",
        "approval.date",
        "date: 2025-02-30",
        "日期",
        "date",
    ),
    (
        "subsidy standard a list",
        ROAD,
        "subsidy_standard: 每公里补助50万元",
        "subsidy_standard: [50]",
        "subsidy_standard",
        "subsidy_standard:",
        "应为文字",
        "text",
    ),
    # changes
    (
        "change names no field",
        ROAD,
        "    field: funding[0].amount",
        "    field: fundings[0].amount",
        "changes[0].field",
        "field: fundings[0].amount",
        "不是这条记录中的字段",
        "not a field",
    ),
    (
        "change names no entry",
        ROAD,
        "    field: funding[1].amount",
        "    field: funding[5].amount",
        "changes[1].field",
        "field: funding[5].amount",
        "不是这条记录中的字段",
        "not a field",
    ),
    (
        "change path malformed",
        ROAD,
        "    field: funding[0].amount",
        "    field: funding.0.amount",
        "changes[0].field",
        "field: funding.0.amount",
        "格式不对",
        "wrong format",
    ),
    (
        "change after is not the record",
        ROAD,
        "    after: 170",
        "    after: 175",
        "changes[0].after",
        "after: 175",
        "最后一次变更后的值与记录中现在的值不一致",
        "differs from the record",
    ),
    (
        "changes out of order",
        ROAD,
        "  - date: 2025-07-01\n    approval: 演府函〔2025〕18号\n    reason: 往年结余资金增加10万元，相应减少当年衔接资金\n    field: funding[1]",
        "  - date: 2025-06-01\n    approval: 演府函〔2025〕18号\n    reason: 往年结余资金增加10万元，相应减少当年衔接资金\n    field: funding[1]",
        "changes",
        "changes:",
        "按日期从早到晚",
        "date order",
    ),
    (
        "change without a date",
        ROAD,
        "  - date: 2025-07-01\n    approval",
        "  - approval",
        "changes[0].date",
        "  - approval: 演府函〔2025〕18号",
        "缺少必填字段",
        "missing",
    ),
    # completion
    (
        "completion surplus undisclosed",
        ROAD,
        "  - check: completion\n",
        "  - field: completion.note\n",
        "completion.surplus",
        "surplus: 9.6",
        "结余资金不等于",
        "surplus is not",
    ),
    (
        "completion but still running",
        ROAD,
        "status: 已验收",
        "status: 实施中",
        "status",
        "status: 实施中",
        "已填写的完工验收",
        "not finished",
    ),
    (
        "settled with its unit",
        ROAD,
        "  settled: 188.5",
        "  settled: 188.5万元",
        "completion.settled",
        "settled: 188.5万元",
        "不要写单位",
        "without the unit",
    ),
    (
        "negative fee",
        ROAD,
        "  management_fee: 2",
        "  management_fee: -2",
        "completion.management_fee",
        "management_fee: -2",
        "负数",
        "negative",
    ),
    (
        "completion key misspelt",
        ROAD,
        "  settled: 188.5",
        "  settle: 188.5",
        "completion.settle",
        "settle: 188.5",
        "未知字段",
        "unknown field",
    ),
    # line items
    (
        "line items do not add up",
        ROAD,
        "    amount: 110",
        "    amount: 111",
        "line_items",
        "line_items:",
        "投资明细合计不等于规划投资",
        "line items do not sum",
    ),
    (
        "line item quantity in words",
        ROAD,
        "    quantity: 4\n    unit: 公里\n  - name: 路面硬化",
        "    quantity: 四\n    unit: 公里\n  - name: 路面硬化",
        "line_items[0].quantity",
        "quantity: 四",
        "数字",
        "number",
    ),
    # funding batches
    (
        "funding date impossible",
        ROAD,
        "    date: 2025-03-20",
        "    date: 2025-03-32",
        "funding[0].date",
        "date: 2025-03-32",
        "日期",
        "date",
    ),
    # income commitment and villages' shares
    (
        "income per unknown",
        ROAD,
        "  per: village",
        "  per: each",
        "income_commitment.per",
        "per: each",
        "不是允许的取值",
        "allowed values",
    ),
    (
        "income share to an unknown village",
        ROAD,
        "  condition: 建成后每年\n",
        "  condition: 建成后每年\n  shares:\n    - village: 东镇北村\n      amount: 3\n",
        "income_commitment.shares[0].village",
        "village: 东镇北村",
        "不在 places.yml 中",
        "not in places.yml",
    ),
    (
        "income share below the minimum",
        ROAD,
        "  condition: 建成后每年\n",
        "  condition: 建成后每年\n  shares:\n    - village: 东镇东村\n      amount: 2\n",
        "income_commitment.shares[0].amount",
        "amount: 2",
        "低于承诺的每村最低收益",
        "below the promised minimum",
    ),
    (
        "shared income does not add up",
        ROAD,
        "  per: village\n  condition: 建成后每年\n",
        "  per: shared\n  condition: 建成后每年\n  shares:\n    - village: 东镇东村\n      amount: 2\n"
        "    - village: 东镇西村\n      amount: 2\n",
        "income_commitment.shares",
        "  shares:",
        "各村分配合计不等于",
        "do not sum",
    ),
    (
        "share to a village the project does not name",
        ROAD,
        "  condition: 建成后每年\n",
        "  condition: 建成后每年\n  shares:\n    - village: 东镇南村\n      amount: 3\n",
        "income_commitment.shares[0].village",
        "village: 东镇南村",
        "不是本项目的确权村或受益村",
        "does not name",
    ),
    (
        "dividend shares do not add up",
        ROAD,
        "income_commitment:\n",
        "dividend:\n  rate_percent: 1.5\n  annual: 3\n  shares:\n    - village: 东镇东村\n      amount: 1.5\n"
        "    - village: 东镇西村\n      amount: 1.6\nincome_commitment:\n",
        "dividend.shares",
        "  shares:",
        "各村分配合计不等于每年分红",
        "do not sum",
    ),
    (
        "villages paid do not add up",
        ROAD,
        "        amount: 2.5",
        "        amount: 2",
        "dividends_paid[0].villages",
        "    villages:",
        "各村实收合计不等于实际分红",
        "do not sum",
    ),
    # targets
    (
        "kind outside its group",
        ROAD,
        "    kind: 社会效益",
        "    kind: 数量",
        "targets[1]",
        "  - group: 效益",
        "不属于一级指标",
        "not under group",
    ),
    (
        "target with number and words",
        ROAD,
        "    planned: 明显改善",
        "    planned: 明显改善\n    value: 1",
        "targets[1]",
        "  - group: 效益",
        "定性目标",
        "not both",
    ),
    (
        "comparator unknown",
        ROAD,
        "    comparator: ≥\n    actual: 4.2",
        "    comparator: 大于\n    actual: 4.2",
        "targets[0].comparator",
        "comparator: 大于",
        "不是允许的取值",
        "allowed values",
    ),
    (
        "group unknown",
        ROAD,
        "  - group: 产出",
        "  - group: 产出类",  # 产出指标, the official wording, is accepted (test_clerk_traps)
        "targets[0].group",
        "group: 产出类",
        "不是允许的取值",
        "allowed values",
    ),
    # self-review
    (
        "review year too early",
        ROAD,
        "  year: 2025\n  date: 2026-01-15",
        "  year: 1999\n  date: 2026-01-15",
        "review.year",
        "year: 1999",
        "数值太小",
        "too small",
    ),
    (
        "review executed with its unit",
        ROAD,
        "  year: 2025\n  date: 2026-01-15",
        "  year: 2025\n  disbursed: 190.5万\n  date: 2026-01-15",
        "review.disbursed",
        "disbursed: 190.5万",
        "不要写单位",
        "without the unit",
    ),
    # disclosures
    (
        "disclosure of a check that passes",
        ROAD,
        "  - check: completion\n",
        "  - check: line_items\n    note: 明细待核\n  - check: completion\n",
        "discrepancies[0].check",
        "check: line_items",
        "没有对应的不一致",
        "matches nothing",
    ),
    (
        "disclosure of no field",
        ROAD,
        "  - check: completion\n",
        "  - field: completion.surplu\n    note: 待核\n  - check: completion\n",
        "discrepancies[0].field",
        "field: completion.surplu",
        "不是这条记录中的字段",
        "names no field",
    ),
    (
        "disclosure of no entry",
        ROAD,
        "  - check: completion\n",
        "  - field: targets[7]\n    note: 待核\n  - check: completion\n",
        "discrepancies[0].field",
        "field: targets[7]",
        "不是这条记录中的字段",
        "names no field",
    ),
    (
        "disclosure kind unknown",
        ROAD,
        "    kind: inconsistent",
        "    kind: wrong",
        "discrepancies[0].kind",
        "kind: wrong",
        "不是允许的取值",
        "allowed values",
    ),
    # the responsible person
    (
        "person phone in words",
        ROAD,
        '  phone: "0800-7654321"',
        "  phone: 电话0800",
        "responsible_person.phone",
        "phone: 电话0800",
        "格式不对",
        "wrong format",
    ),
    (
        "person without name",
        ROAD,
        "  name: 李某某\n",
        "",
        "responsible_person.name",
        "responsible_person:",
        "缺少必填字段",
        "missing",
    ),
    # the plan's own changes
    (
        "plan change after is not the plan",
        PLAN,
        "    after: 270",
        "    after: 275",
        "changes[0].after",
        "after: 275",
        "最后一次变更后的值与记录中现在的值不一致",
        "differs from the record",
    ),
    (
        "plan change names no field",
        PLAN,
        "    field: funding[1].amount",
        "    field: budget",
        "changes[1].field",
        "field: budget",
        "不是这条记录中的字段",
        "not a field",
    ),
]


@pytest.mark.parametrize(
    "rel, old, new, field, needle, zh, en", [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_bad_lifecycle_input(county: Path, rel, old, new, field, needle, zh, en):
    edit(county, rel, old, new)
    error = one_error(county)
    assert (error.file, error.field) == (rel, field), error.format()
    assert error.line == line_of(county, rel, needle), error.format()
    assert zh in error.message_zh + (error.expected or ""), error.format()
    assert en in error.message_en, error.format()


def test_comparator_signs_as_staff_type_them(county: Path):
    edit(county, ROAD, "    comparator: ≥\n    actual: 4.2", "    comparator: '>='\n    actual: 4.2")
    site = load_site(county / "content", county)
    road = next(p for p in site.projects if p.id == "village-road")
    assert road.targets[0].comparator == "≥"


def test_a_bad_key_builds_no_site(county: Path):
    edit(county, ROAD, "    end: 2025-01-15", "    end: 2025-01-14")
    result = run_build(county)
    assert result.returncode != 0 and not (county / "site").exists()
    assert f"{ROAD}:{line_of(county, ROAD, 'end: 2025-01-14')}: 字段 field `notices[0].end`" in result.stderr


PAYLOAD = "<script>alert('gs')</script><img src=x onerror=alert(1)>{{ 7*7 }}"
TEXT_FIELDS = (
    "    where: 东村、西村村务公开栏",
    "    reason: 往年结余资金增加10万元，相应减少当年衔接资金",
    "  surplus_to: 收回县财政统筹使用",
    "  accepted_by: 县交通运输局",
    "  note: 验收合格",
    "  summary: 产业路建成通车，群众出行和农产品外运条件明显改善",
    "    result: 出行时间由1小时缩短至20分钟",
    "subsidy_standard: 每公里补助50万元",
    "  number: 演府函〔2025〕5号",
)


def test_lifecycle_text_is_published_as_text(county: Path):
    """Markup and template syntax in the lifecycle's text fields reach every page, notice and feed as text."""
    for line in TEXT_FIELDS:
        key, _, _ = line.partition(": ")
        edit(county, ROAD, line, f'{key}: "{PAYLOAD}"')
    site = run_build(county)
    assert site.returncode == 0, site.stderr
    pages = [*sorted((county / "site").rglob("*.html")), county / "site/feed.xml"]
    shown = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, page
        shown += html.count("&lt;script&gt;alert(")
    assert shown >= 20  # on the project page, the stage notices, the plan review, the changes page and the feed
    text = main_text(county / "site/projects/village-road/index.html")
    assert text.count("{{ 7*7 }}") >= 5  # template syntax is text, never evaluated
