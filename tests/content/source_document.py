"""What Ebian's published plan document states (content/sources/ebian/2025-plan-document.txt), read from the
document's own text, and where a record contradicts it.

Only facts the document states are compared, and only for the projects it lists: each listed project must have a
record with its number and title, and that record must not contradict its amount, place, units, asset villages
or dividend. Records the document does not list (projects of later documents), progress reports, statuses and the
plan lines a clerk updates when adding a project (category amounts and counts, totals) are not the document's
facts, so no valid edit of them fails this check."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from records import Records

PROJECT = re.compile(r"^(\d+)\.(.+?)。规划投资([\d.]+)万元")
HEADING = re.compile(r"^（[\d一二三四五六七八九十]+）\s*\S+$")
SECTION = re.compile(r"^[一二三四五六七八九十]+、")


@dataclass
class Listed:
    """One project as the document lists it."""

    number: str
    title: str
    investment: Decimal
    category: str  # the category's name, from the document's summary sentence
    text: str
    location: str | None = None
    responsible: list[str] = field(default_factory=list)
    owner: str | None = None


@dataclass
class Document:
    issuer: str
    notice: str  # 关于印发《…》的通知
    title: str  # the plan's title, inside 《》
    date: dt.date
    categories: list[str]
    projects: list[Listed]


def read_document(path: Path) -> Document:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    notice = next(line for line in lines if line.startswith("关于印发《"))
    date = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", "\n".join(lines))
    # "其中：产业集群打造项目2个，规划资金1650万元；特色产业提升项目1个，…" names the categories in order.
    categories = re.findall(r"[：；]([^：；，。]+?)项目\d+个，规划资金", "\n".join(lines))
    projects: list[Listed] = []
    heading = -1
    in_tasks = False
    for line in lines:
        if SECTION.match(line):
            in_tasks = line.startswith("二、")
            continue
        if not in_tasks:
            continue
        if HEADING.match(line):
            heading += 1
            continue
        match = PROJECT.match(line)
        if match:
            number, title, amount = match.groups()
            projects.append(Listed(number, title, Decimal(amount), categories[heading], line))
            continue
        if projects:
            key, _, value = line.partition("：")
            if key == "实施地点":
                projects[-1].location = value
            elif key == "责任单位":
                projects[-1].responsible = value.split("、")
            elif key == "业主单位":
                projects[-1].owner = value
    return Document(
        issuer=lines[0],
        notice=notice,
        title=re.search(r"《(.+?)》", notice).group(1),
        date=dt.date(*map(int, date.groups())),
        categories=categories,
        projects=projects,
    )


def asset_villages(listed: Listed, records: Records) -> list[str]:
    """'确权至毛坪镇长梯村、高山村、…，杨河乡仲子村、…' as place codes; a village without its township's name
    belongs to the township named last."""
    match = re.search(r"确权至(.+?)。", listed.text)
    if not match:
        return []
    codes, township = [], ""
    for item in re.split(r"[、，]", match.group(1)):
        named = [t for t in records.townships if item.startswith(t)]
        if named:
            township = max(named, key=len)
            item = item[len(township) :]
        codes.append(records.villages[(township, item)])
    return codes


def dividend(listed: Listed) -> tuple[Decimal, Decimal] | None:
    match = re.search(r"按照投资([\d.]+)%保底分红([\d.]+)万元", listed.text)
    return (Decimal(match.group(1)), Decimal(match.group(2))) if match else None


def contradictions(records: Records, document: Path, plan_id: str = "2025") -> list[str]:
    """Where the records contradict what the document states."""
    doc = read_document(document)
    problems = []
    plan = records.plan(plan_id)
    stated = {"title": doc.title, "document": doc.notice, "issuer": doc.issuer, "date": doc.date, "year": doc.date.year}
    for key, value in stated.items():
        if plan.get(key) != value and not (key == "year" and int(plan[key]) == value):
            problems.append(f"plans/{plan_id}.yml {key}: {plan.get(key)!r}, the document says {value!r}")
    names = {c["name"]: c["id"] for c in plan["categories"]}
    problems += [f"plans/{plan_id}.yml: no category {name}" for name in doc.categories if name not in names]
    mine = records.of_plan(plan)
    used: set[str] = set()
    for listed in doc.projects:
        same = [p for p in mine if str(p["number"]) == listed.number and p["id"] not in used]
        record = next((p for p in same if p["title"] == listed.title), None)
        if record is None:
            titles = [p["title"] for p in same]
            problems.append(f"no record numbered {listed.number} titled {listed.title} (numbered so: {titles})")
            continue
        used.add(record["id"])
        where = records.files[record["id"]].name
        if record["investment"] != listed.investment:
            problems.append(f"{where}: investment {record['investment']}, the document says {listed.investment}")
        if record["category"] != names.get(listed.category):
            problems.append(f"{where}: category {record['category']}, the document lists it under {listed.category}")
        if listed.location is not None and record["location"] != listed.location:
            problems.append(f"{where}: location {record['location']}, the document says {listed.location}")
        units = [records.unit(u)["id"] for u in record["responsible_units"]]
        if units != [records.unit(u)["id"] for u in listed.responsible]:
            problems.append(
                f"{where}: responsible units {record['responsible_units']}, the document says {listed.responsible}"
            )
        owner = record.get("owner_unit")
        if (records.unit(owner)["id"] if owner else None) != (
            records.unit(listed.owner)["id"] if listed.owner else None
        ):
            problems.append(f"{where}: owner unit {owner}, the document says {listed.owner}")
        written = [records.place_code(r) for r in (record.get("beneficiaries") or {}).get("asset_villages", [])]
        if written != asset_villages(listed, records):
            problems.append(f"{where}: asset villages differ from the document's")
        promised = record.get("dividend")
        found = (promised["rate_percent"], promised["annual"]) if promised else None
        if found != dividend(listed):
            problems.append(f"{where}: dividend {found}, the document says {dividend(listed)}")
    return problems
