"""Record fields as plain text, the way the document writes them: for downloads, notices and the Excel table.

References read as names (a unit's name, a village as the records spell it, a fund source's name); amounts
keep every published digit; groups of fields that staff write in one cell have one fixed wording, which
the Excel import (gongshi.staff.fundtable) reads back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from gongshi.content.fields import FieldRow, field_rows, rows_by_path
from gongshi.content.model import Funding, Project
from gongshi.content.site import Site
from gongshi.content.unstated import NOT_STATED, UNSTATED
from gongshi.content.wording import WORDINGS, wording
from gongshi.money import plain, wan_text

LIST_SEPARATOR = "、"  # between names in one cell
ENTRY_SEPARATOR = "\n"  # between entries (targets, reports) in one cell


def value_at(record: Any, path: str) -> Any:
    """The value of a field path such as `beneficiaries.households` (None where a group is absent)."""
    value: Any = record
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


class Texts:
    """Every field of the site's records as text; `ref` fields resolved through the site.

    Two wordings: for a cell (the default; digits as published, dates as YYYY-MM-DD, read back by the Excel
    import) and for a reader (`reader=True`; 1,150 万元, 2025年12月31日), as on a printed notice."""

    def __init__(self, site: Site, *, reader: bool = False):
        self.site = site
        self.reader = reader
        self.rows = rows_by_path(Project)

    def number(self, value: Decimal) -> str:
        return wan_text(value) if self.reader else plain(value)

    def money(self, amount: Decimal) -> str:
        return f"{wan_text(amount)} 万元" if self.reader else plain(amount)

    def scalar(self, row: FieldRow, value: Any) -> str:
        if self.reader and isinstance(value, Decimal):
            return self.money(value) if row.is_money else wan_text(value)
        if self.reader and isinstance(value, dt.date):
            return f"{value.year}年{value.month}月{value.day}日"
        return scalar_text(value)

    def field(self, project: Project, path: str) -> str:
        """A field of a record as one cell of text."""
        return self.value(project, self.rows[path], value_at(project, path))

    def value(self, project: Project, row: FieldRow, value: Any) -> str:
        """A value of the field `row` (an item of a list field is passed with the list's row)."""
        if value is None or value == ():
            return ""
        if value is UNSTATED:
            return NOT_STATED
        if isinstance(value, tuple):
            if row.is_entries:
                return ENTRY_SEPARATOR.join(self.entry(project, row, item) for item in value)
            return LIST_SEPARATOR.join(self.value(project, row, item) for item in value)
        if row.spec.ref:
            return self.name(project, row.spec.ref, value)
        formatter = _MODEL_TEXT.get(type(value))
        if formatter is not None:
            return formatter(self, project, value)
        if isinstance(value, BaseModel):
            return self.entry(project, row, value)
        return self.scalar(row, value)

    def entry(self, project: Project, row: FieldRow, item: BaseModel) -> str:
        """One group of fields (an item of a list, or a nested group) as one line."""
        formatter = _MODEL_TEXT.get(type(item))
        if formatter is not None:
            return formatter(self, project, item)
        parts = []
        for sub in field_rows(type(item), f"{row.path}[]." if row.is_list else f"{row.path}.", within=row.surfaces):
            if "." in sub.path.removeprefix(row.path + ("[]." if row.is_list else ".")):
                continue  # deeper groups are part of their parent's text
            text = self.value(project, sub, getattr(item, sub.name))
            if text:
                parts.append(f"{sub.spec.label}：{text}")
        return "；".join(parts)

    def name(self, project: Project, ref: str, value: str) -> str:
        """What a stored reference (an id or a code) reads as."""
        site = self.site
        if ref == "unit":
            return site.unit(value).name
        if ref in ("place", "village"):
            place = site.place(value)
            return place.township.name + site.spelled.get(value, place.name if place.village else "")
        if ref == "category":
            return site.category(project).name
        if ref == "source":
            return next((s.name for s in site.plan(project.plan).funding if s.id == value), value)
        if ref == "plan":
            return site.plan(value).title
        raise ValueError(f"unknown reference kind {ref}")


def scalar_text(value: Any) -> str:
    """A number, date or text as a cell: amounts with every digit, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if value is UNSTATED:
        return NOT_STATED
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _funding_text(texts: Texts, project: Project, item: Funding) -> str:
    amount = NOT_STATED if item.amount is UNSTATED else texts.money(item.amount)
    return f"{texts.name(project, 'source', item.source)} {amount}"


_MODEL_TEXT: dict[type, Callable[[Texts, Project, Any], str]] = {
    **{model: (lambda texts, project, group: wording(group, texts.number)) for model in WORDINGS},
    Funding: _funding_text,
}
"""Groups of fields with a fixed one-cell wording (the Excel import reads these back); funding entries are
joined with ENTRY_SEPARATOR like every list of entries."""
