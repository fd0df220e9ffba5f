"""The downloadable tables, built from the field registry: one row per project with a column per field, and a
table per list of entries (funding, targets, progress…) with a row per entry; a list inside a group or an entry
(dividend.shares, dividends_paid[].villages) has its own table too, named by its path (dividend_shares).

Column names follow the field's path (`beneficiaries.households` → `beneficiaries_households`); amounts in
万元 end in `_wan`; a reference has its stored id or code in `<name>_id` beside the name a reader knows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongshi.content.fields import FieldRow, Surface, field_rows, top_rows
from gongshi.content.model import Project
from gongshi.content.progress import disbursed, latest, target_status
from gongshi.content.site import Site
from gongshi.content.unstated import NOT_STATED, UNSTATED
from gongshi.content.values import Texts, scalar_text, value_at
from gongshi.web.urls import Urls

Cell = Decimal | int | dt.date | str | None


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
    rows: tuple[tuple[Cell, ...], ...]


def _type(row: FieldRow) -> str:
    if row.is_list:
        return "string"
    if row.kind.startswith(("金额", "数字")):
        return "number"
    if row.kind.startswith("整数"):
        return "integer"
    if row.kind.startswith("日期"):
        return "date"
    return "string"


def _name(path: str, row: FieldRow) -> str:
    name = path.replace("[].", "_").replace(".", "_")
    return f"{name}_wan" if row.is_money and not row.is_list else name


def _leaves(rows: list[FieldRow], parent: FieldRow | None) -> list[FieldRow]:
    """The columns a group of fields becomes: a column per field, a nested group by its own fields (typed
    numbers rather than one wording), a list of entries as one column of text (and a table of its own)."""
    prefix = "" if parent is None else (f"{parent.path}[]." if parent.is_list else f"{parent.path}.")
    out = []
    for row in rows:
        rest = row.path.removeprefix(prefix)
        if not row.path.startswith(prefix) or "." in rest or not row.on(Surface.DOWNLOAD):
            continue
        if row.inner is not None and not row.is_list:
            out.extend(_leaves(rows, row))
        else:
            out.append(row)
    return out


class _Cells:
    """Columns and cells for a set of fields, the same way in every table."""

    def __init__(self, texts: Texts, rows: list[FieldRow], prefix: str):
        self.texts, self.rows, self.prefix = texts, rows, prefix

    @property
    def columns(self) -> list[Column]:
        out = []
        for row in self.rows:
            name = _name(row.path.removeprefix(self.prefix), row)
            if row.spec.ref:
                out.append(Column(f"{name}_id", "string", f"{row.spec.label}（编号）"))
            out.append(Column(name, _type(row), row.heading))
        return out

    def cells(self, project: Project, item: Any) -> list[Cell]:
        out: list[Cell] = []
        for row in self.rows:
            value = value_at(item, row.path.removeprefix(self.prefix))
            if value is UNSTATED:  # a typed column holds the words; the data package declares them missing
                out.extend([NOT_STATED] * (2 if row.spec.ref else 1))
                continue
            if row.spec.ref:
                out.append(("；".join(value) or None) if isinstance(value, tuple) else value)
            if _type(row) == "string" or isinstance(value, bool):
                out.append(self.texts.value(project, row, value) or None)
            else:
                out.append(value)
        return out


def tables(site: Site, urls: Urls) -> list[Table]:
    """The projects table, a table per list of entries, and the places each project names."""
    texts = Texts(site)
    every = field_rows(Project, front_matter=False)
    main = _Cells(texts, _leaves(every, None), "")
    derived = (
        Column("latest_stage", "string", "最新阶段"),
        Column("latest_report", "date", "最新进展日期"),
        Column("disbursed_wan", "number", "累计拨付（万元）"),
        Column("percent_complete", "number", "完成（%）"),
        Column("page", "string", "网页（相对本站根目录）"),
    )
    projects = []
    for p in site.projects:
        entry = latest(p)
        report = (entry.stage, entry.date, disbursed(p), entry.percent) if entry else (None, None, None, None)
        projects.append((*main.cells(p, p), *report, urls.url(urls.project(p))))
    out = [Table("projects", "项目", (*main.columns, *derived), tuple(projects))]
    for row in top_rows(Project, Surface.DOWNLOAD):
        if row.is_entries:
            out.append(_entries_table(site, texts, every, row))
    for row in every:
        if row.is_entries and "." in row.path and row.on(Surface.DOWNLOAD):
            out.append(_nested_table(site, texts, every, row))
    out.append(_places_table(site))
    return out


def table_name(path: str) -> str:
    """A list's table: funding → funding, dividend.shares → dividend_shares."""
    return path.replace("[].", "_").replace(".", "_")


def _nested_table(site: Site, texts: Texts, every: list[FieldRow], parent: FieldRow) -> Table:
    """One row per entry of a list inside a group or inside another list's entries, with the project's id and,
    inside an entry, that entry's number (1 for the first)."""
    cells = _Cells(texts, _leaves(every, parent), f"{parent.path}[].")
    outer, _, inner = parent.path.rpartition("[].")
    columns = [Column("project_id", "string", "项目编号")]
    if outer:
        columns.append(Column(f"{table_name(outer)}_entry", "integer", f"{texts.rows[outer].spec.label}（第几项）"))
    columns += cells.columns
    rows = []
    for project in site.projects:
        holders = [(None, project)]
        if outer:
            holders = list(enumerate(value_at(project, outer) or (), start=1))
        for number, holder in holders:
            for item in value_at(holder, inner if outer else parent.path) or ():
                rows.append((project.id, *([number] if outer else []), *cells.cells(project, item)))
    return Table(table_name(parent.path), parent.spec.label, tuple(columns), tuple(rows))


def _entries_table(site: Site, texts: Texts, every: list[FieldRow], parent: FieldRow) -> Table:
    """One row per entry of a list field (each funding source, target, report…), with its project's id."""
    cells = _Cells(texts, _leaves(every, parent), f"{parent.path}[].")
    extra = parent.path == "targets"  # a target's status is computed from the record, not written in it
    columns = [Column("project_id", "string", "项目编号"), *cells.columns]
    if extra:
        columns.append(Column("status", "string", "状态"))
    rows = []
    for project in site.projects:
        for item in getattr(project, parent.name):
            row = [project.id, *cells.cells(project, item)]
            if extra:
                row.append(target_status(project, item).label)
            rows.append(tuple(row))
    return Table(parent.name, parent.spec.label, tuple(columns), tuple(rows))


def _places_table(site: Site) -> Table:
    """Each place a project names, with how (确权村, 实施地点, 受益村): by its key on this site (what the
    projects table's `*_id` columns hold: its official code, or its id where the document states no code) and
    its official code (原文件未列明 where not stated)."""
    rows = []
    by_project: dict[str, list] = {}
    for links in site.place_links.values():
        for link in links:
            by_project.setdefault(link.project.id, []).append(link)
    for project in site.projects:
        for link in by_project.get(project.id, ()):
            place = link.place
            village = place.village.name if place.village else None
            code = scalar_text(place.official_code)  # 原文件未列明 for a place without code
            rows.append((project.id, place.code, code, place.township.name, village, "、".join(link.roles)))
    columns = (
        Column("project_id", "string", "项目编号"),
        Column("place_id", "string", "地名编号（统计用区划代码，没有代码的写编号）"),
        Column("place_code", "string", "统计用区划代码"),
        Column("township", "string", "乡镇"),
        Column("village", "string", "村"),
        Column("role", "string", "关系"),
    )
    return Table("places", "项目涉及的乡镇和村", columns, tuple(rows))
