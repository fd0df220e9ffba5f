"""A Frictionless Data Package describing every CSV table: its fields, their types and titles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gongshi.content.county import county_code6
from gongshi.content.model import Plan
from gongshi.content.site import Site
from gongshi.content.unstated import NOT_STATED, stated
from gongshi.content.values import scalar_text
from gongshi.web.downloads import Download, DownloadFormat
from gongshi.web.downloads.records_json import json_text
from gongshi.web.downloads.tables import Table
from gongshi.web.family import GeneratedPage
from gongshi.web.urls import Urls


def _source(plan: Plan) -> str:
    """某某县人民政府办公室《…》（2025-02-25）: the plan document, its issuer and date where the document states
    them (an unstated one is left out, not spliced in)."""
    issuer = plan.issuer if stated(plan.issuer) else ""
    date = f"（{scalar_text(plan.date)}）" if stated(plan.date) else ""
    return f"{issuer}《{plan.document or plan.label}》{date}"


def datapackage(site: Site, urls: Urls, tables: list[Table]) -> dict[str, Any]:
    plans = "、".join(_source(p) for p in site.plans)
    return {
        "profile": "tabular-data-package",
        "name": f"gongshi-{county_code6(site.config.county.code) or 'county'}",
        "title": site.config.title,
        "description": f"数据来源：{plans}。金额单位为万元，保留原文件的全部小数位。",
        "version": site.stamp.isoformat(),
        "resources": [
            {
                "name": t.name,
                "title": t.title,
                "path": urls.table_csv(t.name).rpartition("/")[2],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {
                    "fields": [{"name": c.name, "title": c.title, "type": c.type} for c in t.columns],
                    "missingValues": ["", NOT_STATED],  # 原文件未列明 stands where the document states nothing
                },
            }
            for t in tables
        ],
    }


def files(site: Site, urls: Urls, tables: list[Table]) -> Iterator[GeneratedPage]:
    yield GeneratedPage(urls.datapackage, json_text(datapackage(site, urls, tables)))


def listing(urls: Urls, tables: list[Table]) -> Iterator[Download]:
    yield Download(urls.datapackage, "datapackage.json", "Frictionless Data Package 描述文件，列出每张表的字段和类型")


FORMAT = DownloadFormat("datapackage", files, listing)
