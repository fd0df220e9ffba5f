"""JSON: every record as published (amounts as exact decimal strings), all together and one beside each page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from gongshi.content.model import Project
from gongshi.content.site import Site
from gongshi.web.downloads import Download, DownloadFormat
from gongshi.web.downloads.tables import Table
from gongshi.web.family import GeneratedPage
from gongshi.web.urls import Urls


def record_json(project: Project) -> dict[str, Any]:
    """A record's public fields, the description included (places as codes, units as ids)."""
    data = project.model_dump(mode="json")
    data["body"] = project.body
    return data


def json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def files(site: Site, urls: Urls, tables: list[Table]) -> Iterator[GeneratedPage]:
    yield GeneratedPage(urls.all_json, json_text([record_json(p) for p in site.projects]))
    for project in site.projects:
        yield GeneratedPage(urls.project_json(project), json_text(record_json(project)))


def listing(urls: Urls, tables: list[Table]) -> Iterator[Download]:
    yield Download(
        urls.all_json,
        "projects.json",
        "完整记录（JSON，金额写作字符串以保留全部小数位，地名为统计用区划代码，单位为编号）；"
        "每个项目页面旁还有该项目的 JSON 文件，如 projects/项目编号.json",
    )


FORMAT = DownloadFormat("json", files, listing)
