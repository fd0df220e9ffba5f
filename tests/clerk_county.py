"""A small county for the clerk's tests: the full_record fixture copied to tmp, with a second project."""

from __future__ import annotations

import shutil
from pathlib import Path

from gongshi.content.load import load_site
from gongshi.errors import ContentError, ContentErrors

FIXTURE = Path(__file__).parent / "fixtures" / "full_record" / "content"
PLAN = "content/plans/2024.yml"
RECORD = "content/projects/01-full-record.md"

SECOND = """---
id: second-road
plan: "2024"
number: "2"
category: roads
title: 丙村产业路
location: 甲镇丙村
places: [甲镇丙村]
investment: 30
funding:
  - source: linking-2024
    amount: 30
responsible_units: [县农业农村局]
---
新建产业路1公里。
"""


def make_county(dest: Path) -> Path:
    """A copy of the fixture county (two projects in one category) in dest; returns dest (the repo root)."""
    shutil.copytree(FIXTURE, dest / "content")
    record = dest / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("    photos: [road.png]\n", ""), encoding="utf-8")
    (dest / "content" / "projects" / "02-second-road.md").write_text(SECOND, encoding="utf-8")
    plan = dest / PLAN
    text = plan.read_text(encoding="utf-8")
    text = text.replace("total: 120.5", "total: 150.5").replace("    amount: 100\n", "    amount: 130\n")
    text = text.replace("    amount: 120.5\n    count: 1", "    amount: 150.5\n    count: 2")
    plan.write_text(text + "summary: 实施1类2个项目。\n", encoding="utf-8")
    return dest


def errors_of(root: Path) -> list[ContentError]:
    try:
        load_site(root / "content", root)
    except ContentErrors as exc:
        return exc.errors
    return []
