"""Open data: every project as CSV, XLSX and JSON tables, a Frictionless data package, and each record's JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from gongshi.content.model import Project
from gongshi.content.progress import disbursed, latest, target_status
from gongshi.content.site import Site
from gongshi.money import plain
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer
from gongshi.web.urls import Urls

EXCEL_DIGITS = 15  # Excel keeps 15 significant digits; longer numbers are written as text


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless field type: string, number, integer, date
    title: str


@dataclass(frozen=True)
class Table:
    """One downloadable table: its columns and rows (Decimal, int, date, str or None)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]


def _c(name: str, type_: str, title: str) -> Column:
    return Column(name, type_, title)


def _names(site: Site, ids: tuple[str, ...]) -> str:
    return "；".join(site.unit(i).name for i in ids)


def tables(site: Site, urls: Urls) -> list[Table]:
    """The site's tables: projects, places, targets, funding and progress; amounts in 万元, exact."""
    projects = []
    places, targets, funding, progress = [], [], [], []
    for p in site.projects:
        plan, category, entry = site.plan(p.plan), site.category(p), latest(p)
        sources = {s.id: s.name for s in plan.funding}
        projects.append(
            (
                p.plan,
                p.id,
                p.number,
                p.category,
                category.name,
                p.title,
                p.investment,
                "；".join(f"{sources[f.source]} {plain(f.amount)}" for f in p.funding),
                p.location,
                "；".join(site.place(c).full_name for c in p.places),
                _names(site, p.responsible_units),
                site.unit(p.owner_unit).name if p.owner_unit else None,
                p.status,
                p.period,
                p.deadline,
                p.dividend.rate_percent if p.dividend else None,
                p.dividend.annual if p.dividend else None,
                entry.stage if entry else None,
                entry.date if entry else None,
                disbursed(p),
                entry.percent if entry else None,
                urls.url(urls.project(p)),
            )
        )
        for link in _place_links(site, p):
            places.append(link)
        for t in p.targets:
            targets.append(
                (p.id, t.indicator, t.value, t.unit, t.comparator, t.actual, target_status(p, t).label, t.note)
            )
        for f in p.funding:
            funding.append((p.id, f.source, sources[f.source], f.amount))
        for e in p.progress:
            progress.append((p.id, e.date, e.stage, e.disbursed, e.percent, e.note))
    return [
        Table(
            "projects",
            "项目",
            (
                _c("plan", "string", "计划"),
                _c("id", "string", "编号"),
                _c("number", "string", "原文件序号"),
                _c("category_id", "string", "类别编号"),
                _c("category", "string", "类别"),
                _c("title", "string", "项目名称"),
                _c("investment_wan", "number", "规划投资（万元）"),
                _c("funding", "string", "资金来源（万元）"),
                _c("location", "string", "实施地点（原文）"),
                _c("places", "string", "涉及乡镇和村"),
                _c("responsible_units", "string", "责任单位"),
                _c("owner_unit", "string", "业主单位"),
                _c("status", "string", "项目状态"),
                _c("period", "string", "实施期限"),
                _c("deadline", "date", "完成期限"),
                _c("dividend_rate_percent", "number", "保底分红比例（%）"),
                _c("dividend_annual_wan", "number", "每年保底分红（万元）"),
                _c("latest_stage", "string", "最新阶段"),
                _c("latest_report", "date", "最新进展日期"),
                _c("disbursed_wan", "number", "累计拨付（万元）"),
                _c("percent_complete", "number", "完成（%）"),
                _c("page", "string", "网页（相对本站根目录）"),
            ),
            tuple(projects),
        ),
        Table(
            "places",
            "项目涉及的乡镇和村",
            (
                _c("project_id", "string", "项目编号"),
                _c("place_code", "string", "统计用区划代码"),
                _c("township", "string", "乡镇"),
                _c("village", "string", "村"),
                _c("role", "string", "关系"),
            ),
            tuple(places),
        ),
        Table(
            "targets",
            "绩效目标",
            (
                _c("project_id", "string", "项目编号"),
                _c("indicator", "string", "指标"),
                _c("value", "number", "目标值"),
                _c("unit", "string", "单位"),
                _c("comparator", "string", "比较"),
                _c("actual", "number", "实际值"),
                _c("status", "string", "状态"),
                _c("note", "string", "说明"),
            ),
            tuple(targets),
        ),
        Table(
            "funding",
            "资金来源",
            (
                _c("project_id", "string", "项目编号"),
                _c("source_id", "string", "来源编号"),
                _c("source", "string", "资金来源"),
                _c("amount_wan", "number", "金额（万元）"),
            ),
            tuple(funding),
        ),
        Table(
            "progress",
            "进展报告",
            (
                _c("project_id", "string", "项目编号"),
                _c("date", "date", "日期"),
                _c("stage", "string", "阶段"),
                _c("disbursed_wan", "number", "累计拨付（万元）"),
                _c("percent", "number", "完成（%）"),
                _c("note", "string", "说明"),
            ),
            tuple(progress),
        ),
    ]


def _place_links(site: Site, project: Project) -> Iterator[tuple]:
    for link in site.place_links.values():
        for item in link:
            if item.project.id == project.id:
                place = item.place
                yield (
                    project.id,
                    place.code,
                    place.township.name,
                    place.village.name if place.village else None,
                    "、".join(item.roles),
                )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        writer.writerow([_text(v) for v in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _excel(value: Any) -> Any:
    if isinstance(value, Decimal):
        exact = value.normalize()
        return Decimal(plain(exact)) if len(exact.as_tuple().digits) <= EXCEL_DIGITS else plain(exact)
    return value


def to_xlsx(tables_: list[Table], stamp: dt.date) -> bytes:
    """One sheet per table: a header of titles, a row of field names, then numbers as numbers.
    Dated by the content and zipped with fixed timestamps, so that two builds give the same bytes."""
    book = Workbook()
    book.remove(book.active)
    for table in tables_:
        sheet = book.create_sheet(table.name)
        sheet.append([c.title for c in table.columns])
        sheet.append([c.name for c in table.columns])
        for row in table.rows:
            sheet.append([_excel(v) for v in row])
        sheet.freeze_panes = "A3"
    moment = dt.datetime.combine(stamp, dt.time())
    book.properties.created = book.properties.modified = moment
    book.properties.creator = "gongshi"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def record_json(project: Project) -> dict[str, Any]:
    """A record as published (amounts as exact decimal strings; places as codes, units as ids)."""
    return project.model_dump(mode="json")


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def datapackage(site: Site, tables_: list[Table]) -> dict[str, Any]:
    """A Frictionless Data Package describing every CSV table."""
    plans = "、".join(f"{p.issuer}《{p.document or p.title}》（{p.date.isoformat()}）" for p in site.plans)
    return {
        "profile": "tabular-data-package",
        "name": f"gongshi-{site.config.county.code}",
        "title": site.config.title,
        "description": f"数据来源：{plans}。金额单位为万元，保留原文件的全部小数位。",
        "version": site.last_changed.isoformat(),
        "resources": [
            {
                "name": t.name,
                "title": t.title,
                "path": f"{t.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {"fields": [{"name": c.name, "title": c.title, "type": c.type} for c in t.columns]},
            }
            for t in tables_
        ],
    }


def download_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """The 数据下载 page, the tables in every format, the data package and each record's JSON."""
    site = renderer.site
    urls = renderer.urls
    all_tables = tables(site, urls)
    for table in all_tables:
        yield GeneratedPage(urls.table_csv(table.name), to_csv(table))
    yield GeneratedPage(urls.xlsx, to_xlsx(all_tables, site.last_changed))
    yield GeneratedPage(urls.datapackage, _json(datapackage(site, all_tables)))
    yield GeneratedPage(urls.all_json, _json([record_json(p) for p in site.projects]))
    for project in site.projects:
        yield GeneratedPage(urls.project_json(project), _json(record_json(project)))
    yield renderer.render("data.md.j2", urls.data, tables=all_tables)


FAMILY = PageFamily("downloads", download_pages)
