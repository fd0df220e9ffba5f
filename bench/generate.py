"""Generate a synthetic gongshi project of N projects that passes `gongshi check`.

Titles, descriptions, villages and units are built from Chinese word lists; the plans' and
categories' declared amounts and counts are computed from the generated projects, so every total
reconciles. The same seed gives byte-identical content.

    python bench/generate.py --projects 1000 --out /tmp/gs-1000
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("mkdocs.yml", "docs", "templates")  # what a build reads besides content/

# Characters seen in Sichuan place names; two of them make a village or township name.
PLACE_CHARS = (
    "新华长梯高山凡等仲垭先锋胜利茶光明清溪平金岩红旗杨河五渡黑竹沟白杨万坪"
    "大堡官料觉莫勒乌宜坪核桃坝桂花沙湾龙池双峰青杠石梁马鞍柏香松林永兴团结"
    "和平太阳坪安富民兴隆桥头顺河六丰星雪郭彝家云海回龙"
)
UNITS = (
    ("forestry", "县林业局", "林业局"),
    ("development-reform", "县发改局", "发展和改革局"),
    ("agriculture", "县农业农村局", "农业农村局"),
    ("human-resources", "县人社局", "人力资源和社会保障局"),
    ("education", "县教育局", "教育局"),
    ("culture-tourism", "县文广体旅局", "文化广播电视体育和旅游局"),
    ("organization-dept", "县委组织部", "委员会组织部"),
    ("party-school", "县委党校", "委员会党校"),
    ("disabled-federation", "县残联", "残疾人联合会"),
    ("health", "县卫健局", "卫生健康局"),
    ("water", "县水务局", "水务局"),
    ("transport", "县交通运输局", "交通运输局"),
    ("commerce", "县经信商务局", "经济信息化和商务局"),
    ("civil-affairs", "县民政局", "民政局"),
    ("rural-revitalization", "县乡村振兴局", "乡村振兴局"),
    ("housing", "县住建局", "住房和城乡建设局"),
    ("women-federation", "县妇联", "妇女联合会"),
    ("natural-resources", "县自然资源局", "自然资源局"),
)
# id, name, title topics, facilities, target indicators (indicator, unit, low, high)
CATEGORIES = (
    (
        "industrial-cluster",
        "产业集群打造",
        ("林竹", "粮药", "竹笋", "茶叶", "魔芋", "中药材"),
        ("加工园区", "产业园区", "冷链仓储中心", "精深加工厂"),
        (("生产加工销售基地", "㎡", 2000, 30000),),
    ),
    (
        "specialty-industry",
        "特色产业提升",
        ("高山果蔬", "道地中药材", "食用菌", "马铃薯", "核桃", "生猪养殖"),
        ("种植基地", "示范园", "育苗中心", "养殖小区"),
        (("种植面积", "亩", 100, 5000), ("带动农户", "户", 20, 800)),
    ),
    (
        "labor-cooperation",
        "劳务协作提升",
        ("劳务协作", "稳岗就业", "技能提升", "峨边绣娘", "蓝鹰工程"),
        ("培训", "补助", "服务站", "帮扶车间"),
        (("培训人次", "人次", 50, 3000), ("转移就业", "人", 20, 1500)),
    ),
    (
        "consumption-cooperation",
        "消费协作提升",
        ("农特产品", "消费帮扶", "电商直播", "展销"),
        ("推介活动", "专馆", "营销中心"),
        (("销售农特产品", "万元", 100, 5000),),
    ),
    (
        "talent-exchange",
        "人才交流",
        ("干部人才", "专业技术人才", "乡村振兴带头人", "教师医生"),
        ("交流挂职", "培训", "培养计划"),
        (("培训干部人才", "人次", 30, 600),),
    ),
    (
        "livelihood",
        "民生改善",
        ("九年一贯制学校", "村卫生室", "饮水安全", "通村道路", "残疾人之家", "儿童康复中心"),
        ("建设", "提升改造", "标准化建设", "配套设施"),
        (("受益群众", "人", 200, 20000), ("新建面积", "㎡", 300, 12000)),
    ),
    (
        "rural-construction",
        "乡村建设",
        ("人居环境", "村级活动阵地", "产业路", "小型水利"),
        ("整治", "新建", "改扩建"),
        (("硬化道路", "公里", 1, 40), ("整治农户", "户", 30, 900)),
    ),
)
SENTENCES = (
    "在{place}建设{topic}{facility}，配套建设道路、供水、供电等设施设备，并完善相关配套设施。",
    "依托东西部协作资金，支持{topic}产业发展，建设{facility}，带动周边群众就近务工增收。",
    "项目建成后由村集体经济组织统一经营管理，收益用于村内公益事业和脱贫户、监测户分红。",
    "开展{topic}{facility}，重点面向脱贫劳动力、边缘易致贫户劳动力，做好供需对接和跟踪服务。",
    "采购{topic}相关设施设备，提升标准化、规模化水平，打造可复制、可推广的示范样板。",
    "统筹{place}周边资源，完善{facility}功能布局，建立健全长效管护机制，确保项目持续发挥效益。",
    "按照“政府引导、企业主体、群众参与”的原则，推动{topic}与乡村旅游、电商销售深度融合。",
)
MECHANISMS = (
    "通过就业务工、土地流转、入股分红带动农户增收。",
    "优先吸纳脱贫劳动力就业，提供公益性岗位。",
    "委托国有企业运营，壮大村集体经济，为群众提供就业岗位。",
    "开展技能培训，促进稳岗就业。",
)
STAGES = ("立项", "招标", "开工", "完工", "验收", "运营")
STATUS_OF = {"立项": "计划", "招标": "计划", "开工": "实施中", "完工": "已完工", "验收": "已验收", "运营": "运营中"}


@dataclass
class Township:
    code: str
    name: str
    villages: list[tuple[str, str]] = field(default_factory=list)  # (code, name)


def _names(rng: random.Random, count: int, suffix: str, taken: set[str]) -> list[str]:
    out = []
    while len(out) < count:
        name = "".join(rng.sample(PLACE_CHARS, 2)) + suffix
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out


def gazetteer(rng: random.Random, n_projects: int) -> list[Township]:
    """About one township per 100 projects (at least 12, at most 400), 8–20 villages each."""
    count = max(12, min(400, n_projects // 100 + 12))
    townships = []
    taken: set[str] = set()
    for i, name in enumerate(_names(rng, count, "", taken)):
        kind = "镇" if i % 3 else "乡"
        code = f"511132{100 + i:03d}000"
        t = Township(code, name + kind)
        vnames = _names(rng, rng.randint(8, 20), "村", set())
        t.villages = [(f"{code[:9]}{200 + j:03d}", v) for j, v in enumerate(vnames)]
        townships.append(t)
    return townships


def _amount(rng: random.Random, low: int, high: int) -> Decimal:
    """An amount in 万元 with 0, 2 or 4 decimals, as plans publish them."""
    places = rng.choice((0, 0, 2, 4))
    scale = 10**places
    return Decimal(rng.randint(low * scale, high * scale)) / scale


def _dec(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def project_record(
    rng: random.Random,
    pid: str,
    plan_id: str,
    number: int,
    year: int,
    cat: tuple,
    townships: list[Township],
    sources: dict[str, Decimal],
) -> tuple[str, Decimal]:
    """One record file's text and its investment; adds its funding to `sources`."""
    cid, _, topics, facilities, indicators = cat
    township = rng.choice(townships)
    villages = rng.sample(township.villages, min(len(township.villages), rng.randint(1, 12)))
    topic, facility = rng.choice(topics), rng.choice(facilities)
    site = f"{township.name}{villages[0][1]}"
    title = f"{site}{topic}{facility}项目" if rng.random() < 0.6 else f"{township.name}{topic}{facility}项目"
    investment = _amount(rng, 20, 1500)
    lines = [
        "---",
        f"id: {pid}",
        f'plan: "{plan_id}"',
        f'number: "{number}"',
        f"category: {cid}",
        f"title: {title}",
        f"investment: {_dec(investment)}",
        "funding:",
    ]
    if rng.random() < 0.2 and investment > 10:
        carry = (investment * Decimal(rng.randint(5, 30)) / 100).quantize(Decimal("0.0001"))
        parts = [("east-west", investment - carry), ("carryover", carry)]
    else:
        parts = [("east-west", investment)]
    for source, amount in parts:
        sources[source] += amount
        lines += [f"  - source: {source}", f"    amount: {_dec(amount)}"]
    unit_ids = rng.sample([u[0] for u in UNITS], rng.choice((1, 1, 2)))
    lines += [
        f"location: {site}"
        if len(villages) == 1
        else f"location: {township.name}{villages[0][1]}等{len(villages)}个村",
        f"places: [{', '.join(township.name + v for _, v in villages[:3])}]",
        f"responsible_units: [{', '.join({u[0]: u[1] for u in UNITS}[u] for u in unit_ids)}]",
        f"owner_unit: {rng.choice(UNITS)[1]}",
        "beneficiaries:",
        "  asset_villages:",
    ]
    lines += [f"    - {township.name}{v}" for _, v in villages]
    lines += [
        f"  households: {{value: {rng.randint(10, 900)}, unit: 户, comparator: 以上}}",
        f"benefit_mechanism: {rng.choice(MECHANISMS)}",
    ]
    if cid in ("industrial-cluster", "specialty-industry") and rng.random() < 0.5:
        lines += [
            "dividend:",
            "  rate_percent: 3",
            f"  annual: {_dec(investment * 3 / 100)}",
            "  condition: 运营后每年",
        ]
    lines.append("targets:")
    for indicator, unit, low, high in rng.sample(indicators, len(indicators)):
        lines += [
            f"  - indicator: {indicator}",
            f"    value: {rng.randint(low, high)}",
            f"    unit: {unit}",
            "    comparator: 以上",
        ]
    lines += [f"period: {year}年完成建设任务", f"deadline: {year}-12-31"]
    reached = rng.randint(0, 4)
    disbursed = Decimal(0)
    progress = []
    for k in range(reached):
        disbursed = min(
            investment, disbursed + (investment * Decimal(rng.randint(10, 40)) / 100).quantize(Decimal("0.01"))
        )
        progress += [
            f"  - date: {year}-{3 + 2 * k:02d}-{rng.randint(1, 28):02d}",
            f"    stage: {STAGES[k + 1]}",
            f"    disbursed: {_dec(disbursed)}",
            f"    percent: {min(100, 25 * (k + 1))}",
            f"    note: {rng.choice(('按计划推进', '已完成招标', '主体工程完工', '资金已拨付'))}",
        ]
    lines.append(f"status: {STATUS_OF[STAGES[reached]] if reached else '计划'}")
    if progress:
        lines += ["progress:", *progress]
    lines.append("---")
    body = [rng.choice(SENTENCES).format(place=site, topic=topic, facility=facility) for _ in range(rng.randint(2, 4))]
    return "\n".join(lines) + "\n" + "".join(body) + "\n", investment


def generate(dest: Path, n_projects: int, seed: int = 2025) -> Path:
    """Write mkdocs.yml, docs/, templates/ (copied) and a synthetic content/ of n_projects into dest."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for part in COPIED:
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, dest / part)
    content = dest / "content"
    (content / "plans").mkdir(parents=True)
    (content / "projects").mkdir()
    (content / "site.yml").write_text(SITE_YML, encoding="utf-8")
    units = ["units:"] + [
        f"  - id: {uid}\n    name: {name}\n    full_name: 峨边彝族自治县{full}" for uid, name, full in UNITS
    ]
    (content / "units.yml").write_text("\n".join(units) + "\n", encoding="utf-8")
    townships = gazetteer(rng, n_projects)
    places = ["county: 峨边彝族自治县", 'county_code: "511132000000"', "source: 基准测试生成的虚构名单", "townships:"]
    for t in townships:
        places += [f'  - code: "{t.code}"', f"    name: {t.name}", f"    kind: {t.name[-1]}", "    villages:"]
        places += [
            f'      - {{code: "{code}", name: {name}, official_name: {name}村民委员会, kind: 村民委员会}}'
            for code, name in t.villages
        ]
    (content / "places.yml").write_text("\n".join(places) + "\n", encoding="utf-8")
    n_plans = max(2, min(12, n_projects // 1000 + 2))
    for p in range(n_plans):
        share = range(p, n_projects, n_plans)
        _write_plan(rng, content, f"{2025 - p}", 2025 - p, [f"p{i + 1:05d}" for i in share], townships)
    return dest


def _write_plan(
    rng: random.Random, content: Path, plan_id: str, year: int, ids: list[str], townships: list[Township]
) -> None:
    categories = rng.sample(CATEGORIES, 6)
    totals: dict[str, list] = {c[0]: [Decimal(0), 0] for c in categories}
    sources = {"east-west": Decimal(0), "carryover": Decimal(0)}
    for number, pid in enumerate(ids, start=1):
        cat = categories[number % len(categories)]
        text, investment = project_record(rng, pid, plan_id, number, year, cat, townships, sources)
        (content / "projects" / f"{pid}.md").write_text(text, encoding="utf-8")
        totals[cat[0]][0] += investment
        totals[cat[0]][1] += 1
    total = sum(sources.values(), Decimal(0))
    lines = [
        f'id: "{plan_id}"',
        f"title: 峨边彝族自治县{year}年东西部协作项目实施方案（基准测试）",
        "issuer: 峨边彝族自治县人民政府办公室",
        f"date: {year}-02-25",
        f"year: {year}",
        "programme: {name: 东西部协作资金, short: 东西部协作, partner: {name: 柯桥区, full_name: 浙江省绍兴市柯桥区}}",
        f"total: {_dec(total)}",
        "funding:",
        f"  - id: east-west\n    name: {year}年东西部协作资金\n    amount: {_dec(sources['east-west'])}",
        f"  - id: carryover\n    name: 往年结余资金\n    amount: {_dec(sources['carryover'])}",
        "categories:",
    ]
    for cid, name, *_ in categories:
        amount, count = totals[cid]
        lines += [
            f"  - id: {cid}",
            f"    name: {name}",
            f"    amount: {_dec(amount)}",
            f"    count: {count}",
            f"    description: 支持{name}，巩固拓展东西部协作成果。",
        ]
    (content / "plans" / f"{plan_id}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


SITE_YML = """\
title: 峨边彝族自治县东西部协作项目公示（基准测试）
description: 基准测试生成的虚构内容。
county: {name: 峨边彝族自治县, code: "511132000000", province: 四川省, city: 乐山市}
office: 峨边彝族自治县人民政府办公室
contacts:
  - name: 全国防止返贫监测和帮扶热线
    phone: "12317"
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    generate(args.out, args.projects, args.seed)
    print(f"{args.projects} projects → {args.out}")


if __name__ == "__main__":
    main()
