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

from gongshi.content.fields import FieldRow, field_rows, path_label, path_row, rows_by_path
from gongshi.content.model import (
    DISCLOSURE_KINDS,
    NOTICE_STAGES,
    Approval,
    Category,
    Change,
    Completion,
    Dividend,
    Funding,
    FundSource,
    IncomeCommitment,
    LineItem,
    NoticePeriod,
    Person,
    Plan,
    Project,
    Target,
    VillageAmount,
)
from gongshi.content.site import Site
from gongshi.content.unstated import NOT_STATED, UNSTATED, stated
from gongshi.content.wording import WORDINGS, dividend_text, person_reader_text, target_reader_text, wording
from gongshi.money import plain, wan_text

LIST_SEPARATOR = "、"  # between names in one cell
ENTRY_SEPARATOR = "\n"  # between entries (targets, reports) in one cell
READER_ENTRY_SEPARATOR = "；\n"  # between entries for a reader (a notice): each entry's value ends at "；"
PER = {"village": "每个村各", "shared": "各村合计"}
CHOICE_WORDS: dict[str, dict[str, str]] = {
    "notices[].stage": NOTICE_STAGES,
    "discrepancies[].kind": DISCLOSURE_KINDS,
    "income_commitment.per": PER,
}
"""How a reader reads the English keys some fields take (a cell keeps the key, which the import reads back)."""


def value_at(record: Any, path: str) -> Any:
    """The value of a field path such as `beneficiaries.households` (None where a group is absent; UNSTATED
    where a whole group is 原文件未列明, so are its fields)."""
    value: Any = record
    for part in path.split("."):
        if value is None or not stated(value):
            return value
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
        if self.reader and row.path in CHOICE_WORDS:
            return CHOICE_WORDS[row.path].get(value, str(value))
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
                # a reader's entries end with "；" too, so each value (原文件未列明 among them) ends where it ends
                return (READER_ENTRY_SEPARATOR if self.reader else ENTRY_SEPARATOR).join(
                    self.entry(project, row, item) for item in value
                )
            return LIST_SEPARATOR.join(self.value(project, row, item) for item in value)
        if row.spec.ref:
            return self.name(project, row.spec.ref, value)
        formatter = _formatter(self, type(value))
        if formatter is not None:
            return formatter(self, project, value)
        if isinstance(value, BaseModel):
            return self.entry(project, row, value)
        return self.scalar(row, value)

    def entry(self, project: Project, row: FieldRow, item: BaseModel) -> str:
        """One group of fields (an item of a list, or a nested group) as one line."""
        formatter = _formatter(self, type(item))
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
            return scalar_text(site.category(project).name)
        if ref == "source":
            return scalar_text(next((s.name for s in site.plan(project.plan).funding if s.id == value), value))
        if ref == "plan":
            return scalar_text(site.plan(value).title)
        raise ValueError(f"unknown reference kind {ref}")


def project_name(site: Site, project: Project) -> str:
    """What a project is called in a sentence, a message or a label: its title; where the document states
    none, words that say so and what the document does state of it (its number, place or category), never
    the placeholder spliced into a sentence: 名称未列明的项目（原文序号 3，甲镇一村）."""
    if stated(project.title):
        return project.title
    facts = [f"原文序号 {project.number}" if stated(project.number) else ""]
    facts.append(project.location if stated(project.location) else "")
    if not any(facts):
        category = site.category(project).name
        facts.append(f"类别：{category}" if stated(category) else "")
    known = "，".join(f for f in facts if f)
    return "名称未列明的项目" + (f"（{known}）" if known else "")


def category_name(plan: Plan, category: Category) -> str:
    """What a category is called in a label or legend: its name; where the document states none, its place in
    the plan (第 2 类（名称未列明）), so that two unnamed categories stay two."""
    if stated(category.name):
        return category.name
    number = next(i for i, c in enumerate(plan.categories, start=1) if c.id == category.id)
    return f"第 {number} 类（名称未列明）"


def source_name(plan: Plan, source: FundSource) -> str:
    """What a fund source is called in a label or note: its name; where the document states none, its place in
    the plan's list of sources (第 2 项资金来源（名称未列明）) — never its id."""
    if stated(source.name):
        return source.name
    number = next(i for i, s in enumerate(plan.funding, start=1) if s is source)
    return f"第 {number} 项资金来源（名称未列明）"


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
    """2025年衔接资金 100（第一批，2025-03-20）: the source, the amount, and its batch and date when stated."""
    batch = [part for part in (item.batch, item.date and texts.scalar(texts.rows["funding[].date"], item.date)) if part]
    details = f"（{'，'.join(batch)}）" if batch else ""
    amount = NOT_STATED if item.amount is UNSTATED else texts.money(item.amount)
    name = texts.name(project, "source", item.source)
    if texts.reader and name == NOT_STATED:  # a reader gets labelled parts; a cell stays as the import reads it
        return f"来源：{NOT_STATED}；金额：{amount}{details}"
    return f"{name}{'：' if item.amount is UNSTATED else ' '}{amount}{details}"


def _village_amount_text(texts: Texts, project: Project, item: VillageAmount) -> str:
    """甲镇乙村 1.2 (a cell) or 甲镇乙村 1.2 万元 (a reader)."""
    return f"{texts.name(project, 'village', item.village)} {texts.money(item.amount)}"


def _dividend_text(texts: Texts, project: Project, item: Dividend) -> str:
    """The dividend's one-line wording, and each village's share when the document states them."""
    shares = "、".join(_village_amount_text(texts, project, share) for share in item.shares)
    return dividend_text(item) + (f"；各村：{shares}" if shares else "")


def _income_text(texts: Texts, project: Project, item: IncomeCommitment) -> str:
    """每个确权村每年不低于 1 万元；建成后连续3年；各村：甲镇乙村 1.2 万元 (for a reader; cells hold each field)."""
    who = "每个确权村" if item.per == "village" else "各村合计"
    parts = [f"{who}每年不低于 {texts.money(item.minimum_per_year)}"]
    if item.condition:
        parts.append(item.condition)
    if item.shares:
        parts.append("各村：" + "、".join(_village_amount_text(texts, project, s) for s in item.shares))
    return "；".join(parts)


def _approval_text(texts: Texts, project: Project, approval: Approval) -> str:
    """演府函〔2025〕5号（2025年2月25日）."""
    when = f"（{texts.scalar(texts.rows['approval.date'], approval.date)}）" if approval.date else ""
    return approval.number + when


def _completion_text(texts: Texts, project: Project, done: Completion) -> str:
    """Completion accounts and acceptance in two sentences, each fact with its label; 原文件未列明 where absent."""
    rows = {row.name: row for row in field_rows(Completion, "completion.")}

    def fact(name: str) -> str:
        value = getattr(done, name)
        return f"{rows[name].spec.label}：{texts.scalar(rows[name], value) if value is not None else NOT_STATED}"

    money = "；".join(fact(name) for name in ("settled", "management_fee", "surplus", "surplus_to"))
    acceptance = "；".join(fact(name) for name in ("completed", "accepted", "accepted_by", "note"))
    return f"{money}。{acceptance}。"


_MODEL_TEXT: dict[type, Callable[[Texts, Project, Any], str]] = {
    **{model: (lambda texts, project, group: wording(group, texts.number)) for model in WORDINGS},
    Funding: _funding_text,
    VillageAmount: _village_amount_text,
    Dividend: _dividend_text,
    IncomeCommitment: _income_text,
    Completion: _completion_text,
    Approval: _approval_text,
}
"""Groups of fields with a fixed one-cell wording (the Excel import reads these back); funding entries are
joined with ENTRY_SEPARATOR like every list of entries."""


def has_text(model: type) -> bool:
    """Whether a group of fields reads as one line of text (on a notice); others show field by field."""
    return model in _MODEL_TEXT


def _line_item_text(texts: Texts, project: Project, item: LineItem) -> str:
    """路基（3公里）60.5 万元."""
    size = f"（{texts.number(item.quantity)}{item.unit or ''}）" if item.quantity is not None else ""
    return f"{item.name}{size} {texts.money(item.amount)}"


def changed_value(model: type[BaseModel], path: str, text: str | None) -> str:
    """A value before or after a change (调整变更) as a reader reads it: an amount of a money field with its unit
    (1,150 万元), anything else as the approval writes it; 原文件未列明 when the record does not say."""
    if text is None:
        return NOT_STATED
    row = path_row(model, path)
    if row is not None and row.is_money:
        try:
            return f"{wan_text(Decimal(text))} 万元"
        except ArithmeticError:  # written in words: shown as written
            return text
    return text


def _change_text(texts: Texts, project: Project, change: Change) -> str:
    """2024年7月1日，样府函〔2024〕9号：实施地点 甲镇 → 甲镇乙村（原因：…）."""
    before, after = (changed_value(Project, change.field, v) for v in (change.before, change.after))
    when = texts.scalar(texts.rows["changes[].date"], change.date)
    head = f"{when}，{change.approval}" if change.approval else when
    reason = f"（原因：{change.reason}）" if change.reason else ""
    return f"{head}：{path_label(Project, change.field)} {before} → {after}{reason}"


def _period_text(texts: Texts, project: Project, period: NoticePeriod) -> str:
    """项目计划公示 2024年3月6日至2024年3月15日（乙村村务公开栏）."""
    dates = [
        texts.scalar(texts.rows["notices[].start"], period.start),
        texts.scalar(texts.rows["notices[].end"], period.end),
    ]
    where = f"（{period.where}）" if period.where else ""
    return f"{NOTICE_STAGES[period.stage]} {dates[0]}至{dates[1]}{where}"


_READER_TEXT: dict[type, Callable[[Texts, Project, Any], str]] = {
    LineItem: _line_item_text,
    Change: _change_text,
    NoticePeriod: _period_text,
    Person: lambda texts, project, person: person_reader_text(person),
    Target: lambda texts, project, target: target_reader_text(target, texts.number),
}
"""Entries that read better in words on a notice; in a cell they keep their labelled fields, which the Excel
import reads back."""


def _formatter(texts: Texts, model: type) -> Callable[[Texts, Project, Any], str] | None:
    if texts.reader and model in _READER_TEXT:
        return _READER_TEXT[model]
    return _MODEL_TEXT.get(model)
