"""The fixed one-line wording of groups of fields, as a document writes them: 约2000㎡以上, 保底分红 3%，每年34.5万元,
王某某（县林业局局长）. Excel cells use these wordings and the import reads them back; they name nothing
elsewhere in the content, so they need no Site.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pydantic import BaseModel

from gongshi.content.model import Discrepancy, Dividend, Person, Quantity, Target
from gongshi.content.unstated import NOT_STATED, stated
from gongshi.money import plain


def quantity_text(q: Quantity | Target | None, number: Callable[[Decimal], str] = plain) -> str:
    """A value with unit and comparator as published: 约2000㎡, 100人以上, 10余名."""
    if q is None or q.value is None:
        return ""
    if not stated(q.value):
        return NOT_STATED
    about = "约" if q.comparator == "约" else ""
    after = q.comparator if q.comparator in ("以上", "以下", "余") else ""
    return f"{about}{number(q.value)}{q.unit or ''}{after}"


def target_text(target: Target, number: Callable[[Decimal], str] = plain) -> str:
    """One target as a line: 指标：约2000㎡以上【说明】; a qualitative one is its indicator."""
    note = f"【{target.note}】" if target.note else ""
    if target.value is None:
        return target.indicator + note
    return f"{target.indicator}：{quantity_text(target, number)}{note}"


def dividend_text(dividend: Dividend | None) -> str:
    """保底分红 3%，每年34.5万元；运营后每年."""
    if dividend is None:
        return ""
    rate = plain(dividend.rate_percent) if stated(dividend.rate_percent) else f"（比例{NOT_STATED}）"
    annual = plain(dividend.annual) if stated(dividend.annual) else f"（金额{NOT_STATED}）"
    text = f"{dividend.kind} {rate}%，每年{annual}万元"
    return text + (f"；{dividend.condition}" if dividend.condition else "")


def person_text(person: Person) -> str:
    """王某某（县林业局局长，0833-0000000）."""
    details = "，".join(part for part in (person.post, person.phone) if part)
    return f"{person.name}（{details}）" if details else person.name


def discrepancy_text(item: Discrepancy) -> str:
    return f"{item.check}：{item.note}"


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
