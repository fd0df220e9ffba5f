"""Content rules: what holds for any county's valid content and the site built from it, whatever its figures.

A clerk's valid edit (a new project with the plan's lines updated, a progress report, a corrected title) keeps
every rule true; a record that goes missing from a page, a list or a download, a total that no longer adds up,
or anything on the site that no record says, breaks one. Each rule takes what the content files say (read
independently of gongshi, tests/records.py) and the built site, and returns what it found wrong."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from helpers import main_text
from openpyxl import load_workbook
from records import Records, amount, yuan

ZERO = Decimal(0)


def _disclosed(record: dict) -> set[str]:
    return {d["check"] for d in record.get("discrepancies", [])}


def _article(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    match = re.search(r"<article[^>]*>(.*)</article>", html, re.S)
    return match.group(1) if match else html


def _url(site: Path, page: Path) -> str:
    rel = page.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def linked_projects(site: Path, page: Path) -> set[str]:
    """Ids of the project pages the page's article links to."""
    here = _url(site, page)
    out = set()
    for href in re.findall(r'href="([^"#:]+)"', _article(page)):
        target = posixpath.normpath(posixpath.join(here, href))
        match = re.fullmatch(r"projects/([a-z0-9-]+)", target)
        if match:
            out.add(match.group(1))
    return out


def _place_name(records: Records, code: str) -> str:
    entry = records.official[code]
    return entry.get("township", "") + entry["name"]


# --- the rules ----------------------------------------------------------------------------------


def totals_reconcile(records: Records, site: Path) -> list[str]:
    """Project sums = category amounts = plan total, fund sources add up, dividends = rate × investment,
    counts match — unless the content discloses the difference (a public `discrepancies` note)."""
    problems = []
    for plan in records.plans:
        pid = plan["id"]
        mine = records.of_plan(plan)
        sources = {s["id"]: s for s in plan["funding"]}
        categories = {c["id"]: c for c in plan["categories"]}
        numbers = Counter(str(p["number"]) for p in mine)
        for p in mine:
            where = f"{records.files[p['id']].name}"
            funded = sum((f["amount"] for f in p["funding"]), ZERO)
            if funded != p["investment"] and "funding" not in _disclosed(p):
                problems.append(f"{where}: funding {funded} ≠ investment {p['investment']}")
            if p.get("dividend"):
                expected = p["investment"] * p["dividend"]["rate_percent"] / 100
                if expected != p["dividend"]["annual"] and "dividend" not in _disclosed(p):
                    problems.append(f"{where}: dividend {p['dividend']['annual']} ≠ {expected}")
            if numbers[str(p["number"])] > 1 and "number" not in _disclosed(p):
                problems.append(f"{where}: number {p['number']} used twice in plan {pid}")
            if p["category"] not in categories:
                problems.append(f"{where}: category {p['category']} not in plan {pid}")
            problems += [f"{where}: fund source {f['source']}?" for f in p["funding"] if f["source"] not in sources]
        for category in plan["categories"]:
            inside = records.in_category(plan, category)
            total = sum((p["investment"] for p in inside), ZERO)
            if total != category["amount"] and "category_amount" not in _disclosed(category):
                problems.append(f"plan {pid} {category['name']}: projects {total} ≠ {category['amount']}")
            if len(inside) != category["count"] and "category_count" not in _disclosed(category):
                problems.append(f"plan {pid} {category['name']}: {len(inside)} projects ≠ {category['count']}")
        declared = sum((c["amount"] for c in plan["categories"]), ZERO)
        if declared != plan["total"] and "plan_total" not in _disclosed(plan):
            problems.append(f"plan {pid}: categories {declared} ≠ total {plan['total']}")
        funded = sum((s["amount"] for s in plan["funding"]), ZERO)
        if funded != plan["total"] and "plan_funding" not in _disclosed(plan):
            problems.append(f"plan {pid}: fund sources {funded} ≠ total {plan['total']}")
        for source in plan["funding"]:
            used = sum((f["amount"] for p in mine for f in p["funding"] if f["source"] == source["id"]), ZERO)
            if used != source["amount"] and "source_total" not in _disclosed(plan):
                problems.append(f"plan {pid} {source['name']}: projects use {used} ≠ {source['amount']}")
    return problems


def disclosures_are_shown(records: Records, site: Path) -> list[str]:
    """Every disclosed discrepancy is published on the page it concerns."""
    problems = []
    for plan in records.plans:
        home = main_text(site / "plans" / str(plan["id"]) / "index.html")
        problems += [f"plan {plan['id']}: {d['note']}" for d in plan.get("discrepancies", []) if d["note"] not in home]
        for category in plan["categories"]:
            text = main_text(site / "plans" / str(plan["id"]) / category["id"] / "index.html")
            problems += [
                f"{category['name']}: {d['note']}" for d in category.get("discrepancies", []) if d["note"] not in text
            ]
    for p in records.projects:
        text = main_text(site / "projects" / p["id"] / "index.html")
        problems += [f"{p['id']}: {d['note']}" for d in p.get("discrepancies", []) if d["note"] not in text]
    return problems


def every_record_on_its_page(records: Records, site: Path) -> list[str]:
    """Each record's page and printable notice state its 公示 facts as the record does."""
    problems = []
    for p in records.projects:
        page = site / "projects" / p["id"] / "index.html"
        if not page.is_file():
            problems.append(f"{p['id']}: no page")
            continue
        text = main_text(page)
        plan = records.plan(str(p["plan"]))
        sources = {s["id"]: s["name"] for s in plan["funding"]}
        wanted = [
            p["title"],
            f"规划投资 {amount(p['investment'])} 万元",
            yuan(p["investment"]),
            p["location"],
            records.category_of(p)["name"],
            *[f"来源：{sources.get(f['source'], f['source'])}，金额：{amount(f['amount'])} 万元" for f in p["funding"]],
            *[records.unit(u)["name"] for u in p["responsible_units"]],
            f"业主单位 {records.unit(p['owner_unit'])['name']}" if p.get("owner_unit") else "业主单位 原文件未列明",
            *[_place_name(records, records.place_code(ref)) for ref in records.place_refs(p)],
            *[t["indicator"] for t in p.get("targets", [])],
            *[f"{e['date'].year}年{e['date'].month}月{e['date'].day}日 · {e['stage']}" for e in p.get("progress", [])],
        ]
        if p.get("dividend"):
            wanted.append(f"{amount(p['dividend']['annual'])} 万元")
        problems += [f"{p['id']}: page lacks {w!r}" for w in wanted if w not in text]
        notice = site / "notices" / "projects" / p["id"] / "index.html"
        if not notice.is_file() or p["title"] not in main_text(notice):
            problems.append(f"{p['id']}: no printable notice")
    return problems


def every_record_in_its_lists(records: Records, site: Path) -> list[str]:
    """Each record is listed wherever it belongs, and each list holds exactly its records."""
    problems = []

    def exactly(page: Path, expected: set[str], what: str) -> None:
        if not page.is_file():
            problems.append(f"{what}: no page")
            return
        found = linked_projects(site, page)
        if found != expected:
            problems.append(f"{what}: lists {sorted(found - expected)} too many, {sorted(expected - found)} missing")

    every = {p["id"] for p in records.projects}
    exactly(site / "projects" / "index.html", every, "all projects")
    for plan in records.plans:
        exactly(site / "plans" / str(plan["id"]) / "index.html", {p["id"] for p in records.of_plan(plan)}, "plan")
        for category in plan["categories"]:
            mine = {p["id"] for p in records.in_category(plan, category)}
            exactly(site / "plans" / str(plan["id"]) / category["id"] / "index.html", mine, category["name"])
    for unit in records.units:
        mine = {p["id"] for p in records.projects if unit["id"] in records.unit_ids(p)}
        if mine:
            exactly(site / "units" / unit["id"] / "index.html", mine, unit["name"])
    for code, mine in records.named_places().items():
        page = site / "places" / code / "index.html"
        table = (
            re.search(r'<table class="gs-table gs-stack">(.*?)</table>', _article(page), re.S)
            if page.is_file()
            else None
        )
        found = set(re.findall(r'href="[./]*projects/([a-z0-9-]+)/"', table.group(1))) if table else set()
        if found != mine:
            problems.append(f"place {code}: lists {sorted(found)}, records say {sorted(mine)}")
        notice = site / "notices" / "places" / code / "index.html"
        if code not in records.townships.values():
            titles = set(re.findall(r"<h2>\d+\. (.*?)</h2>", notice.read_text("utf-8"))) if notice.is_file() else set()
            if titles != {records.project(pid)["title"] for pid in mine}:
                problems.append(f"village notice {code}: {sorted(titles)}")
    for page in ("progress/index.html", "funds/index.html"):
        text = main_text(site / page)
        problems += [f"{page}: lacks {p['title']}" for p in records.projects if p["title"] not in text]
    return problems


def _csv(site: Path, name: str) -> list[dict[str, str]]:
    raw = (site / "data" / f"{name}.csv").read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def every_record_in_every_download(records: Records, site: Path) -> list[str]:
    """CSV, Excel, JSON (all and per project): every record once, with its exact amounts and title."""
    problems = []
    ids = [p["id"] for p in records.projects]
    by_id = {p["id"]: p for p in records.projects}
    tables = {
        "projects.csv": _csv(site, "projects"),
        "projects.json": json.loads((site / "data" / "projects.json").read_text("utf-8")),
    }
    book = load_workbook(site / "data" / "gongshi.xlsx", read_only=True)
    rows = list(book["projects"].iter_rows(values_only=True))
    tables["gongshi.xlsx"] = [dict(zip(rows[1], row)) for row in rows[2:]]  # row 1: Chinese titles
    for name, table in tables.items():
        found = [str(r["id"]) for r in table]
        if sorted(found) != sorted(ids):
            problems.append(f"{name}: ids {sorted(set(found) ^ set(ids))} differ, {len(found)} rows")
            continue
        for row in table:
            p = by_id[str(row["id"])]
            written = row.get("investment_wan", row.get("investment"))
            if Decimal(str(written)) != p["investment"] or row["title"] != p["title"]:
                problems.append(f"{name}: {p['id']} says {written} {row['title']}")
    everything = {r["id"]: r for r in tables["projects.json"]}
    for pid in ids:
        own = site / "projects" / f"{pid}.json"
        if not own.is_file() or json.loads(own.read_text("utf-8")) != everything.get(pid):
            problems.append(f"projects/{pid}.json differs from data/projects.json")
    funding = [(r["project_id"], r["source_id"], Decimal(r["amount_wan"])) for r in _csv(site, "funding")]
    if funding != [(p["id"], f["source"], f["amount"]) for p in records.projects for f in p["funding"]]:
        problems.append("funding.csv differs from the records")
    targets = [(r["project_id"], r["indicator"]) for r in _csv(site, "targets")]
    if targets != [(p["id"], t["indicator"]) for p in records.projects for t in p.get("targets", [])]:
        problems.append("targets.csv differs from the records")
    places = {(r["project_id"], r["place_code"]) for r in _csv(site, "places")}
    if places != {(pid, code) for code, pids in records.named_places().items() for pid in pids}:
        problems.append("places.csv differs from the records")
    progress = [(r["project_id"], r["date"], r["stage"]) for r in _csv(site, "progress")]
    expected = [(p["id"], e["date"].isoformat(), e["stage"]) for p in records.projects for e in p.get("progress", [])]
    if progress != expected:
        problems.append("progress.csv differs from the records")
    return problems


def totals_on_the_pages(records: Records, site: Path) -> list[str]:
    """The home page, the project list and each category page state the totals the records add up to."""
    problems = []
    plan = sorted(records.plans, key=lambda p: (-p["year"], str(p["id"])))[0]  # the plan the home page shows
    home = main_text(site / "index.html")
    mine = records.of_plan(plan)
    wanted = [
        f"{amount(plan['total'])} 万元",
        yuan(plan["total"]),
        f"{len(plan['categories'])} 类 {len(mine)} 个项目",
        *[f"{s['name']} {amount(s['amount'])}" for s in plan["funding"]],
    ]
    problems += [f"home page lacks {w!r}" for w in wanted if w not in home]
    everything = sum((p["investment"] for p in records.projects), ZERO)
    listed = f"合计（{len(records.projects)} 个项目，本站计算） {amount(everything)} 万元"
    if listed not in main_text(site / "projects" / "index.html"):
        problems.append(f"project list lacks {listed!r}")
    for p in records.plans:
        for category in p["categories"]:
            inside = records.in_category(p, category)
            line = f"合计（{len(inside)} 个项目，本站计算） {amount(sum((x['investment'] for x in inside), ZERO))} 万元"
            if line not in main_text(site / "plans" / str(p["id"]) / category["id"] / "index.html"):
                problems.append(f"{category['name']} lacks {line!r}")
    return problems


def nothing_invented(records: Records, site: Path) -> list[str]:
    """The site has a page for each record, named place and unit in use, and none for anything else."""

    def pages(folder: str, pattern: str = r"[a-z0-9-]+") -> set[str]:
        root = site / folder
        return {d.name for d in root.iterdir() if re.fullmatch(pattern, d.name) and (d / "index.html").is_file()}

    problems = []
    ids = {p["id"] for p in records.projects}
    named = records.named_places()
    villages = {c for c in named if c not in records.townships.values()}
    townships = {records.townships[records.official[c].get("township", records.official[c]["name"])] for c in named}
    used = {u for p in records.projects for u in records.unit_ids(p)}
    expected = {
        "projects": (pages("projects") - {"index"}, ids),
        "notices/projects": (pages("notices/projects"), ids),
        "places": (pages("places", r"\d{12}"), villages | townships),
        "notices/places": (pages("notices/places", r"\d{12}"), villages),
        "units": (pages("units"), used),
    }
    for folder, (found, wanted) in expected.items():
        if found != wanted:
            problems.append(f"{folder}: {sorted(found - wanted)} invented, {sorted(wanted - found)} missing")
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for title in re.findall(r'href="[./]*projects/([a-z0-9-]+)/"', text):
            if title not in ids:
                problems.append(f"{path.relative_to(site)} links to projects/{title}/, which no record has")
    return sorted(set(problems))


RULES = (
    totals_reconcile,
    disclosures_are_shown,
    every_record_on_its_page,
    every_record_in_its_lists,
    every_record_in_every_download,
    totals_on_the_pages,
    nothing_invented,
)


def all_problems(records: Records, site: Path) -> dict[str, list[str]]:
    """Every rule's findings, by rule name (empty when the content and its site are sound)."""
    found = {rule.__name__: rule(records, site) for rule in RULES}
    return {name: problems for name, problems in found.items() if problems}
