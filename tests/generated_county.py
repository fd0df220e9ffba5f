"""Hypothesis strategies for generated counties: valid by construction, across the space the content model allows.

A county is the dict layout of tests/tiny_county.py ({relative path: data}; a project's Markdown body is its
"body"), written with tiny_county.write_content / make_project. Every document field
(`field(..., document=True)`, found with gongshi.content.fields.document_fields) may be 原文件未列明; places come
with and without codes; plans carry one to several categories and fund sources whose figures are either stated
and consistent with the records (the audit's rules, gongshi/content/audit.py, mirrored here) or not stated, and a
figure that cannot agree (a category or plan with no transcribed projects) carries a disclosed discrepancy.

Generated ids start with "gq-" so that a test can find them leaking into a page's visible text. Stated amounts
are Decimal, never 0, with up to 6 decimals. `Spec` keeps what a test needs to compute its expected figures from
the data rather than from the output.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import strategies as st

from gongshi.content import model
from gongshi.content.fields import document_fields
from gongshi.content.unstated import NOT_STATED

U = NOT_STATED
ID_PREFIX = "gq-"
MICRO = Decimal("0.000001")


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    # An amount as written: 12 as an integer, 12.5 as a plain decimal (the content reader keeps its digits).
    text = format(value, "f")
    if "." in text:
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)
    return dumper.represent_int(int(text))


yaml.SafeDumper.add_representer(Decimal, _represent_decimal)

TOWNSHIPS = ("河口镇", "新华乡", "白石镇", "青龙乡", "金沙镇", "龙泉乡")
VILLAGES = ("红岩村", "石门村", "新民村", "和平村", "团结村", "光明村", "清水村", "胜利村", "桃园村", "松林社区")
UNITS = (
    ("县农业农村局", "测绘县农业农村局"),
    ("县交通运输局", "测绘县交通运输局"),
    ("县水务局", "测绘县水务局"),
    ("县乡村振兴局", "测绘县乡村振兴局"),
    ("县教育局", "测绘县教育局"),
)
PROGRAMMES = (
    {"name": "衔接推进乡村振兴补助资金", "short": "衔接资金"},
    {"name": "东西部协作资金", "short": "协作", "partner": {"name": "东海区", "full_name": "示例省示例市东海区"}},
    {"name": "以工代赈资金"},
    None,
)
CATEGORIES = ("产业发展", "基础设施", "就业帮扶", "人居环境整治", "教育帮扶", "小额信贷贴息")
WORKS = ("产业路建设", "茶叶基地建设", "饮水安全巩固提升", "农产品冷链仓储", "村级光伏电站", "劳动力技能培训")
SENTENCES = (
    "新建产业路3公里，路面宽4.5米。",
    "建设标准化茶园200亩，配套灌溉设施。",
    "改造供水管网，保障群众安全饮水。",
    "建设冷链仓储库一座，带动农产品外销。",
    "开展劳动力技能培训，促进稳定就业。",
)
YI = ("ꊿꂘꐥ", "ꀉꂿꄉ", "ꆈꌠꁱ")


@dataclass
class Spec:
    """What the tests compute their expectations from: each plan's projects' investments as generated."""

    county_name: str
    plans: dict[str, dict[str, Any]] = field(default_factory=dict)  # plan id → {"investments": [...], ...}
    ids: set[str] = field(default_factory=set)  # every generated id (gq-...)


def amounts(low: int = 1, high: int = 5000) -> st.SearchStrategy[Decimal]:
    """A stated amount in 万元: never 0, up to 6 decimals."""
    whole = st.integers(low, high).map(Decimal)
    fine = st.integers(low * 10**6, high * 10**6).map(lambda n: (Decimal(n) * MICRO).normalize())
    return st.one_of(whole, fine).map(lambda d: d if d == d.to_integral() else d.normalize()).map(_tidy)


def _tidy(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def _split(draw: st.DrawFn, total: Decimal, parts: int) -> list[Decimal]:
    """total as `parts` positive amounts of at most 6 decimals that add up to it exactly."""
    micro = int(total / MICRO)
    if parts <= 1 or micro < parts:
        return [total]
    cuts = sorted(draw(st.lists(st.integers(1, micro - 1), min_size=parts - 1, max_size=parts - 1, unique=True)))
    bounds = [0, *cuts, micro]
    return [_tidy((Decimal(b - a) * MICRO).normalize()) for a, b in itertools.pairwise(bounds)]


def unstate(draw: st.DrawFn, record_model: type, data: dict[str, Any], *, keep: tuple[str, ...] = ()) -> None:
    """Set a drawn subset of the model's document fields (those present in data, or optional ones) to 原文件未列明."""
    for name in sorted(document_fields(record_model)):
        if name in keep:
            continue
        if draw(st.booleans()):
            data[name] = U


def _stated(value: Any) -> bool:
    return value != U and value is not None


def _sum(values: list[Any]) -> Decimal | None:
    """The sum, or None when one value is not stated (the audit's `total`)."""
    out = Decimal(0)
    for value in values:
        if not _stated(value):
            return None
        out += value
    return out


@st.composite
def places(draw: st.DrawFn, county: str, code: str) -> dict[str, Any]:
    townships = []
    names = draw(st.lists(st.sampled_from(TOWNSHIPS), min_size=1, max_size=3, unique=True))
    for i, name in enumerate(names, start=1):
        town: dict[str, Any] = {"code": f"{code[:6]}{100 + i:03d}000", "name": name, "kind": name[-1]}
        if draw(st.booleans()):
            town["code"], town["id"] = U, f"gq-town-{i}"
        villages = []
        for j, vname in enumerate(
            draw(st.lists(st.sampled_from(VILLAGES), min_size=1, max_size=4, unique=True)), start=1
        ):
            kind = "居民委员会" if vname.endswith("社区") else "村民委员会"
            village: dict[str, Any] = {
                "code": f"{code[:6]}{100 + i:03d}{200 + j:03d}",
                "name": vname,
                "official_name": f"{vname}{kind}",
                "kind": kind,
            }
            if draw(st.booleans()):
                village["code"], village["id"] = U, f"gq-vil-{i}-{j}"
            unstate(draw, model.Village, village, keep=("code",))
            villages.append(village)
        town["villages"] = villages
        townships.append(town)
    gazetteer = {"county": county, "county_code": code, "source": "测试用名单（虚构）", "townships": townships}
    unstate(draw, model.Gazetteer, gazetteer)
    return gazetteer


def _village_refs(gazetteer: dict[str, Any]) -> list[str]:
    return [f"{t['name']}{v['name']}" for t in gazetteer["townships"] for v in t["villages"]]


@st.composite
def project(
    draw: st.DrawFn,
    *,
    pid: str,
    plan: dict[str, Any],
    number: int,
    villages: list[str],
    units: list[str],
    year: int,
) -> dict[str, Any]:
    """One project of `plan`, valid by construction; its funding consistent with its investment when both are
    stated."""
    village = draw(st.sampled_from(villages))
    work = draw(st.sampled_from(WORKS))
    investment: Any = draw(amounts(1, 3000))
    record: dict[str, Any] = {
        "id": pid,
        "plan": plan["id"],
        "number": str(number),
        "category": draw(st.sampled_from([c["id"] for c in plan["categories"]])),
        "title": f"{village}{work}项目",
        "location": village,
        "places": [village],
        "investment": investment,
        "responsible_units": [draw(st.sampled_from(units))] if units else U,
        "period": f"{year}年完成建设任务",
        "deadline": dt.date(year, 12, 31),
        "status": "计划",
    }
    if units and draw(st.booleans()):
        record["owner_unit"] = draw(st.sampled_from(units))
    unstate(draw, model.Project, record, keep=("funding", "targets", "responsible_person"))
    investment = record["investment"]
    # Funding: one or two of the plan's sources; amounts split the investment when it is stated.
    sources = plan["funding"]
    if sources == U or draw(st.integers(0, 5)) == 0:
        record["funding"] = U
    else:
        chosen = draw(st.lists(st.sampled_from([s["id"] for s in sources]), min_size=1, max_size=2, unique=True))
        if _stated(investment):
            parts = _split(draw, investment, len(chosen))
        else:
            parts = [draw(amounts(1, 500)) for _ in chosen]
        funding = []
        for source, amount in zip(chosen, parts):
            entry: dict[str, Any] = {"source": source, "amount": amount}
            if draw(st.integers(0, 4)) == 0:
                entry["amount"] = U
            funding.append(entry)
        record["funding"] = funding
    # Targets, beneficiaries, the person, the dividend: present or not, each document field stated or not.
    if draw(st.booleans()):
        target: dict[str, Any] = {"indicator": f"{work}", "value": draw(st.integers(1, 500)), "unit": "个"}
        if draw(st.booleans()):
            target.update(group="产出", kind="数量", comparator="≥")
        unstate(draw, model.Target, target)
        record["targets"] = [target, {"indicator": "受益群众满意度", "planned": "明显提高"}]
    elif draw(st.integers(0, 3)) == 0:
        record["targets"] = U
    if draw(st.booleans()):
        beneficiaries: dict[str, Any] = {
            "asset_villages": [village],
            "households": {"value": draw(st.integers(1, 900)), "unit": "户"},
            "people": {"value": draw(st.integers(1, 3000)), "unit": "人", "comparator": "以上"},
            "description": "脱贫户和监测户优先",
        }
        for part in ("households", "people"):
            unstate(draw, model.Quantity, beneficiaries[part])
        unstate(draw, model.Beneficiaries, beneficiaries)
        record["beneficiaries"] = beneficiaries
    if draw(st.booleans()):
        person: dict[str, Any] = {"name": "王某某", "post": "县农业农村局局长", "phone": "0800-1234567"}
        unstate(draw, model.Person, person)
        record["responsible_person"] = person if draw(st.integers(0, 4)) else U
    if draw(st.booleans()):
        record["benefit_mechanism"] = draw(st.sampled_from(("运营后每年按投资保底分红", "带动群众务工增收")))
        record["operation"] = "委托村集体经济组织运营"
        unstate(
            draw, model.Project, record, keep=tuple(n for n in record if n not in ("benefit_mechanism", "operation"))
        )
    if draw(st.integers(0, 3)) == 0:
        rate = Decimal(draw(st.integers(1, 10)))
        dividend: dict[str, Any] = {"rate_percent": rate, "annual": U, "condition": "运营后每年"}
        if _stated(investment):
            annual = investment * rate / 100
            if annual.as_tuple().exponent >= -6:
                dividend["annual"] = _tidy(annual.normalize())
        if draw(st.integers(0, 2)) == 0:
            dividend["rate_percent"] = U
            if draw(st.booleans()):
                dividend["annual"] = draw(amounts(1, 50))
        if dividend["annual"] != U and dividend["rate_percent"] != U and not _stated(investment):
            dividend["annual"] = U
        record["dividend"] = dividend
    _lifecycle(draw, record, year, villages)
    record["body"] = draw(st.sampled_from(SENTENCES))
    if draw(st.integers(0, 4)) == 0:
        record["title_ii"] = draw(st.sampled_from(YI))
        record["translation"] = {"translator": "测试译者（虚构）", "reviewer": "测试审校（虚构）"}
    return record


def _lifecycle(draw: st.DrawFn, record: dict[str, Any], year: int, villages: list[str]) -> None:
    """Optional notices, progress, changes, completion and review, consistent with the record."""
    investment = record["investment"]
    if draw(st.booleans()):
        record["notices"] = [
            {"stage": "library", "start": dt.date(year, 1, 6), "end": dt.date(year, 1, 15), "where": "村务公开栏"},
            {"stage": "plan", "start": dt.date(year, 3, 6), "end": dt.date(year, 3, 15)},
        ][: draw(st.integers(1, 2))]
    if draw(st.booleans()):
        entry: dict[str, Any] = {"date": dt.date(year, 6, 30), "stage": "开工", "percent": 40, "note": "主体工程已开工"}
        if _stated(investment) and draw(st.booleans()):
            entry["disbursed"] = _tidy((investment / 2).quantize(MICRO).normalize())
        record["progress"] = [entry]
        record["status"] = "实施中"
    if _stated(investment) and draw(st.integers(0, 3)) == 0:
        before = investment + draw(st.integers(1, 50))
        record["changes"] = [
            {
                "date": dt.date(year, 7, 1),
                "approval": "测府函〔2025〕9号",
                "reason": "部分建设内容由其他项目实施",
                "field": "investment",
                "before": before,
                "after": investment,
            }
        ]
        dividend = record.get("dividend")
        if dividend and U not in (dividend["annual"], dividend["rate_percent"]):
            # A dividend follows an investment change only by its own approved change (issue 25).
            first = (before * Decimal(dividend["rate_percent"]) / 100).quantize(MICRO).normalize()
            record["changes"].append(
                {
                    **record["changes"][0],
                    "field": "dividend.annual",
                    "before": _tidy(first),
                    "after": dividend["annual"],
                }
            )
    if draw(st.integers(0, 3)) == 0:
        completion: dict[str, Any] = {
            "completed": dt.date(year, 11, 30),
            "accepted": dt.date(year, 12, 15),
            "accepted_by": "县农业农村局",
            "note": "验收合格",
        }
        if _stated(investment) and investment > 2 and draw(st.booleans()):
            fee = Decimal(1)
            settled = _tidy((investment * Decimal("0.9")).quantize(MICRO).normalize())
            completion.update(
                settled=settled, management_fee=fee, surplus=_tidy((investment - settled - fee).normalize())
            )
            if completion["surplus"] <= 0:
                del completion["surplus"]
        record["completion"] = completion
        record["status"] = draw(st.sampled_from(model.DONE))
        if draw(st.booleans()):
            record["review"] = {"year": year, "summary": "项目建成投入使用，群众满意", "reason": "无偏差"}


def _disclose(check: str) -> dict[str, Any]:
    return {"check": check, "kind": "untranscribed", "note": "原文件中的项目尚未全部录入，按原文公示"}


@st.composite
def plan_figures(draw: st.DrawFn, plan: dict[str, Any], members: list[dict[str, Any]]) -> None:
    """Fill the plan's category amounts and counts, source amounts and total: each stated and consistent with
    the records as the audit reads them, or 原文件未列明, or stated with a disclosure where the records cannot
    agree (no records transcribed)."""
    expected_total: Decimal | None = Decimal(0)
    plan_disclosures: list[dict[str, Any]] = []
    for category in plan["categories"]:
        inside = [m for m in members if m["category"] == category["id"]]
        summed = _sum([m["investment"] for m in inside])
        disclosed = False
        choice = draw(st.integers(0, 3))
        if choice == 0:
            category["amount"] = U
        elif summed is not None and summed > 0:
            category["amount"] = summed
        elif summed is None:
            category["amount"] = draw(amounts(1, 5000))  # the check is not made: a part is not stated
        else:  # no records in this category: the document's figure, disclosed as not yet transcribed
            category["amount"] = draw(amounts(1, 5000))
            category["discrepancies"] = [_disclose("category_amount")]
            disclosed = True
        category["count"] = U if draw(st.integers(0, 3)) == 0 else len(inside)
        part = category["amount"] if disclosed else summed
        expected_total = expected_total + part if expected_total is not None and _stated(part) else None
    sources_agree = True
    if plan["funding"] != U:
        funding_unstated = any(m["funding"] == U for m in members)
        for source in plan["funding"]:
            uses = [
                f["amount"] for m in members if m["funding"] != U for f in m["funding"] if f["source"] == source["id"]
            ]
            used = _sum(uses)
            lack = used is None or funding_unstated
            if draw(st.integers(0, 3)) == 0:
                source["amount"] = U
                lack = True
            elif not lack and used > 0:
                source["amount"] = used
            elif lack:
                source["amount"] = draw(amounts(1, 5000))
            else:
                source["amount"] = draw(amounts(1, 5000))
                plan_disclosures.append(_disclose("source_total"))
            sources_agree = sources_agree and not lack and used == source["amount"]
    choice = draw(st.integers(0, 3))
    if choice == 0:
        plan["total"] = U
    elif expected_total is not None and expected_total > 0:
        plan["total"] = expected_total
    else:
        plan["total"] = draw(amounts(1, 9000))
        if expected_total is not None:  # 0: nothing transcribed, the document's total disclosed
            plan_disclosures.append(_disclose("plan_total"))
    sources_total = None if plan["funding"] == U else _sum([s["amount"] for s in plan["funding"]])
    if (
        _stated(plan["total"])
        and sources_total is not None
        and not (sources_total == plan["total"] or not sources_agree or expected_total != plan["total"])
    ):
        plan_disclosures.append(_disclose("plan_funding"))
    seen = {d["check"] for d in plan_disclosures}
    if plan_disclosures:
        plan["discrepancies"] = [_disclose(c) for c in sorted(seen)]


@st.composite
def counties(draw: st.DrawFn) -> tuple[dict[str, Any], Spec]:
    """A whole county: site, places, units, one to three plans and their projects; with the Spec of it."""
    county_name = "测绘县"
    code = "990300000000"
    spec = Spec(county_name)
    contacts = [{"name": "监督举报电话", "phone": "12317", "note": "工作日受理"}]
    if draw(st.booleans()):
        contacts = [{"name": "监督举报电话"}]  # no number published yet
    county: dict[str, Any] = {"name": county_name, "code": code, "province": "示例省", "city": "示例市"}
    unstate(draw, model.County, county)
    site = {
        "title": f"{county_name}项目公示",
        "description": f"{county_name}财政资金项目的计划、资金和受益村。",
        "county": county,
        "office": f"{county_name}人民政府办公室",
        "contacts": contacts,
        "repo_url": None,
        "repo_branch": "main",
    }
    gazetteer = draw(places(county_name, code))
    unit_names = draw(st.lists(st.sampled_from(UNITS), min_size=0, max_size=4, unique=True))
    units = {
        "units": [{"id": f"gq-unit-{i}", "name": n, "full_name": full} for i, (n, full) in enumerate(unit_names, 1)]
    }
    out: dict[str, Any] = {
        "content/site.yml": site,
        "content/places.yml": gazetteer,
        "content/units.yml": units,
    }
    spec.ids.update(u["id"] for u in units["units"])
    spec.ids.update(t.get("id") for t in gazetteer["townships"] if t.get("id"))
    spec.ids.update(v.get("id") for t in gazetteer["townships"] for v in t["villages"] if v.get("id"))
    villages = _village_refs(gazetteer)
    names = [u["name"] for u in units["units"]]
    project_no = 0
    for k in range(1, draw(st.integers(1, 3)) + 1):
        year = draw(st.integers(2023, 2026))
        programme = draw(st.sampled_from(PROGRAMMES))
        pid = f"gq-plan-{k}"
        categories = [
            {"id": f"gq-cat-{k}-{i}", "name": name, "description": f"支持{name}项目。"}
            for i, name in enumerate(
                draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=4, unique=True)), 1
            )
        ]
        for category in categories:
            unstate(draw, model.Category, category, keep=("amount", "count"))
        funding = [
            {
                "id": f"gq-src-{k}-{i}",
                "name": f"{year}年{(programme or {}).get('name', '财政资金')}{'' if i == 1 else '（第二批）'}",
            }
            for i in range(1, draw(st.integers(1, 2)) + 1)
        ]
        plan: dict[str, Any] = {
            "id": pid,
            "title": f"{county_name}{year}年{(programme or {}).get('short', '财政')}项目实施方案",
            "document": f"关于印发《{county_name}{year}年项目实施方案》的通知",
            "document_number": f"测府办〔{year}〕{k}号",
            "issuer": f"{county_name}人民政府办公室",
            "date": dt.date(year, 2, 25),
            "year": year,
            "funding": funding,
            "categories": categories,
            "summary": f"{year}年度项目按照“精准扶持、注重实效”的原则安排。",
        }
        if programme is not None:
            plan["programme"] = dict(programme)
            if programme.get("partner") and draw(st.booleans()):
                plan["programme"]["partner"] = U
        unstate(draw, model.Plan, plan, keep=("total",))
        for source in plan["funding"] if plan["funding"] != U else ():
            unstate(draw, model.FundSource, source, keep=("amount",))
        members = []
        numbers = draw(st.permutations(range(1, 9)))
        for n in range(draw(st.integers(0, 4))):
            project_no += 1
            members.append(
                draw(
                    project(
                        pid=f"gq-proj-{project_no}",
                        plan=plan,
                        number=numbers[n],
                        villages=villages,
                        units=names,
                        year=year,
                    )
                )
            )
        draw(plan_figures(plan, members))
        out[f"content/plans/{pid}.yml"] = plan
        for m in members:
            out[f"content/projects/{m['id']}.md"] = m
        spec.plans[pid] = {"investments": [m["investment"] for m in members], "year": year}
        spec.ids.add(pid)
        spec.ids.update(c["id"] for c in categories)
        spec.ids.update(s["id"] for s in funding)
    return out, spec


def as_yaml(county: dict[str, Any]) -> str:
    """The county as one YAML document (for hypothesis.note and the findings file)."""
    return yaml.safe_dump(county, allow_unicode=True, sort_keys=False, width=10**6)
