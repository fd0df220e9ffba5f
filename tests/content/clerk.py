"""Valid edits a county clerk makes, written against whatever the records say today (not against today's
figures), so that the tests using them stay green as the content grows. Files are rewritten with PyYAML: a
copy's comments are lost, its values are not (amounts keep their digits, dates stay dates)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import yaml
from records import Records, front_matter, read_yaml


class _Dumper(yaml.SafeDumper):
    """Writes a Decimal with the digits it has (3952.310194, 3980), never through a float."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    tag = "int" if value == value.to_integral_value() else "float"
    return dumper.represent_scalar(f"tag:yaml.org,2002:{tag}", format(value.normalize(), "f"))


_Dumper.add_representer(Decimal, _decimal)


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)


def rewrite_yaml(path: Path, change: Callable[[dict], None]) -> None:
    data = read_yaml(path)
    change(data)
    path.write_text(dump(data), encoding="utf-8")


def rewrite_record(path: Path, change: Callable[[dict], None]) -> None:
    """Change a record's front matter; its body stays as it is."""
    data = front_matter(path)
    change(data)
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    path.write_text(f"---\n{dump(data)}---\n{body}", encoding="utf-8")


def _newest(records: Records) -> dict:
    return sorted(records.plans, key=lambda p: (-p["year"], str(p["id"])))[0]


def add_project(content: Path, title: str, investment: Decimal = Decimal(80)) -> Path:
    """A new record in the newest plan's last category, paid from its first fund source, numbered after the
    plan's projects (and their `order`); and the plan's category amount and count, fund source and total updated to include it (as
    the staff guide says). Returns the new record's file."""
    records = Records(content)
    plan = _newest(records)
    mine = records.of_plan(plan)
    numbers = [int(d) for p in mine if (d := re.sub(r"\D", "", str(p["number"])))]
    number = max(numbers + [int(p["order"]) for p in mine if p.get("order")], default=0) + 1
    project_id = f"new-project-{number}"
    record = {
        "id": project_id,
        "plan": str(plan["id"]),
        "number": str(number),
        "category": plan["categories"][-1]["id"],
        "title": title,
        "investment": investment,
        "funding": [{"source": plan["funding"][0]["id"], "amount": investment}],
        "location": records.site["county"]["name"],
        "responsible_units": [records.units[0]["name"]],
        "benefit_mechanism": "改善群众生产生活条件。",
        "targets": [{"indicator": "完成建设任务"}],
        "period": f"{plan['year']}年完成建设任务",
        "status": "计划",
    }
    path = content / "projects" / f"{number:02d}-{project_id}.md"
    path.write_text(f"---\n{dump(record)}---\n新建项目的建设内容。\n", encoding="utf-8")

    def include(data: dict) -> None:
        before = Decimal(str(data["total"]))
        data["total"] += investment
        data["funding"][0]["amount"] += investment
        data["categories"][-1]["amount"] += investment
        data["categories"][-1]["count"] += 1
        if data.get("summary"):  # "实施6类11个项目" in the summary follows the counts
            data["summary"] = re.sub(
                r"实施(\d+)类(\d+)个项目", f"实施{len(data['categories'])}类{len(mine) + 1}个项目", data["summary"]
            )
            # and so does its amount: the first "N万元" that was the plan's total ("计划安排资金3952.310194万元")
            after = Decimal(str(data["total"]))
            data["summary"] = re.sub(
                r"(\d+(?:\.\d+)?)万元",
                lambda m: f"{after.normalize():f}万元" if Decimal(m[1]) == before else m[0],
                data["summary"],
                count=1,
            )

    rewrite_yaml(content / "plans" / f"{plan['id']}.yml", include)
    return path


def add_progress_report(content: Path) -> str:
    """A progress report on the first record without one (else on the first record), dated a month after the
    latest date the content states; the record's status follows. Returns the project's id."""
    records = Records(content)
    project = next((p for p in records.projects if not p.get("progress")), records.projects[0])
    dates = [p["date"] for p in records.plans] + [e["date"] for p in records.projects for e in p.get("progress", [])]
    earlier = project.get("progress", [])
    paid = max(
        [(project["investment"] / 5).quantize(Decimal("0.01"))] + [e["disbursed"] for e in earlier if "disbursed" in e]
    )
    entry = {
        "date": max(dates) + dt.timedelta(days=30),
        "stage": earlier[-1]["stage"] if earlier else "开工",
        "disbursed": paid,
        "note": "进展报告（测试）",
    }

    def report(data: dict) -> None:
        data.setdefault("progress", []).append(entry)
        if data.get("status") == "计划":
            data["status"] = "实施中"

    rewrite_record(records.files[project["id"]], report)
    return project["id"]
