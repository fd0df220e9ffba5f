"""The fixed one-line wording of groups of fields, as a document writes them: 约2000㎡以上, 保底分红 3%，每年34.5万元,
王某某（县林业局局长）. Excel cells use these wordings and the import reads them back; they name nothing
elsewhere in the content, so they need no Site.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pydantic import BaseModel

from gongshi.content.model import DISCLOSURE_KINDS, Discrepancy, Dividend, Person, Quantity, Target
from gongshi.content.unstated import NOT_STATED, stated
from gongshi.money import plain

PREFIX_COMPARATORS = ("约", "≥", "≤", "=")
"""Comparators written before the number (约2000㎡, ≥90%); 以上, 以下 and 余 come after it."""


def quantity_text(q: Quantity | Target | None, number: Callable[[Decimal], str] = plain) -> str:
    """A value with unit and comparator as published: 约2000㎡, 100人以上, 10余名."""
    if q is None or q.value is None:
        return ""
    if not stated(q.value):
        return NOT_STATED
    before = q.comparator if q.comparator in PREFIX_COMPARATORS else ""
    after = q.comparator if q.comparator in ("以上", "以下", "余") else ""
    return f"{before}{number(q.value)}{q.unit or ''}{after}"


def target_text(target: Target, number: Callable[[Decimal], str] = plain) -> str:
    """One target as a line: 〔产出·数量〕指标：约2000㎡以上【说明】（实际：2100，完成情况：…，偏差原因：…）;
    a qualitative one is its indicator, with its planned words after a colon."""
    kind = "·".join(part for part in (target.group, target.kind) if part)
    head = f"〔{kind}〕{target.indicator}" if kind else target.indicator
    note = f"【{target.note}】" if target.note else ""
    if target.value is not None:
        text = f"{head}：{quantity_text(target, number)}{note}"
    elif target.planned:
        text = f"{head}：{target.planned}{note}"
    else:
        text = head + note
    reported = []
    if target.actual is not None:
        reported.append(f"实际：{number(target.actual)}")
    if target.result:
        reported.append(f"完成情况：{target.result}")
    if target.reason:
        reported.append(f"偏差原因：{target.reason}")
    return text + (f"（{'，'.join(reported)}）" if reported else "")


def target_reader_text(target: Target, number: Callable[[Decimal], str] = plain) -> str:
    """A target for a reader: as `target_text`, but where the document does not state the indicator, each part
    with its label (〔产出·数量〕指标：原文件未列明；目标：≥177个), so 原文件未列明 stands whole."""
    if stated(target.indicator):
        return target_text(target, number)
    kind = "·".join(part for part in (target.group, target.kind) if part)
    goal = quantity_text(target, number) if target.value is not None else target.planned
    parts = [f"指标：{NOT_STATED}", f"目标：{goal}" if goal else "", f"说明：{target.note}" if target.note else ""]
    if target.actual is not None:
        parts.append(f"实际：{number(target.actual)}")
    parts += [
        f"完成情况：{target.result}" if target.result else "",
        f"偏差原因：{target.reason}" if target.reason else "",
    ]
    return (f"〔{kind}〕" if kind else "") + "；".join(part for part in parts if part)


def dividend_text(dividend: Dividend | None) -> str:
    """保底分红 3%，每年34.5万元；运营后每年. A part the document does not state is a labelled whole value:
    保底分红；比例：原文件未列明；每年：34.5万元；运营后每年."""
    if dividend is None:
        return ""
    if stated(dividend.rate_percent) and stated(dividend.annual):
        text = f"{dividend.kind} {plain(dividend.rate_percent)}%，每年{plain(dividend.annual)}万元"
    else:
        rate = f"{plain(dividend.rate_percent)}%" if stated(dividend.rate_percent) else NOT_STATED
        annual = f"{plain(dividend.annual)}万元" if stated(dividend.annual) else NOT_STATED
        text = f"{dividend.kind}；比例：{rate}；每年：{annual}"
    return text + (f"；{dividend.condition}" if dividend.condition else "")


def person_text(person: Person) -> str:
    """王某某（县林业局局长，0833-0000000）."""
    details = "，".join(part for part in (person.post, person.phone) if part)
    return f"{person.name}（{details}）" if details else person.name


def person_reader_text(person: Person) -> str:
    """The person for a reader: 王某某（县林业局局长，0833-0000000） when every part given is stated; else each
    part with its label, so 原文件未列明 stands whole: 姓名：原文件未列明；职务：县林业局局长."""
    parts = (("姓名", person.name), ("职务", person.post), ("电话", person.phone))
    if all(stated(value) for _, value in parts if value is not None):
        return person_text(person)
    return "；".join(
        f"{label}：{value if stated(value) else NOT_STATED}" for label, value in parts if value is not None
    )


WHOLE_RECORD = "整条记录"


def discrepancy_text(item: Discrepancy) -> str:
    """number〔原文件前后不一致〕：原因 — what it is about (a check, a field, the whole record), its kind, the note."""
    subject = item.check or item.field or WHOLE_RECORD
    return f"{subject}〔{DISCLOSURE_KINDS[item.kind]}〕：{item.note}"


WORDINGS: dict[type, Callable[[BaseModel, Callable[[Decimal], str]], str]] = {
    Quantity: lambda q, number: quantity_text(q, number),
    Target: lambda t, number: target_text(t, number),
    Dividend: lambda d, number: dividend_text(d),
    Person: lambda p, number: person_text(p),
    Discrepancy: lambda d, number: discrepancy_text(d),
}
"""Groups of fields written in one line, with the number format (published digits, or grouped for readers)."""


def has_wording(model: type) -> bool:
    """Whether a group of fields has a fixed one-line wording (and so is written in one cell)."""
    return model in WORDINGS


def wording(group: BaseModel, number: Callable[[Decimal], str] = plain) -> str:
    return WORDINGS[type(group)](group, number)
