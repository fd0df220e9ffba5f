"""A tiny purpose-made county for the hardening tests: one township, two villages, two units, one plan of two
projects that reconcile. Written from Python data into a temporary folder, with the repository's mkdocs.yml,
docs/ and templates/ beside it; tests change the data before writing, never the live content/."""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT

SITE: dict[str, Any] = {
    "title": "测试县项目公示",
    "description": "测试县财政资金项目的计划、资金和受益村。",
    "county": {"name": "测试县", "code": "990100000000", "province": "测试省", "city": "测试市"},
    "office": "测试县人民政府办公室",
    "contacts": [{"name": "监督举报电话", "phone": "12317", "note": "工作日受理"}],
    "repo_url": None,
    "repo_branch": "main",
}
PLACES: dict[str, Any] = {
    "county": "测试县",
    "county_code": "990100000000",
    "source": "测试用区划代码",
    "townships": [
        {
            "code": "990100100000",
            "name": "甲镇",
            "kind": "镇",
            "villages": [
                {"code": "990100100201", "name": "一村", "official_name": "一村村民委员会", "kind": "村民委员会"},
                {"code": "990100100202", "name": "二村", "official_name": "二村村民委员会", "kind": "村民委员会"},
            ],
        }
    ],
}
UNITS: dict[str, Any] = {
    "units": [
        {"id": "unit-a", "name": "县甲局", "full_name": "测试县甲局"},
        {"id": "unit-b", "name": "县乙局", "full_name": "测试县乙局"},
    ]
}
PLAN: dict[str, Any] = {
    "id": "2025",
    "title": "测试县2025年项目实施方案",
    "document": "关于印发《测试县2025年项目实施方案》的通知",
    "document_number": "测府办〔2025〕1号",
    "issuer": "测试县人民政府办公室",
    "date": dt.date(2025, 2, 25),
    "year": 2025,
    "programme": {"name": "协作资金", "short": "协作", "partner": {"name": "协作区", "full_name": "测试省协作区"}},
    "total": 150,
    "summary": "2025年规划资金150万元，实施2类2个项目。",
    "funding": [{"id": "fund-a", "name": "2025年协作资金", "amount": 150}],
    "categories": [
        {"id": "cat-a", "name": "产业发展", "amount": 100, "count": 1, "description": "支持产业园区建设。"},
        {"id": "cat-b", "name": "民生改善", "amount": 50, "count": 1, "description": "改善群众生活。"},
    ],
}
PROJECTS: dict[str, dict[str, Any]] = {
    "01-park.md": {
        "id": "park",
        "plan": "2025",
        "number": "1",
        "category": "cat-a",
        "title": "甲镇产业园区建设项目",
        "investment": 100,
        "funding": [{"source": "fund-a", "amount": 100}],
        "location": "甲镇一村",
        "places": ["甲镇一村"],
        "responsible_units": ["县甲局"],
        "owner_unit": "县乙局",
        "beneficiaries": {
            "asset_villages": ["甲镇一村", "甲镇二村"],
            "households": {"value": 120, "unit": "户", "comparator": "以上"},
            "people": {"value": 500, "unit": "人"},
            "description": "脱贫户优先",
        },
        "benefit_mechanism": "运营后每年按照投资3%保底分红3万元。",
        "operation": "委托国有企业运营",
        "dividend": {"rate_percent": 3, "annual": 3, "kind": "保底分红", "condition": "运营后每年"},
        "targets": [{"indicator": "建设厂房", "value": 1000, "unit": "㎡", "comparator": "以上", "note": "含仓储"}],
        "period": "2025年完成建设任务",
        "deadline": dt.date(2025, 12, 31),
        "status": "实施中",
        "progress": [
            {"date": dt.date(2025, 6, 1), "stage": "开工", "disbursed": 40, "percent": 40, "note": "主体施工"}
        ],
        "dividends_paid": [{"year": 2026, "amount": 3, "note": "支付给两个村"}],
        "body": "在甲镇建设产业园区，配套建设道路。",
    },
    "02-school.md": {
        "id": "school",
        "plan": "2025",
        "number": "2",
        "category": "cat-b",
        "title": "甲镇学校改善项目",
        "investment": 50,
        "funding": [{"source": "fund-a", "amount": 50}],
        "location": "甲镇二村",
        "places": ["甲镇二村"],
        "responsible_units": ["县乙局"],
        "targets": [{"indicator": "改善学校", "value": 1, "unit": "所"}],
        "period": "2025年",
        "status": "计划",
        "body": "改善甲镇学校的教学设施。",
    },
}


def data() -> dict[str, Any]:
    """A fresh, editable copy of the county: {relative path: data}; a project's Markdown body is its "body"."""
    out: dict[str, Any] = {
        "content/site.yml": SITE,
        "content/places.yml": PLACES,
        "content/units.yml": UNITS,
        "content/plans/2025.yml": PLAN,
    }
    out.update({f"content/projects/{name}": record for name, record in PROJECTS.items()})
    return copy.deepcopy(out)


def dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=10**6)


def write_content(project: Path, county: dict[str, Any]) -> None:
    """Write (or rewrite) the content files of `county` under project/."""
    for rel, value in county.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".md"):
            fields = {k: v for k, v in value.items() if k != "body"}
            path.write_text(f"---\n{dump(fields)}---\n{value.get('body', '')}\n", encoding="utf-8")
        else:
            path.write_text(dump(value), encoding="utf-8")


def make_project(dest: Path, county: dict[str, Any] | None = None) -> Path:
    """A buildable project folder: the repository's mkdocs.yml, docs/ and templates/, and the tiny county."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for part in ("docs", "templates"):
        shutil.copytree(ROOT / part, dest / part)
    write_content(dest, county if county is not None else data())
    return dest


def git(repo: Path, *args: str, when: str | None = None, stdin: bytes | None = None) -> bytes:
    """Run git in repo with a fixed identity and no user configuration."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_SYSTEM": "/dev/null"}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
        input=stdin,
    ).stdout
